import { z } from "zod";
import type { Alert, AlertClearReason, AlertRule, Severity, VehicleKey } from "../protocol";
import type { Db } from "../storage";

/** An alert before SQLite has given it an id. */
export type NewAlert = Omit<Alert, "id">;

/** Where alerts are kept: ids come from here, so they survive a restart. */
export interface AlertStore {
  insert(alert: NewAlert): Alert;
  /** Writes every mutable field of an existing alert (text, count, severity, clearing, acknowledgement). */
  update(alert: Alert): void;
  get(id: number): Alert | null;
  /** Alerts still active or not acknowledged (at most `limit`) plus the `others` newest remaining ones, newest first. */
  recent(limit: number, others: number): Alert[];
  /** Marks every active alert cleared (at start: episodes do not survive a restart); returns them as closed. */
  closeActive(time: number, reason: AlertClearReason): Alert[];
}

const RULES = ["link_lost", "battery_low", "battery_critical", "gps_lost", "ekf_unhealthy", "failsafe", "statustext",
  "altitude_limit", "vlos_distance", "geofence_breach", "recording_failed", "series_failed", "source_conflict",
  "unknown_vehicles", "vehicle_mode_change", "command_refused"] as const satisfies readonly AlertRule[];
const SEVERITIES = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"] as const satisfies readonly Severity[];

/**
 * A row as read back. Parsed rather than cast: the file may have been written by another version of the program,
 * and a row this code does not understand must be skipped loudly, not passed to clients as an Alert.
 */
const rowSchema = z.object({
  id: z.number().int(),
  vehicle: z.string().regex(/^\d+:\d+$/).transform((v) => v as VehicleKey),
  rule: z.enum(RULES),
  severity: z.enum(SEVERITIES),
  text: z.string(),
  count: z.number().int(),
  raised_at: z.number(),
  updated_at: z.number(),
  cleared_at: z.number().nullable(),
  clear_reason: z.enum(["ended", "superseded", "restart"]).nullable(),
  acknowledged_by: z.string().nullable(),
  acknowledged_at: z.number().nullable(),
});

const COLUMNS = "id, vehicle, rule, severity, text, count, raised_at, updated_at, cleared_at, clear_reason, acknowledged_by, acknowledged_at";

function toAlert(row: unknown): Alert | null {
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) return null;
  const r = parsed.data;
  return {
    id: r.id, key: r.vehicle, rule: r.rule, severity: r.severity, text: r.text, count: r.count, raisedAt: r.raised_at,
    updatedAt: r.updated_at, clearedAt: r.cleared_at, clearReason: r.clear_reason, acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
  };
}

function params(a: NewAlert) {
  return {
    vehicle: a.key, rule: a.rule, severity: a.severity, text: a.text, count: a.count, raised_at: a.raisedAt,
    updated_at: a.updatedAt, cleared_at: a.clearedAt, clear_reason: a.clearReason, acknowledged_by: a.acknowledgedBy,
    acknowledged_at: a.acknowledgedAt,
  };
}

/** The alert history in the application database (migration "alerts"). */
export class SqliteAlertStore implements AlertStore {
  constructor(private readonly db: Db) {}

  insert(alert: NewAlert): Alert {
    const info = this.db.prepare(`INSERT INTO alerts (vehicle, rule, severity, text, count, raised_at, updated_at, cleared_at,
      clear_reason, acknowledged_by, acknowledged_at) VALUES (@vehicle, @rule, @severity, @text, @count, @raised_at, @updated_at,
      @cleared_at, @clear_reason, @acknowledged_by, @acknowledged_at)`).run(params(alert));
    return { ...alert, id: Number(info.lastInsertRowid) };
  }

  update(alert: Alert): void {
    this.db.prepare(`UPDATE alerts SET severity = @severity, text = @text, count = @count, updated_at = @updated_at,
      cleared_at = @cleared_at, clear_reason = @clear_reason, acknowledged_by = @acknowledged_by, acknowledged_at = @acknowledged_at
      WHERE id = @id`).run({ ...params(alert), id: alert.id });
  }

  get(id: number): Alert | null {
    return toAlert(this.db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`).get(id));
  }

  recent(limit: number, others: number): Alert[] {
    const attention = this.db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE cleared_at IS NULL OR acknowledged_at IS NULL
      ORDER BY id DESC LIMIT ?`).all(limit);
    const rest = this.db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE cleared_at IS NOT NULL AND acknowledged_at IS NOT NULL
      ORDER BY id DESC LIMIT ?`).all(others);
    return [...attention, ...rest].map(toAlert).filter((a): a is Alert => a !== null).sort((a, b) => b.id - a.id);
  }

  /**
   * A vehicle's alerts raised in [from, to], oldest first, at most `limit` (a flight report's list). Reads the
   * history without an index on time: a report is printed rarely, and the scan stays in SQLite.
   */
  during(key: VehicleKey, from: number, to: number, limit: number): Alert[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE vehicle = ? AND raised_at BETWEEN ? AND ?
      ORDER BY raised_at, id LIMIT ?`).all(key, from, to, limit).map(toAlert).filter((a): a is Alert => a !== null);
  }

  closeActive(time: number, reason: AlertClearReason): Alert[] {
    return this.db.transaction(() => {
      const open = this.db.prepare(`SELECT ${COLUMNS} FROM alerts WHERE cleared_at IS NULL`).all()
        .map(toAlert).filter((a): a is Alert => a !== null);
      this.db.prepare("UPDATE alerts SET cleared_at = ?, clear_reason = ? WHERE cleared_at IS NULL").run(time, reason);
      return open.map((a) => ({ ...a, clearedAt: time, clearReason: reason }));
    }).immediate();
  }
}
