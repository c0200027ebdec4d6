/**
 * The ground station's command client: sends COMMAND_LONG / COMMAND_INT to one vehicle, retransmits until that
 * vehicle's COMMAND_ACK for the command arrives (COMMAND_LONG with `confirmation` counting the retries), waits
 * through IN_PROGRESS acks, and says the outcome in words for the pilot. setMode / arm / disarm are confirmed by
 * the vehicle's next HEARTBEAT, not by the ack alone (ArduPilot acks first, the heartbeat shows the change).
 *
 * Everything it touches is injected: the sending (GroundStation.sendOn), the decoded messages
 * (GroundStation.onMessage) and the clock/timers, so tests drive it on a virtual clock.
 */
import type { Severity, VehicleClass } from "../protocol";
import type { Decoded, OutgoingMessage } from "../mavlink";
import { ARM_FORCE_MAGIC, MAV_CMD, MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, MAV_RESULT, modeNumber } from "../mavlink";
import { VehicleListeners } from "./listeners";

export type CommandResult =
  | "accepted" | "temporarily_rejected" | "denied" | "unsupported" | "failed" | "in_progress" | "cancelled" | "timeout";

export interface CommandOutcome {
  ok: boolean;
  result: CommandResult;
  /**
   * In words for the pilot, e.g. "Refused by the vehicle (failed): PreArm: GPS 1: was not found" (a refusal gets the
   * vehicle's warning-or-worse STATUSTEXTs appended).
   */
  text: string;
  /** Last progress reported by IN_PROGRESS acks (0..100), when any. */
  progress?: number;
  /** How many times the command was sent (1 = first try answered). */
  attempts: number;
  /** STATUSTEXTs the vehicle sent while the command was pending (and shortly after a refusal): PreArm reasons etc. */
  vehicleTexts: string[];
}

/** Where a vehicle is: the link to send on and its MAVLink ids. */
export interface CommandTarget {
  linkId: string;
  sysid: number;
  compid: number;
  /** Used by setMode to number modes; else the class of the vehicle's last heartbeat seen by this client. */
  vehicleClass?: VehicleClass;
}

export type CommandRequest =
  | { kind: "long"; command: number; /** param1..param7, missing ones 0. */ params?: readonly number[] }
  | {
      kind: "int"; command: number; /** param1..param4, missing ones 0. */ params?: readonly number[];
      /** MAV_FRAME; 0 (GLOBAL) unless given. */ frame?: number;
      /** Degrees. */ x?: number; y?: number;
      /** Metres. */ z?: number;
    };

export interface SendOptions {
  /** Per try. Default 1500 ms. */
  timeoutMs?: number;
  /** Retransmissions after the first try. Default 3 (4 tries). */
  retries?: number;
  /** Called on each IN_PROGRESS ack: percent done, or null when the vehicle does not know. */
  onProgress?: (progress: number | null) => void;
}

export type TimerHandle = unknown;

export interface CommandClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface CommandClientDeps {
  /** GroundStation.sendOn. */
  send(linkId: string, messages: OutgoingMessage[]): void;
  /** GroundStation.onMessage: every decoded message from the vehicles; returns the removal. */
  onMessage(listener: (decoded: Decoded, linkId: string, time: number) => void): () => void;
  /** Real timers unless given. */
  clock?: CommandClock;
}

export const COMMAND_DEFAULTS = Object.freeze({
  timeoutMs: 1500,
  retries: 3,
  /** How long after an accepted setMode / arm / disarm the heartbeat must show the change. */
  confirmMs: 3000,
  /** After an IN_PROGRESS ack: how long without any further ack before giving up. */
  progressTimeoutMs: 30_000,
  /** After a refusal: how long to gather the STATUSTEXTs that explain it (they may follow the ack). */
  refusalTextsMs: 250,
});

/** The STATUSTEXTs that explain a refusal (ArduPilot's "PreArm: ..." are CRITICAL); info chatter is left out of `text`. */
const EXPLAINING = new Set<Severity>(["emergency", "alert", "critical", "error", "warning"]);

