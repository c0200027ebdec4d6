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

/**
 * The tab's badge: alerts whose condition still holds. A cleared alert is history (it stays listed until
 * acknowledged, under "CLEARED") and must not make the count look like something is still wrong. `hot` when one
 * of them nobody has acknowledged yet.
 */
export function activeBadge(alerts: readonly Alert[]): { count: number; hot: boolean; title: string } {
  const active = alerts.filter((a) => a.clearedAt === null);
  const waiting = active.filter((a) => a.acknowledgedAt === null).length;
  const cleared = alerts.filter((a) => a.clearedAt !== null && a.acknowledgedAt === null).length;
  const parts = [`${active.length} active`, `${waiting} of them not acknowledged`];
  if (cleared > 0) parts.push(`${cleared} cleared, not acknowledged`);
  return { count: active.length, hot: waiting > 0, title: parts.join(", ") };
}
