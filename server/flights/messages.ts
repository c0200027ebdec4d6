import type { FlightMessage, Severity } from "../protocol";
import type { Kysely } from "kysely";
import type { FlightTables } from "./tables";

/**
 * Messages kept per flight. ArduCopter sends tens in a normal flight (arming checks, mode and failsafe notices,
 * mission progress); a vehicle that floods (a fault loop, a hostile sender) stops adding after this many. The
 * rest are counted and remain in the .tlog, which holds every packet.
 */
export const MAX_FLIGHT_MESSAGES = 5000;

/** A STATUSTEXT as the statistics collect it (its place in the list is its seq). */
export interface RecordedMessage {
  time: number;
  severity: Severity;
  text: string;
}

/** The vehicle's messages of one record, oldest first, bounded; what does not fit is counted. */
export class MessageCollector {
  readonly list: RecordedMessage[] = [];
  dropped = 0;

  constructor(private readonly limit = MAX_FLIGHT_MESSAGES) {}

  add(m: RecordedMessage): void {
    if (this.list.length < this.limit) this.list.push(m);
    else this.dropped++;
  }
}

/**
 * The flight_messages table: derived from the .tlog (the statistics' fold collects them), so rebuilt with the
 * statistics. While recording, each statistics update appends only what is new: a message, once written, is the
 * same in every later snapshot of the same record.
 */
export const flightMessages = {
  /**
   * "append": adds the messages past those stored; "replace": the list is the record's whole list (rebuild, import).
   * Run inside the caller's transaction, with the statistics it goes with.
   */
  async write(db: Kysely<FlightTables>, flightId: number, messages: readonly RecordedMessage[], mode: "append" | "replace"): Promise<void> {
    let from = 0;
    if (mode === "replace") await db.deleteFrom("flight_messages").where("flight_id", "=", flightId).execute();
    else from = await flightMessages.count(db, flightId);
    for (let seq = from; seq < messages.length; seq += INSERT_CHUNK) {
      const rows = messages.slice(seq, seq + INSERT_CHUNK).map((m, i) => ({ flight_id: flightId, seq: seq + i, time: m.time, severity: m.severity, text: m.text }));
      await db.insertInto("flight_messages").values(rows).execute();
    }
  },

  async count(db: Kysely<FlightTables>, flightId: number): Promise<number> {
    const row = await db.selectFrom("flight_messages").select((eb) => eb.fn.countAll<number>().as("n")).where("flight_id", "=", flightId).executeTakeFirst();
    return Number(row?.n ?? 0);
  },

  async list(db: Kysely<FlightTables>, flightId: number): Promise<FlightMessage[]> {
    return db.selectFrom("flight_messages").select(["seq", "time", "severity", "text"]).where("flight_id", "=", flightId).orderBy("seq").execute();
  },
};

/** Rows per INSERT: well under both engines' limits on bound parameters (5 a row). */
const INSERT_CHUNK = 500;
