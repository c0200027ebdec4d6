import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { TlogCounters, TlogEntry } from "../mavlink";
import { decodeFrame, parseTlog } from "../mavlink";
import type { FlightCatalogue, FlightStats } from "./catalogue";
import { adoptFile, flightFiles, vehicleOfFile } from "./rebuild-adopt";
import { seriesOfEntries, writeSeries } from "./rebuild-series";
import { packetTime } from "./segmenter";
import type { SeriesStore } from "./series";
import { STATS_MSG_IDS, StatsAccumulator } from "./stats";

/**
 * Statistics of one flight record: the same fold the recorder ran while recording, over the same packets (the
 * vehicle's own decoded, everything else only counted).
 */
export function statsOfEntries(entries: readonly TlogEntry[], sysid: number, compid: number): FlightStats {
  const acc = new StatsAccumulator();
  for (const e of entries) {
    const f = e.frame;
    // A flight's file holds its vehicle's packets and those sent to it (see FlightDemux): nothing else.
    const mine = f.sysid === sysid && f.compid === compid;
    acc.add(packetTime(e.timeUs), mine && STATS_MSG_IDS.has(f.msgid) ? decodeFrame(f).message : null, mine ? "in" : "out");
  }
  return acc.snapshot();
}

export interface FlightFile {
  sizeBytes: number;
  sha256: string;
  entries: TlogEntry[];
  counters: TlogCounters;
}

/** Reads and parses a flight's .tlog once: its seal (size, hash) and its packets. */
export async function readFlightFile(absPath: string): Promise<FlightFile> {
  const buf = await readFile(absPath);
  const parsed = parseTlog(buf);
  return { sizeBytes: buf.length, sha256: createHash("sha256").update(buf).digest("hex"), entries: parsed.entries, counters: parsed.counters };
}

export interface FileFacts {
  sizeBytes: number;
  sha256: string;
  stats: FlightStats;
  counters: TlogCounters;
}

/** Reads a flight's .tlog: its size, hash, and statistics recomputed from its packets. */
export async function factsOfFile(absPath: string, sysid: number, compid: number): Promise<FileFacts> {
  const f = await readFlightFile(absPath);
  return { sizeBytes: f.sizeBytes, sha256: f.sha256, stats: statsOfEntries(f.entries, sysid, compid), counters: f.counters };
}

export type RebuildOutcome =
  | "updated" | "added" | "missing" | "hash-mismatch" | "skipped-recording" | "unrecognised" | "series-failed";

/** Outcomes an operator must look at: the CLI exits 1 when one occurs. */
export const REBUILD_PROBLEMS: ReadonlySet<RebuildOutcome> = new Set(["missing", "hash-mismatch", "unrecognised", "series-failed"]);

export interface RebuildResult {
  /** The catalogue row; null for a file that could not be catalogued. */
  id: number | null;
  tlogPath: string;
  outcome: RebuildOutcome;
  message: string;
  /** Series points written for the flight (0 when series were not rebuilt). */
  seriesPoints: number;
}

export interface RebuildOptions {
  /** Also rebuild every flight's telemetry series into this store, at rateHz (default 5). */
  series?: { store: SeriesStore; rateHz?: number };
  /** This data directory's server id (serverIdOf): the rows of files adopted here name it. */
  server?: string | null;
}

interface Known {
  id: number;
  tlogPath: string;
  sysid: number;
  compid: number;
  status: string;
  sha256: string | null;
}

const PAGE = 500;

async function catalogued(catalogue: FlightCatalogue): Promise<Known[]> {
  const rows: Known[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await catalogue.list({ offset, limit: PAGE });
    for (const f of page.flights) {
      rows.push({ id: f.id, tlogPath: f.tlogPath, sysid: f.vehicle.sysid, compid: f.vehicle.compid, status: f.status, sha256: f.sha256 });
    }
    if (offset + PAGE >= page.total) break;
  }
  return rows.sort((a, b) => a.id - b.id);
}

