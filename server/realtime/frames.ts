import { DETAIL_FIELDS, sameValue } from "../protocol";
import type { Attitude, VehicleDetail, VehicleKey, VehicleLinkHealth, VehiclePatch, VehicleState } from "../protocol";

/** Link counters (packets, bytes/s, heartbeat age) go to screens at most this often, unless the link's state changes. */
export const LINK_EVERY_MS = 1000;

const SCALE = [1, 10, 100, 1000, 10_000];
/** The double nearest to x at that many decimals, which JSON prints in as many digits (toFixed is 5x slower). */
function roundTo(x: number, decimals: number): number;
function roundTo(x: number | null, decimals: number): number | null;
function roundTo(x: number | null, decimals: number): number | null {
  if (x === null) return null;
  const k = SCALE[decimals]!;
  return Math.round(x * k) / k;
}

function wireAttitude(a: Attitude | null): Attitude | null {
  return a ? { roll: roundTo(a.roll, 4), pitch: roundTo(a.pitch, 4), yaw: roundTo(a.yaw, 4) } : null;
}

/**
 * A field as screens are sent it. Attitude and VFR_HUD speeds arrive as float32, which JSON would print with
 * 17 digits of noise; they go out at 0.0001 rad (0.006°) and 0.01 m/s, finer than any screen draws. The rest is
 * exact: positions and altitudes come from integers (1e-7°, mm) and print short by themselves.
 */
function wireField<K extends keyof VehicleState>(v: VehicleState, k: K): VehicleState[K] {
  switch (k) {
    case "attitude": return wireAttitude(v.attitude) as VehicleState[K];
    case "groundSpeed":
    case "airSpeed":
    case "climb": return roundTo(v[k] as number | null, 2) as VehicleState[K];
    default: return v[k];
  }
}

/** A vehicle as screens are sent it (see wireField). */
export function toWire(v: VehicleState): VehicleState {
  return { ...v, attitude: wireAttitude(v.attitude), groundSpeed: roundTo(v.groundSpeed, 2), airSpeed: roundTo(v.airSpeed, 2), climb: roundTo(v.climb, 2) };
}

/** A vehicle's detail fields as its watchers are sent them. */
export function toDetail(v: VehicleState): VehicleDetail {
  return { key: v.key, attitude: wireAttitude(v.attitude), airSpeed: roundTo(v.airSpeed, 2), lastUpdate: v.lastUpdate };
}

const DETAIL: ReadonlySet<string> = new Set(DETAIL_FIELDS);

function linkUrgent(before: VehicleLinkHealth, after: VehicleLinkHealth): boolean {
  return before.state !== after.state || before.links.join() !== after.links.join();
}

/**
 * What every screen was last sent of each vehicle, so a frame carries only what changed since. One instance serves
 * every screen: a frame is encoded once and written to all of them, and a screen that cannot take one is resynced
 * with a full frame of what the others hold (`held`) instead of being sent a patch it cannot apply.
 *
 * Ten times a second for every vehicle that changed, so written for speed: each vehicle's copy is this class's own
 * object, updated in place field by field (never handed out: `held` and `full` give copies).
 *
 * Patches leave out the detail fields (DETAIL_FIELDS: attitude, air speed, time of the last packet), which go only to
 * the screens watching the vehicle; a vehicle new to the screens, and every full frame, has them as they are then.
 */
export class FrameDeltas {
  private readonly sent = new Map<VehicleKey, VehicleState>();
  private readonly linkSentAt = new Map<VehicleKey, number>();
  private lastFullAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly fullEveryMs: number) {}

  /** Whether the periodic full frame is due (it bounds how long any screen can hold a wrong copy). */
  fullDue(time: number): boolean {
    return time - this.lastFullAt >= this.fullEveryMs || time < this.lastFullAt;
  }

  /** The patches of the vehicles that changed (those with nothing new to send are left out); remembered as sent. */
  delta(changed: readonly VehicleState[], time: number): VehiclePatch[] {
    const out: VehiclePatch[] = [];
    for (const v of changed) {
      const patch = this.patch(v, time);
      if (patch) out.push(patch);
    }
    return out;
  }

  private patch(v: VehicleState, time: number): VehiclePatch | null {
    const held = this.sent.get(v.key);
    if (!held) {
      const wire = toWire(v);
      this.sent.set(v.key, wire);
      this.linkSentAt.set(v.key, time);
      return { ...wire };
    }
    // A field that went away cannot be patched (a spread does not remove): the vehicle goes whole. The reducer only
    // ever adds optional fields, so this is for exactness.
    for (const k in held) {
      if (!(k in v)) {
        const wire = toWire(v);
        this.sent.set(v.key, wire);
        return { ...wire };
      }
    }
    const rec = held as unknown as Record<string, unknown>;
    let patch: Record<string, unknown> | null = null;
    for (const k in v) {
      if (k === "key" || DETAIL.has(k)) continue;
      const key = k as keyof VehicleState;
      const value = wireField(v, key);
      if (sameValue(rec[k], value)) continue;
      if (key === "link" && !linkUrgent(held.link, v.link) && time - (this.linkSentAt.get(v.key) ?? Number.NEGATIVE_INFINITY) < LINK_EVERY_MS) continue;
      patch ??= { key: v.key };
      patch[k] = value;
      rec[k] = value;
      if (key === "link") this.linkSentAt.set(v.key, time);
    }
    return patch as VehiclePatch | null;
  }

  /** Every vehicle whole; remembered as sent. */
  full(all: readonly VehicleState[], time: number): VehicleState[] {
    this.sent.clear();
    for (const v of all) {
      this.sent.set(v.key, toWire(v));
      this.linkSentAt.set(v.key, time);
    }
    this.lastFullAt = time;
    return this.held();
  }

  /** What every screen that took every frame holds now (copies). */
  held(): VehicleState[] {
    return [...this.sent.values()].map((v) => ({ ...v }));
  }

  forget(keys: readonly VehicleKey[]): void {
    for (const k of keys) {
      this.sent.delete(k);
      this.linkSentAt.delete(k);
    }
  }
}
