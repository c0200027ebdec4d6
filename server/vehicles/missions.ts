/**
 * The ground station's mission protocol client: uploads, downloads and clears a vehicle's mission, fence and rally
 * lists, and sets its current mission item, one transfer per vehicle at a time (a second request while one runs
 * is refused, not queued: the pilot must know which plan ends up on the vehicle). The high-level plan operations
 * (uploadPlan verifies by reading everything back) are in missions-plan.ts.
 *
 * Its dependencies are CommandClient's: GroundStation.sendOn, GroundStation.onMessage and a clock, so tests drive
 * it on a virtual clock against the simulated vehicle.
 */
import type { Mission, MissionType, Result } from "../protocol";
import type { ListItem } from "../missions";
import type { Decoded, MavMessage, TargetIds } from "../mavlink";
import type { CommandClientDeps, CommandClock, CommandTarget } from "./commands";
import { REAL_CLOCK } from "./commands";
import type { TransferContext, TransferOptions, TransferOutcome } from "./missions-exchange";
import { clearPlan, downloadPlan, uploadPlan } from "./missions-plan";
import type { PlanProgress } from "./missions-plan";
import { clearList, downloadList, setCurrentItem, uploadList } from "./missions-transfer";
import { VehicleListeners } from "./listeners";

export interface MissionClientOptions {
  /**
   * Our own MAVLink ids: mission messages the vehicle addresses to another system (a second ground station on the
   * same link) are then ignored. Unknown: everything from the vehicle counts.
   */
  gcs?: TargetIds;
  /** Defaults for every transfer (per packet timeout, re-sends). */
  timeoutMs?: number;
  retries?: number;
}

type Listener = (decoded: Decoded) => void;

/**
 * How long a sign of a vehicle still starting counts: a HEARTBEAT with system_status BOOT, or its STATUSTEXT
 * "Only 0 items are supported" (AP_Mission before its storage is ready). ArduCopter SITL is out of BOOT ~2.9 s
 * after start (ardupilot.md), so a sign this recent means the storage may still be coming up.
 */
const STARTING_SIGN_MS = 5000;
/** Vehicles whose start signs are remembered: a stranger inventing ids cannot grow this without bound. */
const MAX_STARTING = 256;
const ZERO_CAPACITY = /^Only 0 items are supported/;

function vehicleId(sysid: number, compid: number): string {
  return `${sysid}:${compid}`;
}

/** The vehicle-side target of a message (mission messages carry one), or null. */
function addressee(m: MavMessage): TargetIds | null {
  switch (m.kind) {
    case "missionCount": case "missionRequest": case "missionItem": case "missionAck":
      return m.target;
    default:
      return null;
  }
}