/** Real timers, unref'd: a pending command or transfer never keeps the process alive. */
export const REAL_CLOCK: CommandClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

const RESULT_OF = new Map<number, CommandResult>([
  [MAV_RESULT.ACCEPTED, "accepted"],
  [MAV_RESULT.TEMPORARILY_REJECTED, "temporarily_rejected"],
  [MAV_RESULT.DENIED, "denied"],
  [MAV_RESULT.UNSUPPORTED, "unsupported"],
  [MAV_RESULT.FAILED, "failed"],
  [MAV_RESULT.IN_PROGRESS, "in_progress"],
  [MAV_RESULT.CANCELLED, "cancelled"],
  [MAV_RESULT.COMMAND_LONG_ONLY, "unsupported"],
  [MAV_RESULT.COMMAND_INT_ONLY, "unsupported"],
  [MAV_RESULT.COMMAND_UNSUPPORTED_MAV_FRAME, "unsupported"],
]);

const TEXT_OF: Record<Exclude<CommandResult, "timeout">, string> = {
  accepted: "Accepted by the vehicle",
  temporarily_rejected: "The vehicle is busy, try again (temporarily rejected)",
  denied: "Refused by the vehicle (denied)",
  unsupported: "The vehicle does not support this command (unsupported)",
  failed: "Refused by the vehicle (failed)",
  in_progress: "In progress on the vehicle",
  cancelled: "Cancelled by the vehicle",
};

type Listener = (decoded: Decoded) => void;

interface InFlight {
  signature: string;
  promise: Promise<CommandOutcome>;
  progressListeners: ((progress: number | null) => void)[];
}

function vehicleId(sysid: number, compid: number): string {
  return `${sysid}:${compid}`;
}

function fill(params: readonly number[] | undefined, n: number): number[] {
  return Array.from({ length: n }, (_, i) => params?.[i] ?? 0);
}

