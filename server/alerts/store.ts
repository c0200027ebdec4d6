import type { Kysely } from "kysely";
import { z } from "zod";
import type { Alert, AlertClearReason, AlertRule, Severity, VehicleKey } from "../protocol";
import type { AppSql } from "../storage";
import type { AlertTables } from "./tables";

/** A block of alert ids [first, first + count) taken for this server alone. */
export interface IdBlock {
  first: number;
  count: number;
}

/** What acknowledging a stored alert did. */
export type AckOutcome = "acknowledged" | "already" | "missing";

/** Where alerts are kept, on either engine. Ids are handed out in blocks, so a rule raises an alert at once. */
export interface AlertStore {
  /** Takes `count` ids no other server (or earlier run) was given. */
  reserveIds(count: number): Promise<IdBlock>;
  /**
   * Writes each alert's state (inserted, or updated: text, count, severity, clearing), in one transaction. An
   * acknowledgement already stored is kept whatever the alert says: it is written by `acknowledge` only.
   */
  save(alerts: readonly Alert[]): Promise<void>;
  /** Marks the alert acknowledged by `by` at `at`, unless someone did first (on any server). */
  acknowledge(id: number, by: string, at: number): Promise<AckOutcome>;
  /** Takes back the acknowledgement `acknowledge(id, by, at)` stored (its audit entry could not be written). */
  unacknowledge(id: number, by: string, at: number): Promise<void>;
  get(id: number): Promise<Alert | null>;
  /** Alerts still active or not acknowledged (at most `limit`) plus the `others` newest remaining ones, newest first. */
  recent(limit: number, others: number): Promise<Alert[]>;
  /** A vehicle's alerts raised in [from, to], oldest first, at most `limit` (a flight report's list). */
  during(key: VehicleKey, from: number, to: number, limit: number): Promise<Alert[]>;
  /**
   * Marks the active alerts this server raised cleared (at start: episodes do not survive a restart of their server),
   * and those no server is named for (raised before servers were told apart); returns them as closed.
   */
  closeActive(time: number, reason: AlertClearReason): Promise<Alert[]>;
}

const RULES = ["link_lost", "battery_low", "battery_critical", "gps_lost", "ekf_unhealthy", "failsafe", "statustext",
  "altitude_limit", "vlos_distance", "geofence_breach", "recording_failed", "series_failed", "source_conflict",
  "unknown_vehicles", "vehicle_mode_change", "command_refused"] as const satisfies readonly AlertRule[];
const SEVERITIES = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"] as const satisfies readonly Severity[];

/**
 * A row as read back. Parsed rather than cast: the database may have been written by another version of the
 * program, and a row this code does not understand must be skipped loudly, not passed to clients as an Alert.
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

const COLUMNS = ["id", "vehicle", "rule", "severity", "text", "count", "raised_at", "updated_at", "cleared_at", "clear_reason",
  "acknowledged_by", "acknowledged_at"] as const;

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

const alertsOf = (rows: readonly unknown[]): Alert[] => rows.map(toAlert).filter((a): a is Alert => a !== null);

const rowOf = (a: Alert): Omit<AlertTables["alerts"], "raised_by"> => ({
  id: a.id, vehicle: a.key, rule: a.rule, severity: a.severity, text: a.text, count: a.count, raised_at: a.raisedAt,
  updated_at: a.updatedAt, cleared_at: a.clearedAt, clear_reason: a.clearReason, acknowledged_by: a.acknowledgedBy,
  acknowledged_at: a.acknowledgedAt,
});

/** Rows per INSERT: well under both engines' limits on bound parameters (12 a row). */
const SAVE_CHUNK = 500;

/** The alert history in the application database, on SQLite or PostgreSQL. */
export class SqlAlertStore implements AlertStore {
  private readonly db: Kysely<AlertTables>;

  /** `server`: this server's id, written with the alerts it raises (null: a reader, which raises none). */
  constructor(sql: AppSql, private readonly server: string | null = null) {
    this.db = sql.kysely<AlertTables>();
  }

