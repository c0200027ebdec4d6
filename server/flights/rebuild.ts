import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { TlogCounters, TlogEntry } from "../mavlink";
import { decodeFrame, parseTlog } from "../mavlink";
import type { FlightCatalogue, FlightStats } from "./catalogue";
import { packetTime } from "./segmenter";
import { STATS_MSG_IDS, StatsAccumulator } from "./stats";

/**
 * Statistics of one flight record: the same fold the recorder ran while recording, over the same packets (the
 * vehicle's own decoded, everything else only counted).
 */
export function statsOfEntries(entries: readonly TlogEntry[], sysid: number, compid: number): FlightStats {
  const acc = new StatsAccumulator();
  for (const e of entries) {
    const f = e.frame;
    const mine = f.sysid === sysid && f.compid === compid && STATS_MSG_IDS.has(f.msgid);
    acc.add(packetTime(e.timeUs), mine ? decodeFrame(f).message : null);
  }
  return acc.snapshot();
}

export interface FileFacts {
  sizeBytes: number;
  sha256: string;
  stats: FlightStats;
  counters: TlogCounters;
}

/** Reads a flight's .tlog: its size, hash, and statistics recomputed from its packets. */
export async function factsOfFile(absPath: string, sysid: number, compid: number): Promise<FileFacts> {
  const buf = await readFile(absPath);
  const parsed = parseTlog(buf);
  return {
    sizeBytes: buf.length,
    sha256: createHash("sha256").update(buf).digest("hex"),
    stats: statsOfEntries(parsed.entries, sysid, compid),
    counters: parsed.counters,
  };
}

export interface RebuildResult {
  id: number;
  tlogPath: string;
  outcome: "updated" | "missing" | "hash-mismatch" | "skipped-recording";
  message: string;
}

const PAGE = 500;

/**
 * `npm run flights -- rebuild`: recomputes every closed or imported flight's statistics from its .tlog. The file
 * is the record; the catalogue is derived. A file whose hash no longer matches its seal is reported and left alone.
 */
export async function rebuildCatalogue(catalogue: FlightCatalogue, dataDir: string, log: Logger): Promise<RebuildResult[]> {
  const results: RebuildResult[] = [];
  const ids: { id: number; tlogPath: string; sysid: number; compid: number; status: string; sha256: string | null }[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = catalogue.list({ offset, limit: PAGE });
    for (const f of page.flights) {
      ids.push({ id: f.id, tlogPath: f.tlogPath, sysid: f.vehicle.sysid, compid: f.vehicle.compid, status: f.status, sha256: f.sha256 });
    }
    if (offset + PAGE >= page.total) break;
  }
  for (const f of ids.sort((a, b) => a.id - b.id)) {
    const base = { id: f.id, tlogPath: f.tlogPath };
    if (f.status === "recording") {
      results.push({ ...base, outcome: "skipped-recording", message: "still recording (or the server crashed: it seals it at start)" });
      continue;
    }
    let facts: FileFacts;
    try {
      facts = await factsOfFile(path.join(dataDir, f.tlogPath), f.sysid, f.compid);
    } catch (err) {
      results.push({ ...base, outcome: "missing", message: (err as Error).message });
      continue;
    }
    if (f.sha256 !== null && f.sha256 !== facts.sha256) {
      log.error({ flight: f.id, expected: f.sha256, actual: facts.sha256 }, "flight file does not match its seal");
      results.push({ ...base, outcome: "hash-mismatch", message: `sealed ${f.sha256}, file is ${facts.sha256}` });
      continue;
    }
    catalogue.updateStats(f.id, facts.stats);
    results.push({ ...base, outcome: "updated", message: `${facts.stats.packets} packets` });
  }
  return results;
}
