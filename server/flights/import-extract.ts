import { createHash } from "node:crypto";
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from "node:fs";
import path from "node:path";
import type { TlogCounters } from "../mavlink";
import { TlogStreamParser } from "../mavlink";
import type { VehicleKey } from "../protocol";
import type { FlightStats } from "./catalogue";
import { FlightDemux } from "./demux";
import { nodeFs } from "./recorder-fs";
import { vehicleDir } from "./recorder-sessions";
import type { SegPacket, SegmenterOptions } from "./segmenter";
import { packetTime } from "./segmenter";
import { MemoryBudget, TlogWriter } from "./tlog-writer";

export interface ExtractRequest {
  /** The uploaded file. */
  source: string;
  /** Where the extracts (and the copy of the original, if asked) are written; removed by the caller on failure. */
  staging: string;
  /** Also write the original, byte for byte, to staging/original.tlog (else the caller moves it). */
  copy: boolean;
  segmenter: SegmenterOptions;
}

export interface ExtractedFlight {
  key: VehicleKey;
  ids: { sysid: number; compid: number };
  vehicleClass: string;
  /** The extract's name, both in staging/extracts/ and in imports/<sha256>/. */
  file: string;
  /** Time of its first packet, ms (and µs, to order flights as the file does). */
  startedAt: number;
  firstUs: number;
  lastAt: number;
  stats: FlightStats;
  packets: number;
  sizeBytes: number;
  sha256: string;
}

export interface Extracted {
  sha256: string;
  sizeBytes: number;
  packets: number;
  counters: TlogCounters;
  flights: ExtractedFlight[];
}

export interface ExtractProgress {
  bytes: number;
  totalBytes: number;
  packets: number;
  flights: number;
}

export const EXTRACTS_DIR = "extracts";
export const ORIGINAL_FILE = "original.tlog";
const CHUNK = 256 * 1024;
/** Extract entries held before a write; the rest of the memory is the demux's pre-roll (30 s per vehicle). */
const FLUSH_BYTES = 4 * CHUNK;

interface Open {
  flight: Omit<ExtractedFlight, "stats" | "sizeBytes" | "sha256">;
  writer: TlogWriter;
}

/**
 * Cuts a .tlog into flights with the live recorder's demux, streaming: the file is read a chunk at a time, hashed
 * as it is read, and each flight's entries go straight to its extract (written "wx", sealed when the flight ends).
 * Memory does not grow with the file. Synchronous: it runs in a worker thread (import-worker.ts), never on the
 * server's event loop.
 */
export function extractFlights(req: ExtractRequest, progress: (p: ExtractProgress) => void): Extracted {
  const budget = new MemoryBudget(Number.MAX_SAFE_INTEGER);
  const open = new Map<VehicleKey, Open>();
  const done: ExtractedFlight[] = [];
  const counts = new Map<VehicleKey, number>();
  const append = (o: Open, p: SegPacket) => {
    o.writer.append(p.timeUs, p.bytes);
    o.flight.packets++;
    o.flight.lastAt = packetTime(p.timeUs);
  };
  const demux = new FlightDemux({
    flightStarted(key, start, ids) {
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      const file = `${vehicleDir(key)}-${n}.tlog`;
      const writer = new TlogWriter(nodeFs, path.join(req.staging, EXTRACTS_DIR, file), budget, true);
      const first = start.preRoll[0];
      const o: Open = {
        flight: {
          key, ids, vehicleClass: start.vehicleClass, file, startedAt: first ? packetTime(first.timeUs) : start.armedAt,
          firstUs: first?.timeUs ?? start.armedAt * 1000, lastAt: start.armedAt, packets: 0,
        },
        writer,
      };
      open.set(key, o);
      for (const p of start.preRoll) append(o, p);
    },
    write(key, into, packet) {
      const o = open.get(key);
      if (into === "flight" && o !== undefined) append(o, packet);
    },
    flightEnded(key, stats) {
      const o = open.get(key);
      if (!o) return;
      open.delete(key);
      done.push({ ...o.flight, stats, ...o.writer.close() });
    },
  }, req.segmenter);
  const parser = new TlogStreamParser((e) => {
    // One file is one "link": a broadcast in it reached every vehicle in it.
    demux.push({ direction: "in", linkId: "file", timeUs: e.timeUs, frame: e.frame });
  });

  const hash = createHash("sha256");
  const fd = openSync(req.source, "r");
  let copy = req.copy ? openSync(path.join(req.staging, ORIGINAL_FILE), "wx") : null;
  let bytes = 0;
  try {
    const totalBytes = fstatSync(fd).size;
    let reported = 0;
    for (;;) {
      // A new buffer per chunk: the pre-roll holds views into the last seconds of the file.
      const chunk = Buffer.allocUnsafeSlow(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      const data = chunk.subarray(0, n);
      hash.update(data);
      if (copy !== null) writeAll(copy, data);
      parser.push(data);
      bytes += n;
      if (budget.used > FLUSH_BYTES) for (const o of open.values()) o.writer.flush(false);
      if (bytes - reported >= 4 * CHUNK) {
        reported = bytes;
        progress({ bytes, totalBytes: Math.max(totalBytes, bytes), packets: parser.counters.frames, flights: done.length + open.size });
      }
    }
    parser.end();
    demux.finish();
    if (copy !== null) {
      fsyncSync(copy);
      const c = copy;
      copy = null;
      closeSync(c);
    }
  } catch (err) {
    for (const o of open.values()) o.writer.abandon();
    if (copy !== null) closeSync(copy);
    throw err;
  } finally {
    closeSync(fd);
  }
  progress({ bytes, totalBytes: bytes, packets: parser.counters.frames, flights: done.length });
  done.sort((a, b) => a.firstUs - b.firstUs);
  return { sha256: hash.digest("hex"), sizeBytes: bytes, packets: parser.counters.frames, counters: parser.counters, flights: done };
}

function writeAll(fd: number, data: Buffer): void {
  for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
}