  async reserveIds(count: number): Promise<IdBlock> {
    // One statement: the row's lock (PostgreSQL) or the write lock (SQLite) makes concurrent takers queue.
    const row = await this.db.updateTable("alert_ids").set((eb) => ({ next_id: eb("next_id", "+", count) }))
      .where("one", "=", 1).returning("next_id").executeTakeFirst();
    if (!row) throw new Error("the alert id counter (alert_ids) is missing: the database was altered outside the application");
    return { first: row.next_id - count, count };
  }

  async save(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (let i = 0; i < alerts.length; i += SAVE_CHUNK) {
        await tx.insertInto("alerts").values(alerts.slice(i, i + SAVE_CHUNK).map((a) => ({ ...rowOf(a), raised_by: this.server }))).onConflict((oc) => oc.column("id").doUpdateSet((eb) => ({
          severity: eb.ref("excluded.severity"),
          text: eb.ref("excluded.text"),
          count: eb.ref("excluded.count"),
          updated_at: eb.ref("excluded.updated_at"),
          cleared_at: eb.ref("excluded.cleared_at"),
          clear_reason: eb.ref("excluded.clear_reason"),
          acknowledged_by: eb.fn.coalesce("alerts.acknowledged_by", eb.ref("excluded.acknowledged_by")),
          acknowledged_at: eb.fn.coalesce("alerts.acknowledged_at", eb.ref("excluded.acknowledged_at")),
        }))).execute();
      }
    });
  }

  async acknowledge(id: number, by: string, at: number): Promise<AckOutcome> {
    const done = await this.db.updateTable("alerts").set({ acknowledged_by: by, acknowledged_at: at })
      .where("id", "=", id).where("acknowledged_at", "is", null).executeTakeFirst();
    if (Number(done.numUpdatedRows) > 0) return "acknowledged";
    const found = await this.db.selectFrom("alerts").select("id").where("id", "=", id).executeTakeFirst();
    return found ? "already" : "missing";
  }

  async unacknowledge(id: number, by: string, at: number): Promise<void> {
    await this.db.updateTable("alerts").set({ acknowledged_by: null, acknowledged_at: null })
      .where("id", "=", id).where("acknowledged_by", "=", by).where("acknowledged_at", "=", at).execute();
  }

  async get(id: number): Promise<Alert | null> {
    return toAlert(await this.db.selectFrom("alerts").select(COLUMNS).where("id", "=", id).executeTakeFirst());
  }

  async recent(limit: number, others: number): Promise<Alert[]> {
    const attention = await this.db.selectFrom("alerts").select(COLUMNS)
      .where((eb) => eb.or([eb("cleared_at", "is", null), eb("acknowledged_at", "is", null)])).orderBy("id", "desc").limit(limit).execute();
    const rest = await this.db.selectFrom("alerts").select(COLUMNS)
      .where("cleared_at", "is not", null).where("acknowledged_at", "is not", null).orderBy("id", "desc").limit(others).execute();
    return alertsOf([...attention, ...rest]).sort((a, b) => b.id - a.id);
  }

  /** Reads the history without an index on time: a report is printed rarely. */
  async during(key: VehicleKey, from: number, to: number, limit: number): Promise<Alert[]> {
    return alertsOf(await this.db.selectFrom("alerts").select(COLUMNS).where("vehicle", "=", key)
      .where("raised_at", ">=", from).where("raised_at", "<=", to).orderBy("raised_at").orderBy("id").limit(limit).execute());
  }

  async closeActive(time: number, reason: AlertClearReason): Promise<Alert[]> {
    return this.db.transaction().execute(async (tx) => {
      // This server's, and those raised before servers were told apart.
      const servers = this.server === null ? [] : [this.server];
      const open = alertsOf(await tx.selectFrom("alerts").select(COLUMNS).where("cleared_at", "is", null)
        .where((eb) => eb.or([eb("raised_by", "is", null), ...servers.map((s) => eb("raised_by", "=", s))])).execute());
      await tx.updateTable("alerts").set({ cleared_at: time, clear_reason: reason }).where("cleared_at", "is", null)
        .where((eb) => eb.or([eb("raised_by", "is", null), ...servers.map((s) => eb("raised_by", "=", s))])).execute();
      return open.map((a) => ({ ...a, clearedAt: time, clearReason: reason }));
    });
  }
}
