import type { Kysely } from "kysely";
import type { AppSql } from "../storage";
import type { FlightIntegrity, FlightStatus } from "../protocol";
import type { FlightTables } from "./tables";

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
  private readonly db: Kysely<FlightTables>;

  constructor(sql: AppSql) {
    this.db = sql.kysely<FlightTables>();
  }

  async get(flightId: number): Promise<IntegrityRecord | null> {
    const r = await this.db.selectFrom("flight_integrity").selectAll().where("flight_id", "=", flightId).executeTakeFirst();
    return r ? recordOf({
      i_state: r.state, i_checked_at: r.checked_at, i_hashed_at: r.hashed_at, i_size_bytes: r.size_bytes, i_mtime_ms: r.mtime_ms,
      i_ctime_ms: r.ctime_ms, i_actual_sha256: r.actual_sha256, i_audited: r.audited,
    }) : null;
  }

  /**
   * Marks a failure as audited unless it already is: whether this call marked it (and so audits it). One update,
   * so of several checks at once, on one server or several, one audits it.
   */
  async claimAudit(flightId: number, key: string): Promise<boolean> {
    const r = await this.db.updateTable("flight_integrity").set({ audited: key }).where("flight_id", "=", flightId)
      .where((eb) => eb.or([eb("audited", "is", null), eb("audited", "<>", key)])).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Writes a check's outcome. `audited` is written only to clear it (a good file) or on a first record: a failure's
   * mark is set by claimAudit alone, so a check that read the record before another marked it cannot unmark it.
   */
  async save(flightId: number, r: IntegrityRecord): Promise<void> {
    const row = {
      state: r.state, checked_at: r.checkedAt, hashed_at: r.hashedAt, size_bytes: r.stamp?.size ?? null,
      mtime_ms: r.stamp?.mtimeMs ?? null, ctime_ms: r.stamp?.ctimeMs ?? null, actual_sha256: r.actualSha256,
    };
    const clears = r.audited === null && r.state === "verified";
    await this.db.insertInto("flight_integrity").values({ flight_id: flightId, ...row, audited: clears ? null : r.audited })
      .onConflict((oc) => oc.column("flight_id").doUpdateSet(clears ? { ...row, audited: null } : row)).execute();
  }

  /**
   * Sealed flights whose file was never read in full, or not since `before`: never-read first, then the oldest.
   * Flights deleted under retention have no file to read. Given the servers whose files are here, only theirs (and
   * those no server is named for): the others' are in their own directories. Without, every flight's.
   */
  async due(before: number, limit: number, here: readonly string[] | null = null): Promise<number[]> {
    const servers = here ?? [];
    const rows = await this.db.selectFrom("flights as f").leftJoin("flight_integrity as i", "i.flight_id", "f.id").select("f.id")
      .where("f.sha256", "is not", null).where("f.status", "<>", "recording")
      .where((eb) => eb.or([eb("i.hashed_at", "is", null), eb("i.hashed_at", "<", before)]))
      .$if(here !== null, (q) => q.where((eb) => eb.or([eb("f.recorded_by", "is", null), ...servers.map((s) => eb("f.recorded_by", "=", s))])))
      .where((eb) => eb.not(eb.exists(eb.selectFrom("flight_tombstones as t").select("t.flight_id").whereRef("t.flight_id", "=", "f.id"))))
      .orderBy((eb) => eb.case().when("i.hashed_at", "is", null).then(0).else(1).end()).orderBy("i.hashed_at").orderBy("f.id")
      .limit(limit).execute();
    return rows.map((r) => r.id);
  }
}
