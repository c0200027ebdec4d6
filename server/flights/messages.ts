import type { FlightMessage, Severity } from "../protocol";
import type { Db } from "../storage";

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

interface Row {
  seq: number;
  time: number;
  severity: Severity;
  text: string;
}

/**
 * The flight_messages table: derived from the .tlog (the statistics' fold collects them), so rebuilt with the
 * statistics. While recording, each statistics update appends only what is new: a message, once written, is the
 * same in every later snapshot of the same record.
 */
export class FlightMessageStore {
  constructor(private readonly db: Db) {}

  /** "append": adds the messages past those stored; "replace": the list is the record's whole list (rebuild, import). */
  write(flightId: number, messages: readonly RecordedMessage[], mode: "append" | "replace"): void {
    let from = 0;
    if (mode === "replace") this.db.prepare("DELETE FROM flight_messages WHERE flight_id = ?").run(flightId);
    else from = this.count(flightId);
    if (from >= messages.length) return;
    const insert = this.db.prepare("INSERT INTO flight_messages (flight_id, seq, time, severity, text) VALUES (?, ?, ?, ?, ?)");
    for (let seq = from; seq < messages.length; seq++) {
      const m = messages[seq]!;
      insert.run(flightId, seq, m.time, m.severity, m.text);
    }
  }

  count(flightId: number): number {
    return (this.db.prepare("SELECT count(*) AS n FROM flight_messages WHERE flight_id = ?").get(flightId) as { n: number }).n;
  }

  list(flightId: number): FlightMessage[] {
    return this.db.prepare("SELECT seq, time, severity, text FROM flight_messages WHERE flight_id = ? ORDER BY seq")
      .all(flightId) as Row[];
  }
}
