import type { Kysely, SelectQueryBuilder } from "kysely";
import type { FlightMessage, FlightNote, FlightStatus, FlightSummary, FlightsPage, FlightsQuery, VehicleKey } from "../protocol";
import type { AppSql } from "../storage";
import { storedIntegrity } from "./integrity-store";
import type { RecordedMessage } from "./messages";
import { flightMessages } from "./messages";
import type { FlightTables } from "./tables";
import type { FlightTombstone } from "./tombstones";
import { tombstoneOfRow } from "./tombstones";

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
  /** The server whose data directory holds the file (serverIdOf), when servers share the database. */
  recordedBy?: string | null;
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

/** A record read whole (an import, a file adopted by a rebuild, a flight recovered after a crash): its facts and seal. */
export interface SealedRecord {
  stats: FlightStats;
  seal: Seal;
}

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;
/** Rows per `WHERE flight_id IN (...)`: well under both engines' limits on bound parameters. */
const IN_CHUNK = 500;

type FlightsAsF = FlightTables & { f: FlightTables["flights"] };
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Kysely's own type for "nothing selected yet"
type Base = SelectQueryBuilder<FlightsAsF, "f", {}>;

/**
 * Each flight with the segment that continues it (the lowest id, should two ever claim it), its integrity record,
 * its tombstone (deleted under retention) and the number of its messages.
 */
function withDetails(base: Base) {
  return base
    .leftJoin("flight_integrity as i", "i.flight_id", "f.id")
    .leftJoin("flight_tombstones as t", "t.flight_id", "f.id")
    .selectAll("f")
    .select(["i.state as i_state", "i.checked_at as i_checked_at", "i.hashed_at as i_hashed_at", "i.size_bytes as i_size_bytes",
      "i.mtime_ms as i_mtime_ms", "i.ctime_ms as i_ctime_ms", "i.actual_sha256 as i_actual_sha256", "i.audited as i_audited"])
    .select(["t.deleted_at as t_deleted_at", "t.requested_by as t_requested_by", "t.reason as t_reason", "t.request as t_request"])
    .select((eb) => [
      eb.selectFrom("flights as n").select("n.id").whereRef("n.previous_id", "=", "f.id").orderBy("n.id").limit(1).as("next_id"),
      eb.selectFrom("flights as n").select("n.started_at").whereRef("n.previous_id", "=", "f.id").orderBy("n.id").limit(1).as("next_started_at"),
      eb.selectFrom("flight_messages as m").select((m) => m.fn.countAll<number>().as("n")).whereRef("m.flight_id", "=", "f.id").as("message_count"),
    ]);
}

/** A flight row with the details withDetails adds. */
type Row = Awaited<ReturnType<ReturnType<typeof withDetails>["execute"]>>[number];

/** The flights a query asks for (vehicle, time overlapping [from, to], track within a box). */
function filtered(base: Base, q: FlightsQuery): Base {
  let b = base;
  if (q.vehicle !== undefined) b = b.where("f.vehicle_key", "=", q.vehicle);
  if (q.from !== undefined) {
    const from = q.from;
    b = b.where((eb) => eb(eb.fn.coalesce("f.ended_at", "f.started_at"), ">=", from));
  }
  if (q.to !== undefined) b = b.where("f.started_at", "<=", q.to);
  if (q.bbox !== undefined) {
    const [minLon, minLat, maxLon, maxLat] = q.bbox;
    b = b.where("f.max_lon", ">=", minLon).where("f.max_lat", ">=", minLat).where("f.min_lon", "<=", maxLon).where("f.min_lat", "<=", maxLat);
  }
  return b;
}

/** Armed time: to the disarm, or for a flight cut by a crash while armed, to its last packet. */
function durationOf(r: Row): number | null {
  if (r.armed_at === null) return null;
  const end = r.disarmed_at ?? (r.status === "interrupted" ? r.ended_at : null);
  return end === null ? null : (end - r.armed_at) / 1000;
}

const place = (lat: number | null, lon: number | null) => (lat === null || lon === null ? null : { lat, lon });

/**
 * The flight catalogue in the application database (SQLite or PostgreSQL): one row per flight (or segment), its
 * statistics and notes. The .tlog files are the record; this is the index to find them, and can be rebuilt from them.
 */
export class FlightCatalogue {
  private readonly db: Kysely<FlightTables>;

  constructor(sql: AppSql) {
    this.db = sql.kysely<FlightTables>();
  }

  /** A new row; its id. Throws the engine's unique violation when another flight has the path (isUniqueViolation). */
  async create(f: NewFlight): Promise<number> {
    return insertFlight(this.db, f);
  }

