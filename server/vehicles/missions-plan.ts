/**
 * Whole plans (mission + fence + rally) on a vehicle, on top of the list transfers: what the server's socket
 * handlers call. An upload is only a success once the three lists read back mean the same as the plan, because a
 * vehicle may accept a list and store something else (ardupilot.md). Problems come back in words.
 */
import type { Mission, MissionProgressEvent, MissionType, Result } from "../protocol";
import { fail, ok } from "../protocol";
import { MISSION_TYPES, compareLists, listsToMission, missionToLists } from "../missions";
import type { ListItem, MissionLists } from "../missions";
import { MAV_MISSION_RESULT } from "../mavlink";
import type { TransferErrorCode, TransferOptions, TransferOutcome } from "./missions-exchange";
import { listName } from "./missions-results";

/** Progress of a plan transfer (MissionProgressEvent without the vehicle key, which the caller adds). */
export type PlanProgress = Omit<MissionProgressEvent, "key">;

/** The list transfers, on one vehicle, already holding its transfer lock. */
export interface ListOps {
  upload(type: MissionType, items: readonly ListItem[], opts?: TransferOptions): Promise<TransferOutcome<void>>;
  download(type: MissionType, opts?: TransferOptions): Promise<TransferOutcome<ListItem[]>>;
  clear(type: MissionType, opts?: TransferOptions): Promise<TransferOutcome<void>>;
  /** Resolves after `ms` on the client's clock. */
  wait(ms: number): Promise<void>;
  /** The vehicle is still starting: its last HEARTBEAT said BOOT, or it just said its storage holds 0 items. */
  starting(): boolean;
}

/**
 * ArduPilot counts no mission storage until it has initialised (about its first 2 s): an upload then gets NO_SPACE
 * and "Only 0 items are supported". Such a vehicle is waited for, a second at a time, for at most this long.
 */
export const BOOT_WAIT = Object.freeze({ stepMs: 1000, maxMs: 10_000 });

const STARTING_MESSAGE = "The vehicle is still starting (its mission storage is not ready yet): retry in a few seconds";

/** Result error codes, stable for the UI. */
export const PLAN_ERROR_CODE: Readonly<Record<TransferErrorCode | "mismatch" | "unreadable" | "starting", string>> = {
  busy: "mission_busy",
  timeout: "mission_timeout",
  refused: "mission_refused",
  unconfirmed: "mission_unconfirmed",
  protocol: "mission_protocol",
  closed: "mission_closed",
  mismatch: "mission_mismatch",
  unreadable: "mission_unreadable",
  starting: "vehicle_starting",
};

type Report = (p: PlanProgress) => void;
type Failure = Extract<TransferOutcome<unknown>, { ok: false }>;

/** A vehicle without fence or rally storage answers UNSUPPORTED: it then simply has no such list. */
function noSuchList(type: MissionType, out: Failure): boolean {
  return type !== "mission" && out.code === "refused" && out.result === MAV_MISSION_RESULT.UNSUPPORTED;
}

function failed<T>(report: Report, base: Omit<PlanProgress, "stage" | "message">, code: string, message: string): Result<T> {
  report({ ...base, stage: "failed", message });
  return fail(code, message);
}

function total(lists: MissionLists): number {
  return MISSION_TYPES.reduce((n, t) => n + lists[t].length, 0);
}

/** Reads the three lists; a list the vehicle does not support is empty. */
async function readLists(ops: ListOps, report: Report, direction: PlanProgress["direction"], stage: PlanProgress["stage"]):
  Promise<Result<MissionLists>> {
  const lists: MissionLists = { mission: [], fence: [], rally: [] };
  for (const type of MISSION_TYPES) {
    const base = { direction, missionType: type };
    const out = await ops.download(type, { onProgress: (done, n) => report({ ...base, done, total: n, stage }) });
    if (out.ok) lists[type] = out.value;
    else if (!noSuchList(type, out)) {
      return failed(report, { ...base, done: 0, total: 0 }, PLAN_ERROR_CODE[out.code], `Reading ${listName(type)} failed: ${out.message}`);
    }
  }
  return ok(lists);
}

const isNoSpace = (out: TransferOutcome<void>): boolean =>
  !out.ok && out.code === "refused" && out.result === MAV_MISSION_RESULT.NO_SPACE;

