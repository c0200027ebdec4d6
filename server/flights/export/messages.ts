import { MSG_ID, decodeFrame } from "../../mavlink";
import type { RecordedMessage } from "../messages";
import { csvField } from "./csv";
import type { TrackVehicle } from "./samples";
import { isoTime } from "./text";
import { tlogEntryChunks } from "./tlog-stream";

/**
 * The vehicle's STATUSTEXT messages read from a .tlog, oldest first, every one of them (the catalogue's list is
 * bounded per flight; an export reads the record itself).
 */
export async function* messageSamples(chunks: AsyncIterable<Buffer>, vehicle: TrackVehicle): AsyncGenerator<RecordedMessage> {
  for await (const entries of tlogEntryChunks(chunks)) {
    for (const { frame, timeUs } of entries) {
      if (frame.msgid !== MSG_ID.STATUSTEXT || frame.sysid !== vehicle.sysid || frame.compid !== vehicle.compid) continue;
      const m = decodeFrame(frame).message;
      if (m.kind === "statusText") yield { time: Math.floor(timeUs / 1000), severity: m.severity, text: m.text };
    }
  }
}

export const MESSAGES_CSV_HEADER = ["time", "severity", "text"] as const;

/** A header, then one row per message (RFC 4180, CRLF lines). */
export async function* messagesCsv(messages: AsyncIterable<RecordedMessage>): AsyncGenerator<string> {
  yield `${MESSAGES_CSV_HEADER.join(",")}\r\n`;
  for await (const m of messages) yield `${isoTime(m.time)},${m.severity},${csvField(m.text)}\r\n`;
}