  /**
   * Flights whose record is complete (an import's, a file adopted by a rebuild): created, given their statistics
   * and sealed in one transaction, so that no half of them is ever seen. `beforeCommit` runs last inside it, with
   * their ids: what it throws rolls them back (an import's report, written before its rows are visible). Their ids.
   */
  async createSealed(flights: readonly (SealedRecord & { flight: NewFlight })[], beforeCommit?: (ids: number[]) => void): Promise<number[]> {
    return this.db.transaction().execute(async (tx) => {
      const ids: number[] = [];
      for (const f of flights) {
        const id = await insertFlight(tx, f.flight);
        await writeStats(tx, id, f.stats, "replace");
        await writeSeal(tx, id, f.seal, "closed");
        ids.push(id);
      }
      beforeCommit?.(ids);
      return ids;
    });
  }

  /**
   * Stores a record's statistics and messages, in one transaction. `messages`: "append" while recording (each
   * update adds what is new since the last), "replace" when the statistics come from a whole record (a rebuild).
   */
  async updateStats(id: number, s: FlightStats, messages: "append" | "replace" = "replace"): Promise<void> {
    await this.db.transaction().execute((tx) => writeStats(tx, id, s, messages));
  }

  /**
   * The statistics of the flights being recorded and the pilots named since (a flight's pilot is set once, when it
   * had none: control taken after arming), in one transaction: one commit for
   * all of them rather than one each (at 200 vehicles, 200 WAL commits held the event loop ~90 ms every few seconds).
   * Messages are appended (each update adds what is new since the last).
   */
  async updateMany(updates: readonly { id: number; stats: FlightStats | null; pilot: string | null }[]): Promise<void> {
    if (updates.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const u of updates) {
        if (u.stats) await writeStats(tx, u.id, u.stats, "append");
        if (u.pilot !== null) await tx.updateTable("flights").set({ pilot: u.pilot }).where("id", "=", u.id).where("pilot", "is", null).execute();
      }
    });
  }

  /** The vehicle's messages kept with a flight, oldest first. */
  async messages(id: number): Promise<FlightMessage[]> {
    return flightMessages.list(this.db, id);
  }

  /**
   * Closes a flight: its file's size and SHA-256 are stored once and never change (the trigger refuses it).
   * A flight being recorded becomes "closed", or "interrupted" when the recovery after a crash seals it.
   */
  async seal(id: number, seal: Seal, ending: "closed" | "interrupted" = "closed"): Promise<void> {
    await writeSeal(this.db, id, seal, ending);
  }

  /** The recovery after a crash: the statistics recomputed from the file, and the seal, in one transaction. */
  async sealInterrupted(id: number, r: SealedRecord): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await writeStats(tx, id, r.stats, "replace");
      await writeSeal(tx, id, r.seal, "interrupted");
    });
  }

  /**
   * A flight started without knowing it continues another (the segment before it was sealed after it started: a
   * server gone, its flight sealed by the one that took its link over). Only a flight continuing nothing yet.
   */
  async linkPrevious(id: number, previousId: number): Promise<boolean> {
    const r = await this.db.updateTable("flights").set({ previous_id: previousId })
      .where("id", "=", id).where("previous_id", "is", null).where("id", "<>", previousId).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** The servers named for flights still recording (with a shared files directory: those a gone server left). */
  async recordingServers(): Promise<string[]> {
    const rows = await this.db.selectFrom("flights").select("recorded_by").distinct()
      .where("status", "=", "recording").where("recorded_by", "is not", null).execute();
    return rows.flatMap((r) => r.recorded_by === null ? [] : [r.recorded_by]);
  }

  async get(id: number): Promise<FlightSummary | null> {
    const rows = await withDetails(this.db.selectFrom("flights as f")).where("f.id", "=", id).execute();
    return (await this.summaries(rows))[0] ?? null;
  }

  /**
   * Flights still marked recording (after a crash: to be closed or continued as a linked segment). Given a server,
   * those it recorded and those no server is named for: another server's are its own to seal. Without one, all.
   * `only`: that server's alone (another server, gone, whose flights are sealed for it).
   */
  async recording(server: string | null = null, only = false): Promise<FlightSummary[]> {
    const servers = server === null ? [] : [server];
    return this.summaries(await withDetails(this.db.selectFrom("flights as f")).where("f.status", "=", "recording")
      .$if(server !== null, (q) => q.where((eb) => eb.or([...only ? [] : [eb("f.recorded_by", "is", null)], ...servers.map((s) => eb("f.recorded_by", "=", s))])))
      .orderBy("f.id").execute());
  }

  async list(q: FlightsQuery): Promise<FlightsPage> {
    const limit = Math.min(q.limit ?? DEFAULT_PAGE, MAX_PAGE);
    const offset = q.offset ?? 0;
    const base = filtered(this.db.selectFrom("flights as f"), q);
    const counted = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst();
    const rows = await withDetails(base).orderBy("f.started_at", "desc").orderBy("f.id", "desc").limit(limit).offset(offset).execute();
    return { flights: await this.summaries(rows), total: Number(counted?.n ?? 0), offset, limit };
  }

  async addNote(flightId: number, author: string, time: number, text: string): Promise<FlightNote> {
    const r = await this.db.insertInto("flight_notes").values({ flight_id: flightId, author, time, text }).returning("id").executeTakeFirstOrThrow();
    return { id: Number(r.id), author, time, text };
  }

  /** The rows as answers, with every flight's notes read in one query. */
  private async summaries(rows: readonly Row[]): Promise<FlightSummary[]> {
    const notes = new Map<number, FlightNote[]>();
    const ids = rows.map((r) => r.id);
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const found = await this.db.selectFrom("flight_notes").select(["id", "flight_id", "author", "time", "text"])
        .where("flight_id", "in", ids.slice(i, i + IN_CHUNK)).orderBy("id").execute();
      for (const n of found) {
        const list = notes.get(n.flight_id) ?? [];
        list.push({ id: n.id, author: n.author, time: n.time, text: n.text });
        notes.set(n.flight_id, list);
      }
    }
    return rows.map((r) => summaryOf(r, notes.get(r.id) ?? []));
  }
}

