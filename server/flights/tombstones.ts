/**
 * Flights deleted under retention (flight_tombstones, migration 20): the catalogue row and its seal stay, the .tlog
 * goes; the tombstone says who asked, when and why, and the routes that would read the file answer 410 with it.
 */
import type { FlightStatus, FlightSummary } from "../protocol";
import type { Db } from "../storage";

export interface FlightTombstone {
  at: number;
  /** Who asked for the deletion ("system" when its retention period ran out). */
  by: string;
  reason: string;
  request: number;
}

/** A flight as the catalogue answers it, with its tombstone when deleted under retention. */
export type FlightRecord = FlightSummary & { deleted?: FlightTombstone | null };

/** The tombstone a flight answer carries (set by the catalogue), or null. */
export const tombstoneOf = (f: FlightSummary): FlightTombstone | null => (f as FlightRecord).deleted ?? null;

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

/** The tombstone columns as the catalogue's SELECT names them (flight_tombstones joined as t). */
export const TOMBSTONE_COLUMNS = "t.deleted_at AS t_deleted_at, t.requested_by AS t_requested_by, t.reason AS t_reason, t.request AS t_request";

export interface TombstoneRow {
  t_deleted_at: number | null;
  t_requested_by: string | null;
  t_reason: string | null;
  t_request: number | null;
}

export const tombstoneOfRow = (r: TombstoneRow): FlightTombstone | null => (r.t_deleted_at === null ? null
  : { at: r.t_deleted_at, by: r.t_requested_by ?? "", reason: r.t_reason ?? "", request: r.t_request ?? 0 });

interface Row extends TombstoneRow {
  id: number; started_at: number; ended_at: number | null; status: FlightStatus; size_bytes: number | null; sha256: string | null; tlog_path: string;
}

export class FlightTombstones {
  constructor(private readonly db: Db) {}

  get(id: number): RetainedFlight | null {
    const r = this.db.prepare(`SELECT f.id, f.started_at, f.ended_at, f.status, f.size_bytes, f.sha256, f.tlog_path, ${TOMBSTONE_COLUMNS}
      FROM flights f LEFT JOIN flight_tombstones t ON t.flight_id = f.id WHERE f.id = ?`).get(id) as Row | undefined;
    return r ? retainedOf(r) : null;
  }

  all(): RetainedFlight[] {
    return (this.db.prepare(`SELECT f.id, f.started_at, f.ended_at, f.status, f.size_bytes, f.sha256, f.tlog_path, ${TOMBSTONE_COLUMNS}
      FROM flights f LEFT JOIN flight_tombstones t ON t.flight_id = f.id ORDER BY f.id`).all() as Row[]).map(retainedOf);
  }

  /** Written once (the table's triggers refuse a change or a removal). */
  mark(id: number, t: FlightTombstone): void {
    this.db.prepare("INSERT INTO flight_tombstones (flight_id, deleted_at, requested_by, reason, request) VALUES (?, ?, ?, ?, ?)")
      .run(id, t.at, t.by, t.reason, t.request);
  }
}

const retainedOf = (r: Row): RetainedFlight => ({
  id: r.id, startedAt: r.started_at, endedAt: r.ended_at, status: r.status, sizeBytes: r.size_bytes, sha256: r.sha256, tlogPath: r.tlog_path,
  deleted: tombstoneOfRow(r),
});