export class CommandClient {
  private readonly clock: CommandClock;
  private readonly listeners = new VehicleListeners();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly classes = new Map<string, VehicleClass>();
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: CommandClientDeps) {
    this.clock = deps.clock ?? REAL_CLOCK;
    this.unsubscribe = deps.onMessage((decoded) => this.observe(decoded));
  }

  /** Stops listening (pending commands then end in "timeout"). */
  close(): void {
    this.unsubscribe();
  }

  /**
   * Sends a command and resolves with the vehicle's answer. A second request for the same command to the same
   * vehicle while the first waits joins it (same parameters) or is turned down (different parameters).
   */
  send(target: CommandTarget, request: CommandRequest, opts: SendOptions = {}): Promise<CommandOutcome> {
    const key = `${vehicleId(target.sysid, target.compid)}:${request.command}`;
    const signature = JSON.stringify(request);
    const existing = this.inFlight.get(key);
    if (existing) {
      if (existing.signature !== signature) {
        return Promise.resolve({
          ok: false, result: "temporarily_rejected", attempts: 0, vehicleTexts: [],
          text: "Another request for this command is still waiting for the vehicle's answer",
        });
      }
      if (opts.onProgress) existing.progressListeners.push(opts.onProgress);
      return existing.promise;
    }
    const progressListeners = opts.onProgress ? [opts.onProgress] : [];
    const entry: InFlight = {
      signature, progressListeners,
      promise: this.run(target, request, opts, progressListeners).finally(() => {
        if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
      }),
    };
    this.inFlight.set(key, entry);
    return entry.promise;
  }

  /** DO_SET_MODE; ok only when acked ACCEPTED and a later HEARTBEAT shows the mode within 3 s. */
  async setMode(target: CommandTarget, modeName: string, opts: SendOptions = {}): Promise<CommandOutcome> {
    const vehicleClass = target.vehicleClass ?? this.classes.get(vehicleId(target.sysid, target.compid));
    const mode = vehicleClass === undefined ? null : modeNumber(vehicleClass, modeName);
    if (mode === null) {
      return {
        ok: false, result: "failed", attempts: 0, vehicleTexts: [],
        text: vehicleClass === undefined
          ? "Unknown vehicle type (no heartbeat yet): cannot choose a mode number"
          : `No mode ${modeName} on this vehicle`,
      };
    }
    return this.confirmed(
      target,
      { kind: "long", command: MAV_CMD.DO_SET_MODE, params: [MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, mode] },
      opts,
      (d) => d.message.kind === "heartbeat" && d.message.customMode === mode,
      "The vehicle acknowledged but did not change mode",
    );
  }

  /** COMPONENT_ARM_DISARM(1); force (param2 21196) only when asked. Confirmed by the heartbeat's armed flag. */
  arm(target: CommandTarget, opts: SendOptions & { force?: boolean } = {}): Promise<CommandOutcome> {
    return this.armDisarm(target, true, opts);
  }

  disarm(target: CommandTarget, opts: SendOptions & { force?: boolean } = {}): Promise<CommandOutcome> {
    return this.armDisarm(target, false, opts);
  }

  /** NAV_TAKEOFF to `altM` metres above home (ArduCopter: in GUIDED, armed, on the ground). */
  takeoff(target: CommandTarget, altM: number, opts: SendOptions = {}): Promise<CommandOutcome> {
    return this.send(target, { kind: "long", command: MAV_CMD.NAV_TAKEOFF, params: [0, 0, 0, 0, 0, 0, altM] }, opts);
  }

  private armDisarm(target: CommandTarget, arm: boolean, opts: SendOptions & { force?: boolean }): Promise<CommandOutcome> {
    const { force, ...sendOpts } = opts;
    return this.confirmed(
      target,
      { kind: "long", command: MAV_CMD.COMPONENT_ARM_DISARM, params: [arm ? 1 : 0, force ? ARM_FORCE_MAGIC : 0] },
      sendOpts,
      (d) => d.message.kind === "heartbeat" && d.message.armed === arm,
      arm ? "The vehicle acknowledged but did not arm" : "The vehicle acknowledged but did not disarm",
    );
  }

  /**
   * Sends, and when accepted waits for a message (a HEARTBEAT) received after the ack that shows the change.
   * Watching starts before sending, but only messages after the accepted ack count.
   */
  private async confirmed(
    target: CommandTarget, request: CommandRequest, opts: SendOptions,
    shows: (d: Decoded) => boolean, unconfirmedText: string,
  ): Promise<CommandOutcome> {
    let acked = false;
    let seen = false;
    let wake: (() => void) | null = null;
    const off = this.listen(target, (d) => {
      if (d.message.kind === "commandAck" && d.message.command === request.command
        && d.message.result === MAV_RESULT.ACCEPTED) acked = true;
      else if (acked && shows(d)) {
        seen = true;
        wake?.();
      }
    });
    try {
      const outcome = await this.send(target, request, opts);
      if (!outcome.ok) return outcome;
      if (!seen) {
        await new Promise<void>((resolve) => {
          const timer = this.clock.setTimeout(resolve, COMMAND_DEFAULTS.confirmMs);
          wake = () => {
            this.clock.clearTimeout(timer);
            resolve();
          };
        });
      }
      return seen ? outcome : { ...outcome, ok: false, text: unconfirmedText };
    } finally {
      off();
    }
  }

  private run(
    target: CommandTarget, request: CommandRequest, opts: SendOptions,
    progressListeners: readonly ((progress: number | null) => void)[],
  ): Promise<CommandOutcome> {
    const timeoutMs = opts.timeoutMs ?? COMMAND_DEFAULTS.timeoutMs;
    const tries = 1 + Math.max(0, opts.retries ?? COMMAND_DEFAULTS.retries);
    return new Promise<CommandOutcome>((resolve) => {
      let attempts = 0;
      let progress: number | undefined;
      let inProgress = false;
      let done = false;
      let timer: TimerHandle | null = null;
      const texts: string[] = [];
      const reasons: string[] = [];
      let final: CommandOutcome | null = null;

      const arm = (ms: number, fn: () => void): void => {
        if (timer !== null) this.clock.clearTimeout(timer);
        timer = this.clock.setTimeout(fn, ms);
      };
      const finish = (outcome: CommandOutcome): void => {
        if (done) return;
        done = true;
        if (timer !== null) this.clock.clearTimeout(timer);
        off();
        resolve(outcome);
      };
      const onTimeout = (): void => {
        if (inProgress) {
          finish({
            ok: false, result: "timeout", attempts, vehicleTexts: texts, ...(progress !== undefined ? { progress } : {}),
            text: "The vehicle stopped reporting progress",
          });
        } else if (attempts >= tries) {
          finish({
            ok: false, result: "timeout", attempts, vehicleTexts: texts,
            text: `No answer from the vehicle after ${attempts} ${attempts === 1 ? "try" : "tries"}`,
          });
        } else {
          transmit();
        }
      };
      const transmit = (): void => {
        const confirmation = attempts++;
        arm(timeoutMs, onTimeout);
        this.deps.send(target.linkId, [this.message(target, request, confirmation)]);
      };
      const off = this.listen(target, (d) => {
        const m = d.message;
        if (m.kind === "statusText") {
          texts.push(m.text);
          if (EXPLAINING.has(m.severity)) reasons.push(m.text);
          return;
        }
        if (m.kind !== "commandAck" || m.command !== request.command || final) return;
        const result = RESULT_OF.get(m.result) ?? "failed";
        if (result === "in_progress") {
          inProgress = true;
          const p = m.progress ?? null;
          if (p !== null) progress = p;
          arm(COMMAND_DEFAULTS.progressTimeoutMs, onTimeout);
          for (const listener of progressListeners) listener(p);
          return;
        }
        const ok = result === "accepted";
        final = {
          ok, result, attempts, vehicleTexts: texts, ...(progress !== undefined ? { progress } : {}),
          text: RESULT_OF.has(m.result)
            ? TEXT_OF[result as Exclude<CommandResult, "timeout">]
            : `Refused by the vehicle (${m.resultName})`,
        };
        if (ok) {
          finish(final);
          return;
        }
        // The STATUSTEXTs that explain a refusal may come just after the ack: gather them briefly.
        const refusal = final;
        arm(COMMAND_DEFAULTS.refusalTextsMs, () => finish({
          ...refusal, text: reasons.length > 0 ? `${refusal.text}: ${reasons.join("; ")}` : refusal.text,
        }));
      });
      transmit();
    });
  }

  private message(target: CommandTarget, request: CommandRequest, confirmation: number): OutgoingMessage {
    const ids = { sysid: target.sysid, compid: target.compid };
    if (request.kind === "long") {
      return {
        kind: "commandLong", target: ids, command: request.command, confirmation: confirmation & 0xff,
        params: fill(request.params, 7) as [number, number, number, number, number, number, number],
      };
    }
    // COMMAND_INT has no confirmation field: a retry is the same message again.
    return {
      kind: "commandInt", target: ids, command: request.command, frame: request.frame ?? 0,
      params: fill(request.params, 4) as [number, number, number, number],
      x: request.x ?? 0, y: request.y ?? 0, z: request.z ?? 0,
    };
  }

  private listen(target: CommandTarget, listener: Listener): () => void {
    return this.listeners.add(target.sysid, target.compid, listener);
  }

  private observe(decoded: Decoded): void {
    const id = vehicleId(decoded.sysid, decoded.compid);
    if (decoded.message.kind === "heartbeat" && decoded.message.isVehicle) {
      this.classes.set(id, decoded.message.vehicleClass);
    }
    for (const listener of this.listeners.of(decoded)) listener(decoded);
  }
}
