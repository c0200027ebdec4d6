import type {
  Mission, MissionProgressEvent, MissionType, MissionUploadReply, Result, VehicleKey, VehicleMissionInfo,
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
}

export interface MissionServiceDeps {
  gate: CommandGate;
  transfers: PlanTransfers;
  clock: () => number;
  /** Pushed to every client: transfer progress and what is now known to be on a vehicle. */
  progress(event: MissionProgressEvent): void;
  changed(info: VehicleMissionInfo): void;
}

const UNKNOWN = (key: VehicleKey): VehicleMissionInfo => ({ key, plan: null, verifiedAt: null, source: null, by: null });

/**
 * Missions on vehicles, from the pilot's side: upload (holder only, verified by reading back), download (any
 * pilot: it changes nothing on the vehicle) and clear (holder only). It remembers what was last verified on each
 * vehicle; a failed or interrupted transfer forgets it, so nobody is shown a mission the vehicle may not have.
 */
export class MissionService {
  private readonly known = new Map<VehicleKey, VehicleMissionInfo>();

  constructor(private readonly deps: MissionServiceDeps) {}

  /** What is known to be on each vehicle (vehicles never read are absent). */
  all(): Record<VehicleKey, VehicleMissionInfo> {
    return Object.fromEntries(this.known);
  }

  /** The verified plan of a vehicle, or null. */
  planOf(key: VehicleKey): Mission | null {
    return this.known.get(key)?.plan ?? null;
  }

  async upload(key: VehicleKey, plan: Mission, actor: ControlActor): Promise<Result<MissionUploadReply>> {
    const counts = { mission: plan.items.length, fence: plan.fence.polygons.length + plan.fence.circles.length, rally: plan.rally.length };
    const allowed = this.deps.gate.authorise(key, actor, "mission_upload", { counts });
    if (!allowed.ok) return allowed;
    this.deps.gate.record(key, actor, "mission_upload", "started", { counts, link: allowed.value.target.linkId });
    // From the first packet on, the vehicle's old mission may be gone: it is no longer known.
    this.forget(key);
    const result = await this.deps.transfers.uploadPlan(allowed.value.target, plan, (p) => this.deps.progress({ key, ...p }));
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
    const result = await this.deps.transfers.downloadPlan(route.target, (p) => this.deps.progress({ key, ...p }));
    if (!result.ok) return result;
    const info: VehicleMissionInfo = { key, plan: result.value, verifiedAt: this.deps.clock(), source: "download", by: actor.name };
    this.remember(info);
    return ok(info);
  }

  async clear(key: VehicleKey, actor: ControlActor): Promise<Result<VehicleMissionInfo>> {
    const allowed = this.deps.gate.authorise(key, actor, "mission_clear", {});
    if (!allowed.ok) return allowed;
    this.deps.gate.record(key, actor, "mission_clear", "started", { link: allowed.value.target.linkId });
    this.forget(key);
    const result = await this.deps.transfers.clearPlan(allowed.value.target, (p) => this.deps.progress({ key, ...p }));
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

  private remember(info: VehicleMissionInfo): void {
    this.known.set(info.key, info);
    this.deps.changed(info);
  }

  private forget(key: VehicleKey): void {
    if (!this.known.has(key)) return;
    this.known.delete(key);
    this.deps.changed(UNKNOWN(key));
  }
}