export class MissionClient {
  private readonly clock: CommandClock;
  private readonly listeners = new VehicleListeners();
  /** Vehicle id -> what it is doing, for the "busy" message. */
  private readonly running = new Map<string, string>();
  private readonly aborts = new Set<() => void>();
  /** Vehicle id -> when it last showed it was still starting (client clock). */
  private readonly startSigns = new Map<string, number>();
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: CommandClientDeps, private readonly opts: MissionClientOptions = {}) {
    this.clock = deps.clock ?? REAL_CLOCK;
    this.unsubscribe = deps.onMessage((decoded) => this.observe(decoded));
  }

  /** Stops listening; transfers still running end at once with code "closed". */
  close(): void {
    this.unsubscribe();
    for (const abort of [...this.aborts]) abort();
  }

  /** True while a transfer with this vehicle runs. */
  busy(target: CommandTarget): boolean {
    return this.running.has(vehicleId(target.sysid, target.compid));
  }

  upload(target: CommandTarget, type: MissionType, items: readonly ListItem[], opts: TransferOptions = {}): Promise<TransferOutcome<void>> {
    return this.exclusive(target, `upload of the ${type} list`, (ctx) => uploadList(ctx, type, items, this.options(opts)));
  }

  download(target: CommandTarget, type: MissionType, opts: TransferOptions = {}): Promise<TransferOutcome<ListItem[]>> {
    return this.exclusive(target, `download of the ${type} list`, (ctx) => downloadList(ctx, type, this.options(opts)));
  }

  clear(target: CommandTarget, type: MissionType, opts: TransferOptions = {}): Promise<TransferOutcome<void>> {
    return this.exclusive(target, `clearing of the ${type} list`, (ctx) => clearList(ctx, type, this.options(opts)));
  }

  /** MISSION_SET_CURRENT(seq), re-sent until a MISSION_CURRENT shows seq. */
  setCurrent(target: CommandTarget, seq: number, opts: TransferOptions = {}): Promise<TransferOutcome<void>> {
    return this.exclusive(target, "change of the current mission item", (ctx) => setCurrentItem(ctx, seq, this.options(opts)));
  }

  /**
   * Uploads the plan's mission (home at seq 0), fence and rally lists (an empty one as count 0, so the vehicle
   * ends up with exactly the plan), then reads all three back and compares them by meaning: any difference is
   * a failure that names it. `counts` are the items read back per list (the mission without home).
   */
  uploadPlan(target: CommandTarget, plan: Mission, onProgress?: (p: PlanProgress) => void):
    Promise<Result<{ plan: Mission; counts: Record<MissionType, number> }>> {
    return this.exclusivePlan(target, "upload of a plan", (ctx) => uploadPlan(this.ops(ctx), plan, onProgress));
  }

  /** Reads the three lists into a plan (home from mission seq 0). */
  downloadPlan(target: CommandTarget, onProgress?: (p: PlanProgress) => void): Promise<Result<Mission>> {
    return this.exclusivePlan(target, "download of the plan", (ctx) => downloadPlan(this.ops(ctx), onProgress));
  }

  /** Clears the mission, fence and rally lists. */
  clearPlan(target: CommandTarget, onProgress?: (p: PlanProgress) => void): Promise<Result<void>> {
    return this.exclusivePlan(target, "clearing of the plan", (ctx) => clearPlan(this.ops(ctx), onProgress));
  }

  private ops(ctx: TransferContext): Parameters<typeof uploadPlan>[0] {
    return {
      upload: (type, items, opts) => uploadList(ctx, type, items, this.options(opts)),
      download: (type, opts) => downloadList(ctx, type, this.options(opts)),
      clear: (type, opts) => clearList(ctx, type, this.options(opts)),
      wait: (ms) => new Promise((resolve) => { this.clock.setTimeout(resolve, ms); }),
      starting: () => this.starting(ctx.target),
    };
  }

  /** The vehicle showed recently that it is still starting (see STARTING_SIGN_MS). */
  starting(target: CommandTarget): boolean {
    const at = this.startSigns.get(vehicleId(target.sysid, target.compid));
    return at !== undefined && this.clock.now() - at <= STARTING_SIGN_MS;
  }

  private noteStartSigns(decoded: Decoded): void {
    const m = decoded.message;
    const sign = (m.kind === "heartbeat" && m.isVehicle && m.systemStatus === "boot")
      || (m.kind === "statusText" && ZERO_CAPACITY.test(m.text));
    if (!sign) return;
    const id = vehicleId(decoded.sysid, decoded.compid);
    this.startSigns.delete(id);
    if (this.startSigns.size >= MAX_STARTING) this.startSigns.delete(this.startSigns.keys().next().value!);
    this.startSigns.set(id, this.clock.now());
  }

  private options(opts: TransferOptions = {}): TransferOptions {
    return {
      ...(this.opts.timeoutMs === undefined ? {} : { timeoutMs: this.opts.timeoutMs }),
      ...(this.opts.retries === undefined ? {} : { retries: this.opts.retries }),
      ...opts,
    };
  }

  private async exclusive<T>(
    target: CommandTarget, what: string, run: (ctx: TransferContext) => Promise<TransferOutcome<T>>,
  ): Promise<TransferOutcome<T>> {
    const refusal = this.refusal(target);
    if (refusal) return { ok: false, code: "busy", message: refusal, resends: 0 };
    return this.locked(target, what, run);
  }

  private async exclusivePlan<T>(
    target: CommandTarget, what: string, run: (ctx: TransferContext) => Promise<Result<T>>,
  ): Promise<Result<T>> {
    const refusal = this.refusal(target);
    if (refusal) return { ok: false, error: { code: "mission_busy", message: refusal } };
    return this.locked(target, what, run);
  }

  private refusal(target: CommandTarget): string | null {
    const current = this.running.get(vehicleId(target.sysid, target.compid));
    return current === undefined
      ? null
      : `Another mission transfer with this vehicle is in progress (${current}): try again when it has finished`;
  }

  private async locked<R>(target: CommandTarget, what: string, run: (ctx: TransferContext) => Promise<R>): Promise<R> {
    const id = vehicleId(target.sysid, target.compid);
    this.running.set(id, what);
    try {
      return await run(this.context(target));
    } finally {
      this.running.delete(id);
    }
  }

  private context(target: CommandTarget): TransferContext {
    return {
      target,
      clock: this.clock,
      send: (message) => this.deps.send(target.linkId, [message]),
      listen: (listener) => this.listen(target, listener),
      onAbort: (abort) => {
        this.aborts.add(abort);
        return () => this.aborts.delete(abort);
      },
    };
  }

  private listen(target: CommandTarget, listener: Listener): () => void {
    return this.listeners.add(target.sysid, target.compid, listener);
  }

  private observe(decoded: Decoded): void {
    this.noteStartSigns(decoded);
    const listeners = this.listeners.of(decoded);
    if (listeners.length === 0) return;
    const to = addressee(decoded.message);
    const gcs = this.opts.gcs;
    // 0 is broadcast; anything else addressed to another ground station is its transfer, not ours.
    if (to && gcs && to.sysid !== 0 && (to.sysid !== gcs.sysid || (to.compid !== 0 && to.compid !== gcs.compid))) return;
    for (const listener of listeners) listener(decoded);
  }
}
