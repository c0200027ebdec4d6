import type { Db } from "../storage";
import type { FlightMessage, FlightNote, FlightStatus, FlightSummary, FlightsPage, FlightsQuery, VehicleKey } from "../protocol";
import type { IntegrityRow } from "./integrity-store";
import { INTEGRITY_COLUMNS, storedIntegrity } from "./integrity-store";
import type { RecordedMessage } from "./messages";
import { FlightMessageStore } from "./messages";
import type { FlightTombstone, TombstoneRow } from "./tombstones";
import { TOMBSTONE_COLUMNS, tombstoneOfRow } from "./tombstones";

/** What a new flight starts with (the recorder at arming, or an import). */
export interface NewFlight {
  vehicle: { key: VehicleKey; sysid: number; compid: number; type: string; name: string | null };
  startedAt: number;
  tlogPath: string;
  /** "closed" and "interrupted" are set by seal(). */
  status: Exclude<FlightStatus, "closed" | "interrupted">;
  pilot: string | null;
  previousId: number | null;
  source: string;
}

/** Statistics derived from the decoded telemetry, updated while recording and set at the end. */
export interface FlightStats {
  armedAt: number | null;
  disarmedAt: number | null;
  distanceM: number;
  maxAltRelM: number | null;
  maxDistHomeM: number | null;
  takeoff: { lat: number; lon: number } | null;
  landing: { lat: number; lon: number } | null;
  /** minLon, minLat, maxLon, maxLat of the track, or null without a position. */
  bbox: [number, number, number, number] | null;
  /** Every packet of the record, and apart: those the vehicle sent, those sent to it. */
  packets: number;
  packetsIn: number;
  packetsOut: number;
  /** The vehicle's STATUSTEXT messages, oldest first, up to MAX_FLIGHT_MESSAGES; the rest counted. */
  messages: RecordedMessage[];
  messagesDropped: number;
  endedAt: number | null;
}

export interface Seal {
  endedAt: number;
  sizeBytes: number;
  sha256: string;
}

interface Row extends IntegrityRow, TombstoneRow {
  id: number; vehicle_key: string; sysid: number; compid: number; vehicle_type: string; vehicle_name: string | null;
  started_at: number; ended_at: number | null; armed_at: number | null; disarmed_at: number | null;
  distance_m: number; max_alt_rel_m: number | null; max_dist_home_m: number | null;
  takeoff_lat: number | null; takeoff_lon: number | null; landing_lat: number | null; landing_lon: number | null;
  pilot: string | null; tlog_path: string; size_bytes: number | null; sha256: string | null; status: FlightStatus;
  packets: number; packets_in: number | null; packets_out: number | null; messages_dropped: number; message_count: number;
  previous_id: number | null; source: string;
  /** The segment continuing this one (see SELECT_FLIGHT). */
  next_id: number | null; next_started_at: number | null;
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

/**
 * Each flight with the segment that continues it (the lowest id, should two ever claim it), its integrity record
 * and its tombstone (deleted under retention).
 */
const SELECT_FLIGHT = `SELECT f.*, n.id AS next_id, n.started_at AS next_started_at, ${INTEGRITY_COLUMNS}, ${TOMBSTONE_COLUMNS},
  (SELECT count(*) FROM flight_messages m WHERE m.flight_id = f.id) AS message_count FROM flights f
  LEFT JOIN flights n ON n.id = (SELECT min(id) FROM flights WHERE previous_id = f.id)
  LEFT JOIN flight_integrity i ON i.flight_id = f.id
  LEFT JOIN flight_tombstones t ON t.flight_id = f.id`;

/** Armed time: to the disarm, or for a flight cut by a crash while armed, to its last packet. */
function durationOf(r: Row): number | null {
  if (r.armed_at === null) return null;
  const end = r.disarmed_at ?? (r.status === "interrupted" ? r.ended_at : null);
  return end === null ? null : (end - r.armed_at) / 1000;
}

const place = (lat: number | null, lon: number | null) => (lat === null || lon === null ? null : { lat, lon });

/**
 * The flight catalogue in SQLite: one row per flight (or segment), its statistics and notes. The .tlog files are
 * the record; this is the index to find them, and can be rebuilt from them.
 */
export class FlightCatalogue {
  private readonly messageStore: FlightMessageStore;

