import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { Bookmark, FlightSummary } from "../../protocol";
import { bookmarksCsv } from "./bookmarks";
import { csv } from "./csv";
import { geojson } from "./geojson";
import { gpx } from "./gpx";
import { kml } from "./kml";
import { messageSamples, messagesCsv } from "./messages";
import type { TrackSample } from "./samples";
import { fileChunks, trackSamples } from "./samples";
import { batched } from "./text";

/** "messages": the vehicle's messages (STATUSTEXT) of the flight, as CSV; "bookmarks": the reviewers' bookmarks, as CSV. */
export const EXPORT_FORMATS = ["tlog", "kml", "gpx", "csv", "geojson", "messages", "bookmarks"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

type Render = (samples: AsyncIterable<TrackSample>, flight: FlightSummary) => AsyncIterable<string>;
/** A format read from the file's entries by its own reader, not from the track. */
type Read = (chunks: AsyncIterable<Buffer>, flight: FlightSummary) => AsyncIterable<string>;

/** How a format is made: the original bytes, rendered from the track, or read from the file's entries. */
type Format = { mediaType: string; /** The file name's ending. */ suffix: string }
  & ({ from: "original" } | { from: "track"; render: Render } | { from: "entries"; read: Read } | { from: "bookmarks" });

const FORMATS: Record<ExportFormat, Format> = {
  tlog: { mediaType: "application/octet-stream", suffix: ".tlog", from: "original" },
  kml: { mediaType: "application/vnd.google-earth.kml+xml", suffix: ".kml", from: "track", render: kml },
  gpx: { mediaType: "application/gpx+xml", suffix: ".gpx", from: "track", render: gpx },
  csv: { mediaType: "text/csv; charset=utf-8", suffix: ".csv", from: "track", render: (samples) => csv(samples) },
  geojson: { mediaType: "application/geo+json", suffix: ".geojson", from: "track", render: geojson },
  messages: {
    mediaType: "text/csv; charset=utf-8", suffix: "-messages.csv", from: "entries",
    read: (chunks, flight) => messagesCsv(messageSamples(chunks, flight.vehicle)),
  },
  bookmarks: { mediaType: "text/csv; charset=utf-8", suffix: "-bookmarks.csv", from: "bookmarks" },
};

/** A file to send: its headers are decided before the first byte, the body is read as it is sent. */
export interface ExportFile {
  ok: true;
  headers: Record<string, string>;
  body: Readable;
}

export interface ExportRefusal {
  ok: false;
  status: number;
  code: string;
  message: string;
}

/** The flight's .tlog on disk, or null when its recorded path would leave the data directory. */
export function flightFilePath(dataDir: string, flight: FlightSummary): string | null {
  const root = path.resolve(dataDir);
  const file = path.resolve(root, flight.tlogPath);
  const rel = path.relative(root, file);
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? null : file;
}

/** "flight-12-1-20261121T090000Z.kml": ASCII only, so it needs no RFC 5987 encoding in Content-Disposition. */
export function exportFileName(flight: FlightSummary, format: ExportFormat): string {
  const stamp = new Date(flight.startedAt).toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
  return `flight-${flight.id}-${flight.vehicle.sysid}-${stamp}${FORMATS[format].suffix}`;
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/** SHA-256 of a file, read as a stream (a flight file may be hundreds of MB). */
async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The refusal of every route that serves what a sealed flight's file holds, once it no longer matches its seal. */
export function alteredRefusal(flight: FlightSummary, why: string): ExportRefusal {
  return { ok: false, status: 409, code: "tlog_altered", message: `the .tlog of flight ${flight.id} ${why}: nothing sent, report it` };
}

/**
 * A sealed flight's file must still be what was sealed, for every format: evidence derived from an altered file is
 * not evidence. Checked before anything is sent (one extra read of the file; exports are rare, integrity is not).
 * 409: the request is fine, the record is in a state that forbids answering it.
 */
async function alteration(file: string, size: number, flight: FlightSummary): Promise<ExportRefusal | null> {
  if (flight.sizeBytes === null || flight.sha256 === null) return null;
  const why = flight.sizeBytes !== size ? `is ${size} bytes but was sealed at ${flight.sizeBytes}`
    : (await sha256Of(file)) !== flight.sha256 ? "no longer has the SHA-256 it was sealed with" : null;
  return why === null ? null : alteredRefusal(flight, why);
}

/** The original bytes, with the sealed hash. */
function tlogFile(file: string, size: number, flight: FlightSummary, headers: Record<string, string>): ExportFile {
  headers["Content-Length"] = String(size);
  if (flight.sha256 !== null) {
    headers["X-Content-SHA256"] = flight.sha256;
    // RFC 9530: the same hash in the standard field, which clients may check themselves.
    headers["Repr-Digest"] = `sha-256=:${Buffer.from(flight.sha256, "hex").toString("base64")}:`;
  }
  // A flight still recording grows: the bytes present now are sent, and the length says so.
  const body = size === 0 ? Readable.from([]) : fs.createReadStream(file, { start: 0, end: size - 1 });
  return { ok: true, headers, body };
}

function headersOf(flight: FlightSummary, format: ExportFormat): Record<string, string> {
  return {
    "Content-Type": FORMATS[format].mediaType,
    "Content-Disposition": `attachment; filename="${exportFileName(flight, format)}"`,
    "X-Flight-Status": flight.status,
    "X-Flight-Integrity": flight.integrity.state,
  };
}

export interface ExportOptions {
  /** How the file is read (tests count it). */
  read?: (file: string) => AsyncIterable<Buffer>;
  /** False when the caller has just compared the file with its seal itself (the integrity check): not read twice. */
  checkSeal?: boolean;
  /** The flight's bookmarks, for the "bookmarks" format. */
  bookmarks?: readonly Bookmark[];
}

/**
 * Opens an export of a flight: the .tlog as recorded, or a format derived from it on the fly. Nothing is built
 * in memory: the body decodes the file chunk by chunk as the response drains (a Readable from an async
 * generator is only pulled when the consumer wants more).
 */
export async function openExport(
  dataDir: string, flight: FlightSummary, format: ExportFormat, { read = fileChunks, checkSeal = true, bookmarks = [] }: ExportOptions = {},
): Promise<ExportFile | ExportRefusal> {
  const spec = FORMATS[format];
  const headers = headersOf(flight, format);
  // Not read from the file: sent whatever the file's state (the headers carry it).
  if (spec.from === "bookmarks") return { ok: true, headers, body: Readable.from(bookmarksCsv(bookmarks)) };
  const file = flightFilePath(dataDir, flight);
  const size = file === null ? null : await sizeOf(file);
  if (file === null || size === null) {
    return { ok: false, status: 404, code: "tlog_missing", message: `the .tlog of flight ${flight.id} is not in the data directory` };
  }
  const altered = checkSeal ? await alteration(file, size, flight) : null;
  if (altered) return altered;
  if (spec.from === "original") return tlogFile(file, size, flight, headers);
  const text = spec.from === "entries" ? spec.read(read(file), flight) : spec.render(trackSamples(read(file), flight.vehicle), flight);
  return { ok: true, headers, body: Readable.from(batched(text), { objectMode: false }) };
}

/** The positions of a flight from its .tlog, or null when the file is not there. */
export async function flightSamples(dataDir: string, flight: FlightSummary): Promise<AsyncIterable<TrackSample> | null> {
  const file = flightFilePath(dataDir, flight);
  if (file === null || (await sizeOf(file)) === null) return null;
  return trackSamples(fileChunks(file), flight.vehicle);
}
