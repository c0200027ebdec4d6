import { mkdir, mkdtemp, open, rm } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import type { FlightCatalogue } from "./catalogue";
import type { Extracted } from "./import-extract";
import { IMPORTS_DIR, STAGING_PREFIX, commitImport, completedImport, writeManifestSync } from "./import-store";
import type { ImportReport } from "./import-store";
import { ImportThread } from "./import-thread";
import type { SegmenterOptions } from "./segmenter";
import { DEFAULT_SEGMENTER } from "./segmenter";
import { DEFAULT_SERIES_RATE_HZ } from "./series";
import type { SeriesStore } from "./series";

export { importReportSchema } from "./import-store";
export type { ImportReport } from "./import-store";

export interface ImportDeps {
  catalogue: FlightCatalogue;
  dataDir: string;
  clock: () => number;
  log: Logger;
  segmenter?: SegmenterOptions;
  /** Where the imported flights' telemetry series go; without one they get none (`flights rebuild` can add them). */
  series?: SeriesStore;
  /** Series samples per second (default 5, as the live sampler). */
  seriesRateHz?: number;
  /** This server's id: the imported flights' files are in its data directory. */
  server?: string | null;
}

export const importRequestSchema = z.object({
  /** The uploaded file, already on disk. */
  path: z.string().min(1),
  /** Its original name, as the user gave it. */
  name: z.string().min(1).max(255),
  /** Move the file into imports/ instead of copying it (an upload received in the data directory). */
  move: z.boolean().optional(),
});
export type ImportRequest = z.infer<typeof importRequestSchema>;

export interface ImportProgress {
  phase: "reading" | "saving" | "series";
  /** Bytes of the file read, of totalBytes. */
  bytes: number;
  totalBytes: number;
  packets: number;
  flights: number;
  /** Telemetry series points written so far. */
  seriesPoints: number;
}

/** A file refused as a whole: nothing of it was kept. `code` crosses the API (422). */
export class ImportRefusedError extends Error {
  readonly code = "not_mavlink";
}

/** Formats that get uploaded by mistake, by their first bytes. */
const MAGIC: [string, Buffer][] = [
  ["a PNG image", Buffer.from([0x89, 0x50, 0x4e, 0x47])],
  ["a JPEG image", Buffer.from([0xff, 0xd8, 0xff])],
  ["a PDF document", Buffer.from("%PDF")],
  ["a ZIP archive", Buffer.from([0x50, 0x4b, 0x03, 0x04])],
  ["a gzip file", Buffer.from([0x1f, 0x8b])],
  ["an ArduPilot dataflash log (.bin), not a telemetry log", Buffer.from([0xa3, 0x95])],
];

async function refusal(file: string, x: Extracted): Promise<string> {
  if (x.sizeBytes === 0) return "the file is empty";
  const head = Buffer.alloc(8);
  const fh = await open(file, "r");
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  const known = MAGIC.find(([, magic]) => head.subarray(0, magic.length).equals(magic))?.[0];
  const bad = x.counters.crcErrors > 0 ? ` (${x.counters.crcErrors} with a bad checksum)` : "";
  return `no valid MAVLink packet in ${x.sizeBytes} bytes${bad}${known ? `: it looks like ${known}` : ""}; `
    + "a .tlog is MAVLink packets, each after an 8-byte timestamp";
}

const keyIds = (key: string) => {
  const [sysid, compid] = key.split(":").map(Number);
  return { sysid: sysid!, compid: compid! };
};

/**
 * Writes the series of a committed import's flights: the worker folds each extract, this thread hands the
 * points to the store a batch at a time. The report (and its manifest) then say how many were written; a store
 * that fails leaves the flights as they are, with the problem in the report. `replace`: the flights may already
 * have some points (an import resumed at start).
 */
