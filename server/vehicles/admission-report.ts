import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { AlertRule, Severity, VehicleKey } from "../protocol";
import { GROUND_STATION_KEY } from "../protocol";
import type { AdmissionEvents } from "./admission-options";
import { sourceText } from "./admission";

/** Unknown ids refused on a link within a minute before the operators are told (one stray id is noise). */
export const REFUSED_ALERT_THRESHOLD = 3;

export interface AdmissionReportDeps {
  log: Logger;
  audit: { record(input: AuditInput): void };
  /** One alert per topic while it lasts; null ends it (AlertEngine.system). */
  alert(topic: string, text: string | null, time: number, about: { key: VehicleKey; rule: AlertRule; severity: Severity }): void;
  /** A vehicle or companion id is gone: forget what was kept for it (the recorder's per-vehicle stream). */
  forget(key: VehicleKey): void;
}

/**
 * Turns what admission decides into what people see: log lines, alerts (a second source sending as a vehicle,
 * unknown vehicles refused on a link) and audit entries (a vehicle's source changed, a conflict began).
 */
export function admissionReport(deps: AdmissionReportDeps): { events: AdmissionEvents; refused(counts: Map<string, number>, time: number): void } {
  const { log } = deps;
  const conflictTopic = (key: VehicleKey, other: { linkId: string; peer: string }) => `source:${key}:${other.linkId}:${other.peer}`;
  const events: AdmissionEvents = {
    admitted: (key, source) => log.info({ vehicle: key, link: source.linkId, peer: source.peer }, "vehicle admitted"),
    evicted: (key) => deps.forget(key),
    forgotten: (key) => deps.forget(key),
    conflict: (key, bound, other, time) => {
      const text = `Vehicle ${key}: packets in its name from a second source (${sourceText(other)}); it is bound to `
        + `${sourceText(bound)}. They are kept apart (quarantine), not shown and not in its flight.`;
      log.warn({ vehicle: key, bound, other }, "second source for a vehicle: quarantined");
      deps.alert(conflictTopic(key, other), text, time, { key, rule: "source_conflict", severity: "critical" });
      deps.audit.record({
        actor: "system", address: "", action: "vehicle_source_conflict", target: key, result: "quarantined",
        detail: { bound: sourceText(bound), other: sourceText(other) },
      });
    },
    conflictEnded: (key, _bound, other, time) => deps.alert(conflictTopic(key, other), null, time,
      { key, rule: "source_conflict", severity: "critical" }),
    sourceChanged: (key, from, to) => {
      log.warn({ vehicle: key, from, to }, "vehicle source changed (its first source fell silent)");
      deps.audit.record({
        actor: "system", address: "", action: "vehicle_source_changed", target: key, result: "ok",
        detail: { from: sourceText(from), to: sourceText(to) },
      });
    },
  };
  return {
    events,
    refused(counts, time) {
      for (const [linkId, n] of counts) {
        deps.alert(`refused:${linkId}`, n >= REFUSED_ALERT_THRESHOLD
          ? `${n} unknown vehicles refused on link ${linkId} in the last minute (forged or misconfigured system ids; see /api/health)`
          : null, time, { key: GROUND_STATION_KEY, rule: "unknown_vehicles", severity: "warning" });
      }
    },
  };
}