async function insertFlight(db: Kysely<FlightTables>, f: NewFlight): Promise<number> {
  const row = await db.insertInto("flights").values({
    vehicle_key: f.vehicle.key, sysid: f.vehicle.sysid, compid: f.vehicle.compid, vehicle_type: f.vehicle.type,
    vehicle_name: f.vehicle.name, started_at: f.startedAt, tlog_path: f.tlogPath, status: f.status, pilot: f.pilot,
    previous_id: f.previousId, source: f.source, recorded_by: f.recordedBy ?? null,
  }).returning("id").executeTakeFirstOrThrow();
  return Number(row.id);
}

async function writeStats(db: Kysely<FlightTables>, id: number, s: FlightStats, messages: "append" | "replace"): Promise<void> {
  await db.updateTable("flights").set((eb) => ({
    armed_at: s.armedAt, disarmed_at: s.disarmedAt, distance_m: s.distanceM, max_alt_rel_m: s.maxAltRelM,
    max_dist_home_m: s.maxDistHomeM, takeoff_lat: s.takeoff?.lat ?? null, takeoff_lon: s.takeoff?.lon ?? null,
    landing_lat: s.landing?.lat ?? null, landing_lon: s.landing?.lon ?? null, min_lon: s.bbox?.[0] ?? null,
    min_lat: s.bbox?.[1] ?? null, max_lon: s.bbox?.[2] ?? null, max_lat: s.bbox?.[3] ?? null, packets: s.packets,
    packets_in: s.packetsIn, packets_out: s.packetsOut, messages_dropped: s.messagesDropped,
    ended_at: s.endedAt ?? eb.ref("ended_at"),
  })).where("id", "=", id).execute();
  await flightMessages.write(db, id, s.messages, messages);
}

async function writeSeal(db: Kysely<FlightTables>, id: number, seal: Seal, ending: "closed" | "interrupted"): Promise<void> {
  const r = await db.updateTable("flights").set((eb) => ({
    ended_at: seal.endedAt, size_bytes: seal.sizeBytes, sha256: seal.sha256,
    status: eb.case("status").when("recording").then(ending).else(eb.ref("status")).end(),
  })).where("id", "=", id).where("sha256", "is", null).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Error(`flight ${id} is already sealed or does not exist`);
}

function summaryOf(r: Row, notes: FlightNote[]): FlightSummary {
  const summary: FlightSummary & { deleted: FlightTombstone | null; recordedBy: string | null } = {
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
    messageCount: Number(r.message_count ?? 0),
    messagesDropped: r.messages_dropped,
    previousId: r.previous_id,
    continuedBy: r.next_id === null ? null
      : { id: r.next_id, gapMs: r.ended_at === null || r.next_started_at === null ? null : r.next_started_at - r.ended_at },
    integrity: storedIntegrity(r, r),
    source: r.source,
    notes,
    deleted: tombstoneOfRow(r),
    recordedBy: r.recorded_by,
  };
  return summary;
}

/** imports/<sha256 of the uploaded file>/<extract>.tlog (import-store.ts): the original's hash, for imported flights. */
const IMPORTED_EXTRACT = /^imports\/([0-9a-f]{64})\//;
function importedFile(tlogPath: string): { importedFileSha256?: string } {
  const m = IMPORTED_EXTRACT.exec(tlogPath);
  return m ? { importedFileSha256: m[1]! } : {};
}
