/** Moving what a flight's pipeline produces (file time) onto the session clock (file time + the flight's shift). */
import type { Alert, LinkEvent, StatusTextEvent, TrailPoint, VehicleEvent, VehicleMissionInfo, VehicleState } from "../protocol";

export function shiftState(v: VehicleState, ms: number): VehicleState {
  if (ms === 0) return v;
  return {
    ...v,
    armedSince: v.armedSince === null ? null : v.armedSince + ms,
    lastUpdate: v.lastUpdate + ms,
    link: { ...v.link, lastHeartbeat: v.link.lastHeartbeat + ms },
    statusTexts: v.statusTexts.map((s) => ({ ...s, time: s.time + ms })),
  };
}

export function shiftAlert(a: Alert, ms: number): Alert {
  if (ms === 0) return a;
  return {
    ...a, raisedAt: a.raisedAt + ms, updatedAt: a.updatedAt + ms, clearedAt: a.clearedAt === null ? null : a.clearedAt + ms,
    acknowledgedAt: a.acknowledgedAt === null ? null : a.acknowledgedAt + ms,
  };
}

export const shiftEvent = (e: VehicleEvent, ms: number): VehicleEvent => (ms === 0 ? e : { ...e, time: e.time + ms });
export const shiftLink = (e: LinkEvent, ms: number): LinkEvent => (ms === 0 ? e : { ...e, time: e.time + ms });
export const shiftText = (e: StatusTextEvent, ms: number): StatusTextEvent =>
  (ms === 0 ? e : { ...e, status: { ...e.status, time: e.status.time + ms } });
export const shiftTrail = (t: TrailPoint[], ms: number): TrailPoint[] => (ms === 0 ? t : t.map((p) => ({ ...p, time: p.time + ms })));
export const shiftMission = (m: VehicleMissionInfo, ms: number): VehicleMissionInfo =>
  (ms === 0 || m.verifiedAt === null ? m : { ...m, verifiedAt: m.verifiedAt + ms });
