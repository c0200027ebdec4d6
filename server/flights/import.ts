import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import { parseTlog } from "../mavlink";
import type { VehicleKey } from "../protocol";
import type { FlightCatalogue, FlightStats } from "./catalogue";
import { FlightDemux } from "./demux";
import { vehicleDir } from "./recorder-sessions";
import type { FlightStart, SegPacket, SegmenterOptions } from "./segmenter";
import { DEFAULT_SEGMENTER, packetTime } from "./segmenter";
import { tlogEntry } from "./tlog-writer";

export interface ImportDeps {
  catalogue: FlightCatalogue;
  dataDir: string;
  clock: () => number;
  log: Logger;
  segmenter?: SegmenterOptions;
}

export const importRequestSchema = z.object({
  /** The uploaded file, already on disk (it is copied, not moved). */
  path: z.string().min(1),
  /** Its original name, as the user gave it. */
  name: z.string().min(1).max(255),
});
export type ImportRequest = z.infer<typeof importRequestSchema>;

const importReportSchema = z.object({
  name: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
  /** The original, byte for byte, relative to the data directory: imports/<sha256>.tlog. */
  storedAs: z.string(),
  importedAt: z.number(),
  /** Valid packets read. */
  packets: z.number(),
  /** What was not valid: bytes skipped, frames with a bad checksum, unknown messages, file cut inside an entry. */
  invalid: z.object({ garbageBytes: z.number(), crcErrors: z.number(), unknownMessages: z.number(), truncated: z.boolean() }),
  flights: z.array(z.object({ id: z.number(), vehicle: z.string(), packets: z.number(), tlogPath: z.string() })),
  /** True when this file (same SHA-256) was imported before: nothing new was created. */
  duplicate: z.boolean(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

interface Extract {
  key: VehicleKey;
  ids: { sysid: number; compid: number };
  start: FlightStart;
  packets: SegPacket[];
  stats: FlightStats | null;
}

/** Cuts a parsed file into flights with the live recorder's demux, keeping each flight's packets. */
function cutFlights(entries: ReturnType<typeof parseTlog>["entries"], opts: SegmenterOptions): Extract[] {
  const done: Extract[] = [];
  const open = new Map<VehicleKey, Extract>();
  const demux = new FlightDemux({
    flightStarted(key, start, ids) {
      open.set(key, { key, ids, start, packets: [...start.preRoll], stats: null });
    },
    write(key, into, packet) {
      if (into === "flight") open.get(key)?.packets.push(packet);
    },
    flightEnded(key, stats) {
      const e = open.get(key);
      if (!e) return;
      open.delete(key);
      e.stats = stats;
      done.push(e);
    },
  }, opts);
  // One file is one "link": a broadcast in it reached every vehicle in it.
  for (const e of entries) demux.push({ direction: "in", linkId: "file", timeUs: e.timeUs, frame: e.frame });
  demux.finish();
  return done.sort((a, b) => a.packets[0]!.timeUs - b.packets[0]!.timeUs);
}

/**
 * Imports a .tlog from another ground station. The file is hashed and kept as it is (imports/<sha256>.tlog);
 * flights are derived from it exactly as the live recorder cuts them. Each flight gets its own extract
 * (imports/<sha256>/<sysid>-<compid>-<n>.tlog: that flight's entries copied byte for byte, sealed), so an
 * export of a flight is a valid .tlog of that flight, and the original stays the evidence of what was uploaded.
 * A damaged file imports what is valid; the report says what was not.
 */
export async function importTlog(deps: ImportDeps, request: ImportRequest): Promise<ImportReport> {
  const req = importRequestSchema.parse(request);
  const name = path.basename(req.name);
  const buf = await readFile(req.path);
  const sha256 = createHash("sha256").update(buf).digest("hex");
  const importsDir = path.join(deps.dataDir, "imports");
  const manifestPath = path.join(importsDir, `${sha256}.json`);
  await mkdir(importsDir, { recursive: true });
  try {
    const previous = importReportSchema.parse(JSON.parse(await readFile(manifestPath, "utf8")));
    return { ...previous, duplicate: true };
  } catch (err) {
    if ((err as { code?: string }).code !== "ENOENT") throw err;
  }
  const storedAs = path.posix.join("imports", `${sha256}.tlog`);
  await writeFile(path.join(deps.dataDir, storedAs), buf, { flag: "w" });

  const parsed = parseTlog(buf);
  const extracts = cutFlights(parsed.entries, deps.segmenter ?? DEFAULT_SEGMENTER);
  const flights: ImportReport["flights"] = [];
  const counts = new Map<VehicleKey, number>();
  for (const e of extracts) {
    const n = (counts.get(e.key) ?? 0) + 1;
    counts.set(e.key, n);
    const tlogPath = path.posix.join("imports", sha256, `${vehicleDir(e.key)}-${n}.tlog`);
    const bytes = Buffer.concat(e.packets.map((p) => tlogEntry(p.timeUs, p.bytes)));
    await mkdir(path.join(deps.dataDir, "imports", sha256), { recursive: true });
    // "wx": an extract is sealed evidence once catalogued; a retried import must never rewrite one (it fails instead).
    await writeFile(path.join(deps.dataDir, tlogPath), bytes, { flag: "wx" });
    const stats = e.stats!;
    const id = deps.catalogue.create({
      vehicle: { key: e.key, sysid: e.ids.sysid, compid: e.ids.compid, type: e.start.vehicleClass, name: null },
      startedAt: packetTime(e.packets[0]!.timeUs), tlogPath, status: "imported", pilot: null, previousId: null,
      source: `import: ${name}`,
    });
    deps.catalogue.updateStats(id, stats);
    deps.catalogue.seal(id, {
      endedAt: stats.endedAt ?? packetTime(e.packets[e.packets.length - 1]!.timeUs),
      sizeBytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
    flights.push({ id, vehicle: e.key, packets: e.packets.length, tlogPath });
  }
  const c = parsed.counters;
  const report: ImportReport = {
    name, sha256, sizeBytes: buf.length, storedAs, importedAt: deps.clock(), packets: parsed.entries.length,
    invalid: { garbageBytes: c.garbageBytes, crcErrors: c.crcErrors, unknownMessages: c.unknownMessages, truncated: c.truncated === 1 },
    flights, duplicate: false,
  };
  // Written last: its presence means the import is complete (a repeat upload returns it).
  await writeFile(manifestPath, `${JSON.stringify(report, null, 2)}\n`);
  deps.log.info({ name, sha256, flights: flights.length, packets: report.packets, invalid: report.invalid }, "tlog imported");
  return report;
}
