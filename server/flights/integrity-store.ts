import type { Db } from "../storage";
import type { FlightIntegrity, FlightStatus } from "../protocol";

/** What a check can conclude and keep; "unchecked" and "recording" are the absence of a conclusion. */
export type CheckedState = "verified" | "altered" | "missing";

/** A file as stat() sees it: when any of these differ from the last check, the file may have changed since. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** The last check of one flight's file (a row of flight_integrity). */
export interface IntegrityRecord {
  state: CheckedState;
  checkedAt: number;
  /** When the SHA-256 was last read in full (null: the state comes from the size alone). */
  hashedAt: number | null;
  /** The file at that check (null: missing). */
  stamp: FileStamp | null;
  /** The file's hash when it differs from the seal. */
  actualSha256: string | null;
  /** The failure last written to the audit log ("missing", "altered:<sha256>", "altered:size:<n>"), null if none. */
  audited: string | null;
}

/** The integrity columns as the catalogue's SELECT names them (flight_integrity joined as i). */
export interface IntegrityRow {
  i_state: CheckedState | null;
  i_checked_at: number | null;
  i_hashed_at: number | null;
  i_size_bytes: number | null;
  i_mtime_ms: number | null;
  i_ctime_ms: number | null;
  i_actual_sha256: string | null;
  i_audited: string | null;
}

export const INTEGRITY_COLUMNS = ["state", "checked_at", "hashed_at", "size_bytes", "mtime_ms", "ctime_ms", "actual_sha256", "audited"]
  .map((c) => `i.${c} AS i_${c}`).join(", ");

export function recordOf(r: IntegrityRow): IntegrityRecord | null {
  if (r.i_state === null || r.i_checked_at === null) return null;
  const stamp = r.i_size_bytes === null || r.i_mtime_ms === null || r.i_ctime_ms === null ? null
    : { size: r.i_size_bytes, mtimeMs: r.i_mtime_ms, ctimeMs: r.i_ctime_ms };
  return { state: r.i_state, checkedAt: r.i_checked_at, hashedAt: r.i_hashed_at, stamp, actualSha256: r.i_actual_sha256, audited: r.i_audited };
}

/** The integrity a flight answer carries, from the record alone (the routes look at the file too). */
export function integrityOf(record: IntegrityRecord | null, flight: { status: FlightStatus; sha256: string | null }): FlightIntegrity {
  if (flight.status === "recording") return { state: "recording", checkedAt: null, actualSizeBytes: null, actualSha256: null };
  if (record === null || flight.sha256 === null) return { state: "unchecked", checkedAt: null, actualSizeBytes: null, actualSha256: null };
  const altered = record.state === "altered";
  return {
    state: record.state,
    checkedAt: record.checkedAt,
    actualSizeBytes: altered ? record.stamp?.size ?? null : null,
    actualSha256: altered ? record.actualSha256 : null,
  };
}

export function storedIntegrity(r: IntegrityRow, flight: { status: FlightStatus; sha256: string | null }): FlightIntegrity {
  return integrityOf(recordOf(r), flight);
}

/** flight_integrity: derived from the files, rebuildable (a row deleted is a file read again). */
export class IntegrityStore {
  constructor(private readonly db: Db) {}

  get(flightId: number): IntegrityRecord | null {
    const row = this.db.prepare(`SELECT ${INTEGRITY_COLUMNS} FROM flight_integrity i WHERE i.flight_id = ?`).get(flightId) as IntegrityRow | undefined;
    return row ? recordOf(row) : null;
  }

  save(flightId: number, r: IntegrityRecord): void {
    this.db.prepare(`INSERT INTO flight_integrity (flight_id, state, checked_at, hashed_at, size_bytes, mtime_ms, ctime_ms, actual_sha256, audited)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (flight_id) DO UPDATE SET state = excluded.state, checked_at = excluded.checked_at,
      hashed_at = excluded.hashed_at, size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms, ctime_ms = excluded.ctime_ms,
      actual_sha256 = excluded.actual_sha256, audited = excluded.audited`).run(
      flightId, r.state, r.checkedAt, r.hashedAt, r.stamp?.size ?? null, r.stamp?.mtimeMs ?? null, r.stamp?.ctimeMs ?? null,
      r.actualSha256, r.audited);
  }

  /**
   * Sealed flights whose file was never read in full, or not since `before`: never-read first, then the oldest.
   * Flights deleted under retention have no file to read.
   */
  due(before: number, limit: number): number[] {
    return (this.db.prepare(`SELECT f.id FROM flights f LEFT JOIN flight_integrity i ON i.flight_id = f.id
      WHERE f.sha256 IS NOT NULL AND f.status <> 'recording' AND (i.hashed_at IS NULL OR i.hashed_at < ?)
      AND f.id NOT IN (SELECT flight_id FROM flight_tombstones)
      ORDER BY i.hashed_at IS NOT NULL, i.hashed_at, f.id LIMIT ?`).all(before, limit) as { id: number }[]).map((r) => r.id);
  }
}