/**
 * One list upload; a NO_SPACE from a vehicle still starting is tried again a second later, for at most
 * BOOT_WAIT.maxMs. The wait comes first because the vehicle's words ("Only 0 items") may follow its refusal.
 */
async function uploadOnceReady(ops: ListOps, type: MissionType, items: readonly ListItem[], opts: TransferOptions):
  Promise<TransferOutcome<void>> {
  let out = await ops.upload(type, items, opts);
  for (let waited = 0; isNoSpace(out) && waited < BOOT_WAIT.maxMs; waited += BOOT_WAIT.stepMs) {
    await ops.wait(BOOT_WAIT.stepMs);
    if (!ops.starting()) return out;
    out = await ops.upload(type, items, opts);
  }
  return out;
}

function counts(mission: Mission): Record<MissionType, number> {
  return {
    mission: mission.items.length,
    fence: mission.fence.polygons.reduce((n, p) => n + p.points.length, 0) + mission.fence.circles.length,
    rally: mission.rally.length,
  };
}

export async function uploadPlan(ops: ListOps, plan: Mission, onProgress?: Report):
  Promise<Result<{ plan: Mission; counts: Record<MissionType, number> }>> {
  const report: Report = onProgress ?? (() => {});
  const lists = missionToLists(plan);
  // No items: count 0 clears the mission (the vehicle keeps its own home whatever we send at seq 0).
  if (plan.items.length === 0) lists.mission = [];
  for (const type of MISSION_TYPES) {
    const base = { direction: "upload" as const, missionType: type };
    const out = await uploadOnceReady(ops, type, lists[type], {
      onProgress: (done, n) => report({ ...base, done, total: n, stage: "transfer" }),
    });
    // A lost final ack is settled by the read-back below; an empty list needs no storage.
    if (out.ok || out.code === "unconfirmed" || (lists[type].length === 0 && noSuchList(type, out))) continue;
    if (isNoSpace(out) && ops.starting()) {
      return failed(report, { ...base, done: 0, total: lists[type].length }, PLAN_ERROR_CODE.starting, STARTING_MESSAGE);
    }
    return failed(report, { ...base, done: 0, total: lists[type].length }, PLAN_ERROR_CODE[out.code],
      `Upload of ${listName(type)} failed: ${out.message}`);
  }
  const back = await readLists(ops, report, "upload", "verifying");
  if (!back.ok) return back;
  const end = { direction: "upload" as const, missionType: "mission" as const, done: 0, total: total(lists) };
  const differences = MISSION_TYPES.flatMap((t) => compareLists(t, lists[t], back.value[t]));
  if (differences.length > 0) {
    return failed(report, end, PLAN_ERROR_CODE.mismatch,
      `The vehicle did not store the plan as sent: ${differences.join("; ")}`);
  }
  const reading = listsToMission(back.value);
  if (reading.problems.length > 0) {
    return failed(report, end, PLAN_ERROR_CODE.unreadable, `The vehicle's lists do not read as a plan: ${reading.problems.join("; ")}`);
  }
  report({ ...end, done: end.total, stage: "done" });
  return ok({ plan: reading.mission, counts: counts(reading.mission) });
}

export async function downloadPlan(ops: ListOps, onProgress?: Report): Promise<Result<Mission>> {
  const report: Report = onProgress ?? (() => {});
  const back = await readLists(ops, report, "download", "transfer");
  if (!back.ok) return back;
  const end = { direction: "download" as const, missionType: "mission" as const, done: total(back.value), total: total(back.value) };
  const reading = listsToMission(back.value);
  if (reading.problems.length > 0) {
    return failed(report, end, PLAN_ERROR_CODE.unreadable, `The vehicle's lists do not read as a plan: ${reading.problems.join("; ")}`);
  }
  report({ ...end, stage: "done" });
  return ok(reading.mission);
}

export async function clearPlan(ops: ListOps, onProgress?: Report): Promise<Result<void>> {
  const report: Report = onProgress ?? (() => {});
  for (const type of MISSION_TYPES) {
    const base = { direction: "clear" as const, missionType: type, done: 0, total: 1 };
    report({ ...base, stage: "transfer" });
    const out = await ops.clear(type);
    if (!out.ok && !noSuchList(type, out)) {
      return failed(report, base, PLAN_ERROR_CODE[out.code], `Clearing ${listName(type)} failed: ${out.message}`);
    }
  }
  report({ direction: "clear", missionType: "mission", done: 3, total: 3, stage: "done" });
  return ok(undefined);
}