export async function writeImportSeries(deps: ImportDeps & { series: SeriesStore }, thread: ImportThread, report: ImportReport,
  opts: { onPoints?: (total: number) => void; replace?: boolean; signal?: AbortSignal } = {}): Promise<ImportReport> {
  const store = deps.series;
  let written = 0;
  let problem: string | null = null;
  try {
    if (opts.replace) for (const f of report.flights) await store.deleteFlight(f.id);
    const before = store.status();
    const jobs = report.flights.map((f) => ({ file: path.join(deps.dataDir, f.tlogPath), ...keyIds(f.vehicle), flightId: f.id }));
    await thread.series(jobs, deps.seriesRateHz ?? DEFAULT_SERIES_RATE_HZ, async (points) => {
      store.write(points);
      // InfluxDB writes in the background: waiting here is the backpressure that bounds its queue.
      const status = await store.flush();
      if (status.state !== "ok") throw new Error(`series store ${status.state}: ${status.reason}`);
      written += points.length;
      opts.onPoints?.(written);
    });
    const after = await store.flush();
    const lost = after.rejected - before.rejected + after.dropped - before.dropped;
    if (lost > 0) problem = `${lost} series points refused by the store`;
  } catch (err) {
    // Stopped with the server: the report keeps `series: null`, and the next start writes them again.
    if (opts.signal?.aborted) throw err;
    problem = (err as Error).message;
  }
  if (problem !== null) deps.log.warn({ sha256: report.sha256, problem, written }, "imported flights' series incomplete");
  const done = { ...report, series: { points: written, problem } };
  writeManifestSync(deps.dataDir, done);
  return done;
}

/**
 * Imports a .tlog from another ground station. A worker thread reads it once, in chunks: hashes it, keeps it as it
 * is (imports/<sha256>.tlog), and cuts it into flights exactly as the live recorder does, each written to its own
 * sealed extract (imports/<sha256>/<sysid>-<compid>-<n>.tlog, that flight's entries byte for byte), so an export of
 * a flight is a valid .tlog of that flight and the original stays the evidence of what was uploaded. The flights
 * appear together, in one transaction; then their telemetry series are written. A damaged file imports what is
 * valid (the report says what was not); a file with no valid MAVLink packet is refused (ImportRefusedError) and
 * nothing of it is kept. Memory stays constant whatever the file's size, and this thread only commits.
 */
export async function importTlog(deps: ImportDeps, request: ImportRequest,
  onProgress: (p: ImportProgress) => void = () => {}, signal?: AbortSignal): Promise<ImportReport> {
  const req = importRequestSchema.parse(request);
  const name = path.basename(req.name);
  const importsDir = path.join(deps.dataDir, IMPORTS_DIR);
  await mkdir(importsDir, { recursive: true });
  const staging = await mkdtemp(path.join(importsDir, STAGING_PREFIX));
  let thread: ImportThread;
  try {
    thread = new ImportThread();
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  const stop = () => void thread.close();
  signal?.addEventListener("abort", stop);
  if (signal?.aborted) stop();
  let last: ImportProgress = { phase: "reading", bytes: 0, totalBytes: 0, packets: 0, flights: 0, seriesPoints: 0 };
  const progress = (p: Partial<ImportProgress>) => {
    last = { ...last, ...p };
    onProgress(last);
  };
  try {
    const x = await thread.extract({ source: req.path, staging, copy: req.move !== true, segmenter: deps.segmenter ?? DEFAULT_SEGMENTER },
      (p) => progress({ phase: "reading", ...p }));
    if (x.packets === 0) throw new ImportRefusedError(await refusal(req.path, x));
    const previous = await completedImport(deps, x.sha256);
    if (previous !== null) return { ...previous, duplicate: true };
    progress({ phase: "saving", bytes: x.sizeBytes, totalBytes: x.sizeBytes, flights: x.flights.length });
    const report = await commitImport(deps, { name, staging, extracted: x, moveFrom: req.move === true ? req.path : null });
    deps.log.info({ name, sha256: x.sha256, flights: report.flights.length, packets: report.packets, invalid: report.invalid }, "tlog imported");
    if (deps.series === undefined) return report;
    progress({ phase: "series" });
    return await writeImportSeries({ ...deps, series: deps.series }, thread, report,
      { onPoints: (n) => progress({ seriesPoints: n }), signal });
  } finally {
    signal?.removeEventListener("abort", stop);
    await thread.close();
    await rm(staging, { recursive: true, force: true });
  }
}
