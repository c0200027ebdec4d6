import type { LinkEvent, Severity, StatusText, VehicleKey } from "../../../server/protocol";
import type { AlertEntry, AppData } from "./types";

export const ALERTS_MAX = 200;
export const LINK_EVENTS_MAX = 100;

function sameAlert(a: AlertEntry, key: VehicleKey, status: StatusText): boolean {
  return a.source === "statustext" && a.key === key && a.time === status.time && a.text === status.text;
}

/**
 * Adds status texts as alerts, newest first, skipping ones already shown: a snapshot after a reconnect
 * repeats the texts each vehicle carries, and the control room must not see them twice.
 */
export function addStatusTexts(
  state: AppData,
  items: readonly { key: VehicleKey; status: StatusText }[],
): Pick<AppData, "alerts" | "nextAlertId"> {
  let { alerts, nextAlertId } = state;
  const fresh: AlertEntry[] = [];
  for (const { key, status } of items) {
    if (alerts.some((a) => sameAlert(a, key, status)) || fresh.some((a) => sameAlert(a, key, status))) continue;
    fresh.push({ id: nextAlertId++, time: status.time, key, severity: status.severity, text: status.text, source: "statustext" });
  }
  if (fresh.length === 0) return { alerts, nextAlertId };
  alerts = insertNewestFirst(alerts, fresh);
  return { alerts, nextAlertId };
}

/** Keeps the list ordered by time, newest first, and bounded; ties keep arrival order (later first). */
function insertNewestFirst(alerts: readonly AlertEntry[], fresh: readonly AlertEntry[]): readonly AlertEntry[] {
  const merged = [...fresh.slice().reverse(), ...alerts];
  merged.sort((a, b) => b.time - a.time || b.id - a.id);
  return merged.length > ALERTS_MAX ? merged.slice(0, ALERTS_MAX) : merged;
}

function describeLinkEvent(event: LinkEvent): { severity: Severity; text: string } {
  if (event.state === "lost") return { severity: "critical", text: `Link lost: no heartbeat for ${(event.heartbeatAgeMs / 1000).toFixed(1)} s` };
  // A regain comes with a heartbeat (age 0): the outage is how long the vehicle was silent before it.
  return event.outageMs === undefined
    ? { severity: "notice", text: "Link regained" }
    : { severity: "notice", text: `Link regained after ${(event.outageMs / 1000).toFixed(1)} s` };
}

/** Records a link event, raises it as an alert and marks the vehicle's link state without waiting for a frame. */
export function addLinkEvent(state: AppData, event: LinkEvent): Partial<AppData> {
  const linkEvents = [event, ...state.linkEvents].slice(0, LINK_EVENTS_MAX);
  const { severity, text } = describeLinkEvent(event);
  const entry: AlertEntry = { id: state.nextAlertId, time: event.time, key: event.key, severity, text, source: "link" };
  const alerts = insertNewestFirst(state.alerts, [entry]);
  const vehicle = state.vehicles[event.key];
  // A regain is caused by a heartbeat at event.time; a loss only changes the state.
  const link = vehicle && (event.state === "lost"
    ? { ...vehicle.link, state: "lost" as const }
    : { ...vehicle.link, state: "ok" as const, lastHeartbeat: Math.max(vehicle.link.lastHeartbeat, event.time), heartbeatAgeMs: 0 });
  const vehicles = vehicle && link ? { ...state.vehicles, [event.key]: { ...vehicle, link } } : state.vehicles;
  return { linkEvents, alerts, nextAlertId: state.nextAlertId + 1, vehicles };
}
