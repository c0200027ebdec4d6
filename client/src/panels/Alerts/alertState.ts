import type { Alert } from "../../../../server/protocol";

export type AlertPhase = "active" | "active_acknowledged" | "cleared_unacknowledged" | "settled";

/** Where an alert stands: an alert needs attention until its condition has ended and a pilot has seen it. */
export function alertPhase(a: Alert): AlertPhase {
  if (a.clearedAt === null) return a.acknowledgedAt === null ? "active" : "active_acknowledged";
  return a.acknowledgedAt === null ? "cleared_unacknowledged" : "settled";
}

export const PHASE_LABEL: Record<AlertPhase, string> = {
  active: "ACTIVE",
  active_acknowledged: "ACTIVE · ACK",
  cleared_unacknowledged: "CLEARED",
  settled: "CLEARED · ACK",
};

/** Open alerts first (unacknowledged active ones at the very top), then the rest, newest first within each. */
export function orderAlerts(alerts: readonly Alert[]): Alert[] {
  const rank: Record<AlertPhase, number> = { active: 0, cleared_unacknowledged: 1, active_acknowledged: 2, settled: 3 };
  return [...alerts].sort((a, b) => rank[alertPhase(a)] - rank[alertPhase(b)] || b.raisedAt - a.raisedAt || b.id - a.id);
}

/** How many alerts still want a pilot's acknowledgement. */
export function unacknowledged(alerts: readonly Alert[]): number {
  return alerts.filter((a) => a.acknowledgedAt === null).length;
}