  constructor(private readonly db: Db) {
    this.messageStore = new FlightMessageStore(db);
  }

  create(f: NewFlight): number {
    const r = this.db.prepare(`INSERT INTO flights (vehicle_key, sysid, compid, vehicle_type, vehicle_name, started_at,
      tlog_path, status, pilot, previous_id, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      f.vehicle.key, f.vehicle.sysid, f.vehicle.compid, f.vehicle.type, f.vehicle.name, f.startedAt, f.tlogPath,
      f.status, f.pilot, f.previousId, f.source);
    return Number(r.lastInsertRowid);
  }

  /**
   * Stores a record's statistics and messages, in one transaction. `messages`: "append" while recording (each
   * update adds what is new since the last), "replace" when the statistics come from a whole record (the end of
   * an import, a rebuild, the recovery after a crash).
   */
  updateStats(id: number, s: FlightStats, messages: "append" | "replace" = "replace"): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE flights SET armed_at = ?, disarmed_at = ?, distance_m = ?, max_alt_rel_m = ?,
        max_dist_home_m = ?, takeoff_lat = ?, takeoff_lon = ?, landing_lat = ?, landing_lon = ?, min_lon = ?, min_lat = ?,
        max_lon = ?, max_lat = ?, packets = ?, packets_in = ?, packets_out = ?, messages_dropped = ?,
        ended_at = COALESCE(?, ended_at) WHERE id = ?`).run(
        s.armedAt, s.disarmedAt, s.distanceM, s.maxAltRelM, s.maxDistHomeM, s.takeoff?.lat ?? null, s.takeoff?.lon ?? null,
        s.landing?.lat ?? null, s.landing?.lon ?? null, s.bbox?.[0] ?? null, s.bbox?.[1] ?? null, s.bbox?.[2] ?? null,
        s.bbox?.[3] ?? null, s.packets, s.packetsIn, s.packetsOut, s.messagesDropped, s.endedAt, id);
      this.messageStore.write(id, s.messages, messages);
    })();
  }

  /**
   * The statistics of every flight being recorded, in one transaction: one commit for all of them rather than one
   * each (at 200 vehicles, 200 WAL commits held the event loop ~90 ms every few seconds).
   */
  updateStatsMany(updates: Iterable<{ id: number; stats: FlightStats }>, messages: "append" | "replace"): void {
    this.db.transaction(() => {
      for (const u of updates) this.updateStats(u.id, u.stats, messages);
    })();
  }

  /** Names the pilot of a flight that had none (control taken after arming); a named pilot is never replaced. */
  setPilot(id: number, pilot: string): void {
    this.db.prepare("UPDATE flights SET pilot = ? WHERE id = ? AND pilot IS NULL").run(pilot, id);
  }

  /** The vehicle's messages kept with a flight, oldest first. */
  messages(id: number): FlightMessage[] {
    return this.messageStore.list(id);
  }

  /**
   * Closes a flight: its file's size and SHA-256 are stored once and never change (the trigger refuses it).
   * A flight being recorded becomes "closed", or "interrupted" when the recovery after a crash seals it.
   */
  seal(id: number, seal: Seal, ending: "closed" | "interrupted" = "closed"): void {
    const r = this.db.prepare(`UPDATE flights SET ended_at = ?, size_bytes = ?, sha256 = ?,
      status = CASE status WHEN 'recording' THEN ? ELSE status END WHERE id = ? AND sha256 IS NULL`)
      .run(seal.endedAt, seal.sizeBytes, seal.sha256, ending, id);
    if (r.changes !== 1) throw new Error(`flight ${id} is already sealed or does not exist`);
  }

  get(id: number): FlightSummary | null {
    const row = this.db.prepare(`${SELECT_FLIGHT} WHERE f.id = ?`).get(id) as Row | undefined;
    return row ? this.summary(row) : null;
  }

  /** Flights still marked recording (after a crash: to be closed or continued as a linked segment). */
  recording(): FlightSummary[] {
    return (this.db.prepare(`${SELECT_FLIGHT} WHERE f.status = 'recording' ORDER BY f.id`).all() as Row[]).map((r) => this.summary(r));
  }

  list(q: FlightsQuery): FlightsPage {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.vehicle !== undefined) {
      where.push("f.vehicle_key = ?");
      args.push(q.vehicle);
    }
    if (q.from !== undefined) {
      where.push("COALESCE(f.ended_at, f.started_at) >= ?");
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push("f.started_at <= ?");
      args.push(q.to);
    }
    if (q.bbox !== undefined) {
      where.push("f.max_lon >= ? AND f.max_lat >= ? AND f.min_lon <= ? AND f.min_lat <= ?");
      args.push(q.bbox[0], q.bbox[1], q.bbox[2], q.bbox[3]);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    const limit = Math.min(q.limit ?? DEFAULT_PAGE, MAX_PAGE);
    const offset = q.offset ?? 0;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM flights f ${clause}`).get(...args) as { n: number }).n;
    const rows = this.db.prepare(`${SELECT_FLIGHT} ${clause} ORDER BY f.started_at DESC, f.id DESC LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as Row[];
    return { flights: rows.map((r) => this.summary(r)), total, offset, limit };
  }

  addNote(flightId: number, author: string, time: number, text: string): FlightNote {
    const r = this.db.prepare("INSERT INTO flight_notes (flight_id, author, time, text) VALUES (?, ?, ?, ?)").run(flightId, author, time, text);
    return { id: Number(r.lastInsertRowid), author, time, text };
  }

  private notes(flightId: number): FlightNote[] {
    return this.db.prepare("SELECT id, author, time, text FROM flight_notes WHERE flight_id = ? ORDER BY id").all(flightId) as FlightNote[];
  }

  private summary(r: Row): FlightSummary {
    const summary: FlightSummary & { deleted: FlightTombstone | null } = {
      id: r.id,
      vehicle: { key: r.vehicle_key as VehicleKey, sysid: r.sysid, compid: r.compid, type: r.vehicle_type, name: r.vehicle_name },
      startedAt: r.started_at,
      endedAt: r.ended_at,
      armedAt: r.armed_at,
      disarmedAt: r.disarmed_at,
      durationS: durationOf(r),
      distanceM: r.distance_m,
      maxAltRelM: r.max_alt_rel_m,
      maxDistHomeM: r.max_dist_home_m,
      takeoff: place(r.takeoff_lat, r.takeoff_lon),
      landing: place(r.landing_lat, r.landing_lon),
      pilot: r.pilot,
      tlogPath: r.tlog_path,
      sizeBytes: r.size_bytes,
      sha256: r.sha256,
      ...importedFile(r.tlog_path),
      status: r.status,
      packets: r.packets,
      packetsReceived: r.packets_in,
      packetsSent: r.packets_out,
      messageCount: r.message_count,
      messagesDropped: r.messages_dropped,
      previousId: r.previous_id,
      continuedBy: r.next_id === null ? null
        : { id: r.next_id, gapMs: r.ended_at === null || r.next_started_at === null ? null : r.next_started_at - r.ended_at },
      integrity: storedIntegrity(r, r),
      source: r.source,
      notes: this.notes(r.id),
      deleted: tombstoneOfRow(r),
    };
    return summary;
  }
}

/** imports/<sha256 of the uploaded file>/<extract>.tlog (import-store.ts): the original's hash, for imported flights. */
const IMPORTED_EXTRACT = /^imports\/([0-9a-f]{64})\//;
function importedFile(tlogPath: string): { importedFileSha256?: string } {
  const m = IMPORTED_EXTRACT.exec(tlogPath);
  return m ? { importedFileSha256: m[1]! } : {};
}
