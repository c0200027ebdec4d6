import type { AuditLog } from "../audit";
import type { Result, VehicleControl, VehicleKey } from "../protocol";
import { fail, ok } from "../protocol";

/** Who asks: the signed-in user, the session they ask from, and their address (for the audit log). */
export interface ControlActor {
  name: string;
  sessionHash: string;
  address: string;
}

interface Holder {
  name: string;
  /** The session control was taken in: control ends with it (logout, disable, expiry), not with a socket. */
  sessionHash: string;
  since: number;
}

export interface ControlDeps {
  audit: AuditLog;
  clock: () => number;
  /** Whether the vehicle exists (control of a vehicle never heard is refused). */
  vehicleKnown(key: VehicleKey): boolean;
  /** Called after every change with the whole table ("control:state"). */
  changed(state: Record<VehicleKey, VehicleControl>): void;
}

/** Which sessions ended: one (logout) or every session of a user (disabled, roles or password changed). */
export type SessionMatch = { sessionHash: string } | { user: string };

export function sessionMatches(match: SessionMatch, who: { name: string; sessionHash: string }): boolean {
  return "sessionHash" in match ? match.sessionHash === who.sessionHash : match.user === who.name;
}

/**
 * One holder per vehicle. Only the holder's commands reach a vehicle. Synchronous, in one process, so two
 * pilots taking the same vehicle at once cannot both win. A holder whose browser reloads keeps control (their
 * session lives on); control is released when the session ends.
 */
/** Who held a vehicle on a server that is gone (stopped, or died): they keep it here once its link is here. */
export interface CarriedHolder {
  key: VehicleKey;
  name: string;
  sessionHash: string;
  since: number;
}

export class ControlRegistry {
  private readonly holders = new Map<VehicleKey, Holder>();
  private readonly carried = new Map<VehicleKey, CarriedHolder & { until: number }>();

  constructor(private readonly deps: ControlDeps) {}

  state(): Record<VehicleKey, VehicleControl> {
    const out: Record<VehicleKey, VehicleControl> = {};
    for (const [key, h] of this.holders) out[key] = { holder: h.name, since: h.since };
    return out;
  }

  holderOf(key: VehicleKey): string | null {
    return this.holders.get(key)?.name ?? null;
  }

  take(key: VehicleKey, actor: ControlActor): Result<VehicleControl> {
    if (!this.deps.vehicleKnown(key)) return fail("not_found", `no vehicle ${key}`);
    const held = this.holders.get(key);
    if (held) {
      return held.name === actor.name ? ok({ holder: held.name, since: held.since }) : fail("held", `held by ${held.name}`);
    }
    const holder = this.set(key, actor);
    this.deps.audit.record({ actor: actor.name, address: actor.address, action: "control_taken", target: key, result: "ok" });
    return ok(holder);
  }

  /**
   * The holder lets go; an admin may release whoever holds it (an admin who is not a pilot could otherwise
   * never free a vehicle taken over by mistake).
   */
  release(key: VehicleKey, actor: ControlActor, as: { admin: boolean } = { admin: false }): Result<VehicleControl> {
    const held = this.holders.get(key);
    if (!held) return fail("not_held", `nobody holds ${key}`);
    if (held.name !== actor.name && !as.admin) return fail("not_holder", `held by ${held.name}`);
    this.holders.delete(key);
    this.deps.audit.record({ actor: actor.name, address: actor.address, action: "control_released", target: key, result: "ok",
      ...(held.name !== actor.name ? { detail: { previousHolder: held.name } } : {}) });
    this.deps.changed(this.state());
    return ok({ holder: null, since: null });
  }

  /**
   * An admin takes control from whoever holds it; recorded with the previous holder. Only a pilot can fly it:
   * an admin without the pilot role frees the vehicle for a pilot to take instead of holding it.
   */
  override(key: VehicleKey, actor: ControlActor, as: { pilot: boolean }): Result<VehicleControl> {
    if (!this.deps.vehicleKnown(key)) return fail("not_found", `no vehicle ${key}`);
    const previous = this.holders.get(key)?.name ?? null;
    if (!as.pilot) {
      if (previous === null) return ok({ holder: null, since: null });
      this.holders.delete(key);
      this.deps.audit.record({ actor: actor.name, address: actor.address, action: "control_overridden", target: key, result: "released",
        detail: { previousHolder: previous } });
      this.deps.changed(this.state());
      return ok({ holder: null, since: null });
    }
    const holder = this.set(key, actor);
    this.deps.audit.record({ actor: actor.name, address: actor.address, action: "control_overridden", target: key, result: "ok",
      detail: { previousHolder: previous } });
    return ok(holder);
  }

  /** Releases everything held in sessions that ended; audited with the reason. */
  sessionsEnded(match: SessionMatch, reason: string): void {
    for (const [key, c] of this.carried) if (sessionMatches(match, { name: c.name, sessionHash: c.sessionHash })) this.carried.delete(key);
    let any = false;
    for (const [key, h] of this.holders) {
      if (!sessionMatches(match, h)) continue;
      this.holders.delete(key);
      any = true;
      this.deps.audit.record({ actor: h.name, address: "", action: "control_released", target: key, result: "ok", detail: { reason } });
    }
    if (any) this.deps.changed(this.state());
  }

  /** Every holder with their session, for the deployment's other servers (never for screens). */
  holdings(): CarriedHolder[] {
    return [...this.holders].map(([key, h]) => ({ key, name: h.name, sessionHash: h.sessionHash, since: h.since }));
  }

  /**
   * The holders of a server that is gone: a vehicle whose link this server takes over (or has) stays with its pilot,
   * rather than being free for anyone, until `until`. Audited when it happens; a vehicle held here meanwhile is not.
   */
  carryOver(holders: readonly CarriedHolder[], until: number): void {
    for (const h of holders) this.carried.set(h.key, { ...h, until });
    this.adoptCarried(this.deps.clock());
  }

  /** Gives the carried-over vehicles now heard here to their pilots (each tick); forgets those past their time. */
  adoptCarried(now: number): void {
    if (this.carried.size === 0) return;
    let any = false;
    for (const [key, c] of this.carried) {
      if (now > c.until || this.holders.has(key)) {
        this.carried.delete(key);
        continue;
      }
      if (!this.deps.vehicleKnown(key)) continue;
      this.carried.delete(key);
      this.holders.set(key, { name: c.name, sessionHash: c.sessionHash, since: c.since });
      any = true;
      this.deps.audit.record({ actor: c.name, address: "", action: "control_taken", target: key, result: "carried_over",
        detail: { reason: "the vehicle's link moved here from a server that is gone" } });
    }
    if (any) this.deps.changed(this.state());
  }

  /** Session hashes of the holders, to check them for expiry when none of their sockets is connected. */
  holderSessions(): string[] {
    return [...new Set([...this.holders.values()].map((h) => h.sessionHash))];
  }

  private set(key: VehicleKey, actor: ControlActor): VehicleControl {
    const since = this.deps.clock();
    this.holders.set(key, { name: actor.name, sessionHash: actor.sessionHash, since });
    this.deps.changed(this.state());
    return { holder: actor.name, since };
  }
}
