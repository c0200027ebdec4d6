/**
 * Flights deleted under retention (flight_tombstones, migration 20): the catalogue row and its seal stay, the .tlog
 * goes; the tombstone says who asked, when and why, and the routes that would read the file answer 410 with it.
 */
import type { FlightStatus, FlightSummary } from "../protocol";
import type { Kysely } from "kysely";
import type { AppSql } from "../storage";
import type { FlightTables } from "./tables";

export interface FlightTombstone {
  at: number;
  /** Who asked for the deletion ("system" when its retention period ran out). */
  by: string;
  reason: string;
  request: number;
}

/**
 * A flight as the catalogue answers it, with its tombstone when deleted under retention, and the server whose data
 * directory holds its file (several servers sharing the database).
 */
export type FlightRecord = FlightSummary & { deleted?: FlightTombstone | null; recordedBy?: string | null };

/** The tombstone a flight answer carries (set by the catalogue), or null. */
export const tombstoneOf = (f: FlightSummary): FlightTombstone | null => (f as FlightRecord).deleted ?? null;

/** The server holding a flight's file, or null (one server, or a flight from before servers were told apart). */
export const recordedByOf = (f: FlightSummary): string | null => (f as FlightRecord).recordedBy ?? null;

/** What retention needs of each flight (no notes, no messages: it looks at every flight). */
export interface RetainedFlight {
  id: number;
  startedAt: number;
  endedAt: number | null;
  status: FlightStatus;
  sizeBytes: number | null;
  sha256: string | null;
  tlogPath: string;
  deleted: FlightTombstone | null;
}

/** The tombstone columns as the catalogue and this store select them (flight_tombstones joined as t). */
export interface TombstoneRow {
  t_deleted_at: number | null;
  t_requested_by: string | null;
  t_reason: string | null;
  t_request: number | null;
}

export const tombstoneOfRow = (r: TombstoneRow): FlightTombstone | null => (r.t_deleted_at === null ? null
  : { at: r.t_deleted_at, by: r.t_requested_by ?? "", reason: r.t_reason ?? "", request: r.t_request ?? 0 });

/** Flights' tombstones in the application database (SQLite or PostgreSQL); each is written once. */
export class FlightTombstones {
  private readonly db: Kysely<FlightTables>;

  constructor(sql: AppSql) {
    this.db = sql.kysely<FlightTables>();
  }

  async get(id: number): Promise<RetainedFlight | null> {
    const r = await this.select().where("f.id", "=", id).executeTakeFirst();
    return r ? retainedOf(r) : null;
  }

  async all(): Promise<RetainedFlight[]> {
    return (await this.select().orderBy("f.id").execute()).map(retainedOf);
  }

  /** Written once (the table's triggers refuse a change or a removal). */
  async mark(id: number, t: FlightTombstone): Promise<void> {
    await this.db.insertInto("flight_tombstones").values({ flight_id: id, deleted_at: t.at, requested_by: t.by, reason: t.reason, request: t.request }).execute();
  }

  private select() {
    return this.db.selectFrom("flights as f").leftJoin("flight_tombstones as t", "t.flight_id", "f.id")
      .select(["f.id", "f.started_at", "f.ended_at", "f.status", "f.size_bytes", "f.sha256", "f.tlog_path",
        "t.deleted_at as t_deleted_at", "t.requested_by as t_requested_by", "t.reason as t_reason", "t.request as t_request"]);
  }
}

type Row = TombstoneRow & {
  id: number; started_at: number; ended_at: number | null; status: FlightStatus; size_bytes: number | null; sha256: string | null; tlog_path: string;
};

const retainedOf = (r: Row): RetainedFlight => ({
  id: r.id, startedAt: r.started_at, endedAt: r.ended_at, status: r.status, sizeBytes: r.size_bytes, sha256: r.sha256, tlogPath: r.tlog_path,
  deleted: tombstoneOfRow(r),
});
