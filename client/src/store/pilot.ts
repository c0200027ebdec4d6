import { alertNeedsAttention } from "../../../server/protocol";
import type {
  Alert, CommandProgressEvent, MissionProgressEvent, Snapshot, VehicleMissionInfo,
} from "../../../server/protocol";
import type { AppData } from "./types";

/** Server alerts kept by the client: the server sends active ones and recent history; older ones drop off. */
export const SERVER_ALERTS_MAX = 300;

/** Newest first by raise time; an alert that comes again (cleared, acknowledged) replaces its older copy. */
export function upsertAlerts(current: readonly Alert[], incoming: readonly Alert[]): readonly Alert[] {
  if (incoming.length === 0) return current;
  const byId = new Map<number, Alert>();
  for (const a of current) byId.set(a.id, a);
  for (const a of incoming) byId.set(a.id, a);
  const merged = [...byId.values()].sort((a, b) => b.raisedAt - a.raisedAt || b.id - a.id);
  if (merged.length <= SERVER_ALERTS_MAX) return merged;
  // Drop the oldest settled ones first: an active or unacknowledged alert must stay visible.
  const keep = merged.filter(alertNeedsAttention);
  const rest = merged.filter((a) => !alertNeedsAttention(a)).slice(0, Math.max(0, SERVER_ALERTS_MAX - keep.length));
  return [...keep, ...rest].sort((a, b) => b.raisedAt - a.raisedAt || b.id - a.id);
}

/** Snapshot: the server's missions are the truth; its alerts merge with what this screen already saw. */
export function applyPilotSnapshot(state: AppData, snapshot: Snapshot): Pick<AppData, "serverAlerts" | "missions"> {
  return {
    serverAlerts: upsertAlerts(state.serverAlerts, snapshot.alerts ?? []),
    missions: snapshot.missions ?? state.missions,
  };
}

export function applyMissionInfo(state: AppData, info: VehicleMissionInfo): AppData {
  return { ...state, missions: { ...state.missions, [info.key]: info } };
}

export function applyMissionProgress(state: AppData, event: MissionProgressEvent): AppData {
  return { ...state, missionProgress: { ...state.missionProgress, [event.key]: event } };
}

export function applyCommandProgress(state: AppData, event: CommandProgressEvent): AppData {
  return { ...state, commandProgress: { ...state.commandProgress, [event.key]: event } };
}