/**
 * `npm run flights -- rebuild`: the files are the record, the catalogue and the series are derived from them.
 * Every closed or imported flight gets its statistics (and, given a store, its series) recomputed from its .tlog;
 * a flight file below flights/ without a row (a catalogue lost, or restored from an older backup) gets one, cut
 * and measured as the recorder does. A file whose hash no longer matches its seal is reported and left alone.
 */
export async function rebuildCatalogue(catalogue: FlightCatalogue, dataDir: string, log: Logger,
  options: RebuildOptions = {}): Promise<RebuildResult[]> {
  const results: RebuildResult[] = [];
  const rows = await catalogued(catalogue);
  const series = async (id: number, file: FlightFile, vehicle: { sysid: number; compid: number }, done: string) => {
    const base = { id, message: done, seriesPoints: 0 };
    if (options.series === undefined) return base;
    const points = seriesOfEntries(file.entries, vehicle, id, log, options.series.rateHz);
    try {
      await options.series.store.deleteFlight(id);
    } catch (err) {
      return { ...base, outcome: "series-failed" as const, message: `${done}; old series not removed: ${String(err)}` };
    }
    const problem = await writeSeries(options.series.store, points);
    if (problem !== null) return { ...base, outcome: "series-failed" as const, message: `${done}; ${problem}` };
    return { ...base, message: `${done}, ${points.length} series points`, seriesPoints: points.length };
  };
  for (const f of rows) {
    const base = { id: f.id, tlogPath: f.tlogPath, seriesPoints: 0 };
    if (f.status === "recording") {
      results.push({ ...base, outcome: "skipped-recording", message: "still recording (or the server crashed: it seals it at start)" });
      continue;
    }
    let file: FlightFile;
    try {
      file = await readFlightFile(path.join(dataDir, f.tlogPath));
    } catch (err) {
      results.push({ ...base, outcome: "missing", message: (err as Error).message });
      continue;
    }
    if (f.sha256 !== null && f.sha256 !== file.sha256) {
      log.error({ flight: f.id, expected: f.sha256, actual: file.sha256 }, "flight file does not match its seal");
      results.push({ ...base, outcome: "hash-mismatch", message: `sealed ${f.sha256}, file is ${file.sha256}` });
      continue;
    }
    const stats = statsOfEntries(file.entries, f.sysid, f.compid);
    await catalogue.updateStats(f.id, stats);
    results.push({ outcome: "updated", tlogPath: f.tlogPath, ...await series(f.id, file, f, `${stats.packets} packets`) });
  }
  const known = new Set(rows.map((r) => r.tlogPath));
  for (const tlogPath of await flightFiles(dataDir)) {
    if (known.has(tlogPath)) continue;
    let file: FlightFile;
    try {
      file = await readFlightFile(path.join(dataDir, tlogPath));
    } catch (err) {
      // Listed a moment ago: gone or unreadable since (permissions). Reported, the other files go on.
      results.push({ id: null, tlogPath, outcome: "missing", message: (err as Error).message, seriesPoints: 0 });
      continue;
    }
    const vehicle = vehicleOfFile(tlogPath, file.entries);
    if (vehicle === null) {
      results.push({ id: null, tlogPath, outcome: "unrecognised", message: "no catalogue row, and no vehicle arms in it: not catalogued", seriesPoints: 0 });
      continue;
    }
    const stats = statsOfEntries(file.entries, vehicle.sysid, vehicle.compid);
    const id = await adoptFile(catalogue, { tlogPath, ...file, vehicle, stats }, options.server ?? null);
    const more = vehicle.flights > 1 ? ` (the file holds ${vehicle.flights} flights of ${vehicle.key}: catalogued as one)` : "";
    log.info({ flight: id, tlogPath }, "flight file had no catalogue row: added");
    results.push({ outcome: "added", tlogPath, ...await series(id, file, vehicle, `new row for ${vehicle.key}, ${file.entries.length} packets${more}`) });
  }
  return results;
}
