import type {
  Mission, MissionProgressEvent, MissionType, MissionUploadReply, Result, VehicleKey, VehicleMissionInfo, VehicleState,
} from "../protocol";
import { fail, ok } from "../protocol";
import type { CommandTarget } from "../vehicles";
import type { CommandGate } from "./gate";
import type { ControlActor } from "./registry";

/** A transfer's progress as the mission protocol client reports it (the vehicle key is added here). */
export type TransferProgress = Omit<MissionProgressEvent, "key">;

/** The mission protocol client's high-level operations (MissionClient). */
export interface PlanTransfers {
  uploadPlan(target: CommandTarget, plan: Mission, onProgress?: (p: TransferProgress) => void):
    Promise<Result<{ plan: Mission; counts: Record<MissionType, number> }>>;
  downloadPlan(target: CommandTarget, onProgress?: (p: TransferProgress) => void): Promise<Result<Mission>>;
  clearPlan(target: CommandTarget, onProgress?: (p: TransferProgress) => void): Promise<Result<unknown>>;
  /** A transfer with this vehicle is running (a second one would be refused without sending anything). */
  busy(target: CommandTarget): boolean;
}

export interface MissionServiceDeps {
  gate: CommandGate;
  transfers: PlanTransfers;
  clock: () => number;
  /** Pushed to every client: transfer progress and what is now known to be on a vehicle. */
  progress(event: MissionProgressEvent): void;
  changed(info: VehicleMissionInfo): void;
}

/** MISSION_CURRENT streams at 1 Hz or more: 5 s after a transfer its count is the vehicle's current one. */
export const MISSION_CURRENT_GRACE_MS = 5000;

/** Refused before anything is sent: what is known of the vehicle's mission stays as it was. */
const BUSY = fail<never>("mission_busy", "Another mission transfer with this vehicle is still running: try again when it ends");

const UNKNOWN = (key: VehicleKey): VehicleMissionInfo => ({ key, plan: null, verifiedAt: null, source: null, by: null });

/**
 * Missions on vehicles, from the pilot's side: upload (holder only, verified by reading back), download (any
 * pilot: it changes nothing on the vehicle) and clear (holder only). It remembers what was last verified on each
 * vehicle; a failed or interrupted transfer forgets it, so nobody is shown a mission the vehicle may not have.
 */
export class MissionService {
  private readonly known = new Map<VehicleKey, VehicleMissionInfo>();
  /**
   * The last fence verified on each vehicle. Unlike `known`, not forgotten when a transfer starts or fails: the
   * geofence alert keeps checking against it until another fence is verified (better than checking nothing).
   */
  private readonly fences = new Map<VehicleKey, Mission["fence"]>();
  /** Vehicles with a transfer running here: their MISSION_CURRENT may count the old or the new plan meanwhile. */
  private readonly busy = new Set<VehicleKey>();

  constructor(private readonly deps: MissionServiceDeps) {}

  /** What is known to be on each vehicle (vehicles never read are absent). */
  all(): Record<VehicleKey, VehicleMissionInfo> {
    return Object.fromEntries(this.known);
  }

  /**
   * Checks what the vehicles report against what is known: a vehicle whose MISSION_CURRENT counts another number
   * of items than the verified plan has had its mission changed elsewhere (another ground station, a reboot that
   * lost it): the plan is no longer known. Called with every vehicle's state each tick.
   */
  observe(vehicles: readonly VehicleState[]): void {
    const now = this.deps.clock();
    for (const v of vehicles) {
      const info = this.known.get(v.key);
      const total = v.mission?.total;
      if (!info?.plan || total === null || total === undefined || this.busy.has(v.key)) continue;
      // The vehicle's last MISSION_CURRENT may predate the transfer: give the new count time to arrive.
      if (info.verifiedAt !== null && now - info.verifiedAt < MISSION_CURRENT_GRACE_MS) continue;
      if (total !== info.plan.items.length) this.forget(v.key);
    }
  }

  /** The fence the geofence alert checks: the last one verified on the vehicle, or null. */
  fenceOf(key: VehicleKey): Mission["fence"] | null {
    return this.fences.get(key) ?? null;
  }

  /** The verified plan of a vehicle, or null. */
  planOf(key: VehicleKey): Mission | null {
    return this.known.get(key)?.plan ?? null;
  }

  async upload(key: VehicleKey, plan: Mission, actor: ControlActor): Promise<Result<MissionUploadReply>> {
    const counts = { mission: plan.items.length, fence: plan.fence.polygons.length + plan.fence.circles.length, rally: plan.rally.length };
    const allowed = this.deps.gate.authorise(key, actor, "mission_upload", { counts });
    if (!allowed.ok) return allowed;
    if (this.deps.transfers.busy(allowed.value.target)) return BUSY;
    this.deps.gate.record(key, actor, "mission_upload", "started", { counts, link: allowed.value.target.linkId });
    // From the first packet on, the vehicle's old mission may be gone: it is no longer known.
    this.forget(key);
    const result = await this.during(key, () =>
      this.deps.transfers.uploadPlan(allowed.value.target, plan, (p) => this.deps.progress({ key, ...p })));
    if (!result.ok) {
      this.deps.gate.record(key, actor, "mission_upload", "failed", { reason: result.error.message });
      return result;
    }
    const verifiedAt = this.deps.clock();
    this.remember({ key, plan: result.value.plan, verifiedAt, source: "upload", by: actor.name });
    this.deps.gate.record(key, actor, "mission_upload", "verified", { counts: result.value.counts });
    return ok({ counts: result.value.counts, verifiedAt });
  }

  async download(key: VehicleKey, actor: ControlActor): Promise<Result<VehicleMissionInfo>> {
    const route = this.deps.gate.route(key);
    if (!route.ok) return fail("not_sent", route.reason);
    const result = await this.during(key, () =>
      this.deps.transfers.downloadPlan(route.target, (p) => this.deps.progress({ key, ...p })));
    if (!result.ok) return result;
    const info: VehicleMissionInfo = { key, plan: result.value, verifiedAt: this.deps.clock(), source: "download", by: actor.name };
    this.remember(info);
    return ok(info);
  }

  async clear(key: VehicleKey, actor: ControlActor): Promise<Result<VehicleMissionInfo>> {
    const allowed = this.deps.gate.authorise(key, actor, "mission_clear", {});
    if (!allowed.ok) return allowed;
    if (this.deps.transfers.busy(allowed.value.target)) return BUSY;
    this.deps.gate.record(key, actor, "mission_clear", "started", { link: allowed.value.target.linkId });
    this.forget(key);
    const result = await this.during(key, () =>
      this.deps.transfers.clearPlan(allowed.value.target, (p) => this.deps.progress({ key, ...p })));
    if (!result.ok) {
      this.deps.gate.record(key, actor, "mission_clear", "failed", { reason: result.error.message });
      return result;
    }
    const empty: Mission = { home: null, items: [], fence: { polygons: [], circles: [] }, rally: [] };
    const info: VehicleMissionInfo = { key, plan: empty, verifiedAt: this.deps.clock(), source: "upload", by: actor.name };
    this.remember(info);
    this.deps.gate.record(key, actor, "mission_clear", "cleared", {});
    return ok(info);
  }

  private async during<T>(key: VehicleKey, transfer: () => Promise<T>): Promise<T> {
    this.busy.add(key);
    try {
      return await transfer();
    } finally {
      this.busy.delete(key);
    }
  }

  private remember(info: VehicleMissionInfo): void {
    this.known.set(info.key, info);
    if (info.plan) this.fences.set(info.key, info.plan.fence);
    this.deps.changed(info);
  }

  private forget(key: VehicleKey): void {
    if (!this.known.has(key)) return;
    this.known.delete(key);
    this.deps.changed(UNKNOWN(key));
  }
}
