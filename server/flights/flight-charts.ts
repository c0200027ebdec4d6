/**
 * The review charts of a flight: read from its .tlog in a worker thread, then kept by the file's SHA-256 under
 * the data directory (derived, rebuildable: deleting the folder only costs a re-read). A flight still recording
 * has no seal yet, so its charts are read anew each time.
 */
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { CHART_MAX_POINTS } from "../protocol";
import type { FlightChartsResponse, FlightSummary } from "../protocol";
import type { ChartFoldResult } from "./chart-fold";
import type { ChartReadRequest } from "./chart-read";
import { runWorkerJob } from "./worker-job";
import { flightFilePath } from "./export";

/** Bumped when the series change meaning or shape: older cached files are then simply not found. */
const CACHE_VERSION = 1;
/** A chart read holds a few MB whatever the file's size; a slip that held the file fails the read, not the server. */
const WORKER_HEAP_MB = 48;
/** Entries outside the flight's span by more than this are damage, not flight (pre-roll is seconds). */
const WINDOW_MARGIN_MS = 10 * 60_000;

/** Reads one file; an aborted read rejects (and frees what it held). */
export type ChartReader = (req: ChartReadRequest, signal: AbortSignal) => Promise<ChartFoldResult>;

export type ChartsOutcome =
  | { ok: true; body: FlightChartsResponse; cached: boolean }
  | { ok: false; status: number; code: string; message: string };

export interface FlightChartsDeps {
  dataDir: string;
  log: Logger;
  /** Reads at once (each in its own worker thread); default 2, the other requests wait their turn. */
  maxRunning?: number;
  /** Requests waiting at most; beyond, "charts_busy" (503). Default 16. */
  maxWaiting?: number;
  /** How a file is read (default: in a worker thread). */
  read?: ChartReader;
  /** Answered for a recording flight's open end. */
  clock?: () => number;
}

/** Reads one file in a new worker thread, which ends with its answer. */
export const readChartsInWorker: ChartReader = (request, signal) =>
  runWorkerJob<ChartFoldResult>("flights/chart-worker", request, { name: "chart", heapMb: WORKER_HEAP_MB, youngMb: 8, signal });

async function exists(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).isFile();
  } catch {
    return false;
  }
}

function isFoldResult(v: unknown): v is ChartFoldResult {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Partial<ChartFoldResult>;
  return typeof r.t0 === "number" && typeof r.entries === "number" && typeof r.series === "object" && r.series !== null;
}

export class FlightCharts {
  private readonly read: ChartReader;
  private readonly maxRunning: number;
  private readonly maxWaiting: number;
  private readonly clock: () => number;
  /** Reads under way by cache key: the same file asked twice is read once. */
  private readonly pending = new Map<string, Promise<ChartFoldResult>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private closed = false;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: FlightChartsDeps) {
    this.read = deps.read ?? readChartsInWorker;
    this.maxRunning = deps.maxRunning ?? 2;
    this.maxWaiting = deps.maxWaiting ?? 16;
    this.clock = deps.clock ?? Date.now;
  }

  /** The charts of a flight whose file the caller has checked against its seal. */
  async get(flight: FlightSummary): Promise<ChartsOutcome> {
    const file = flightFilePath(this.deps.dataDir, flight);
    if (file === null || !(await exists(file))) {
      return { ok: false, status: 404, code: "tlog_missing", message: `the .tlog of flight ${flight.id} is not in the data directory` };
    }
    const key = flight.sha256 === null ? null : `${flight.sha256}-${flight.vehicle.sysid}-${flight.vehicle.compid}-v${CACHE_VERSION}`;
    const cached = key === null ? null : await this.cached(key);
    if (cached) return { ok: true, body: this.body(flight, cached), cached: true };
    if (this.closed) return { ok: false, status: 503, code: "charts_busy", message: "the server is stopping" };
    let work = key === null ? undefined : this.pending.get(key);
    if (!work) {
      if (this.waiting.length >= this.maxWaiting) {
        return { ok: false, status: 503, code: "charts_busy", message: "too many chart reads under way: try again in a moment" };
      }
      work = this.readAndKeep(flight, file, key);
      if (key !== null) {
        const k = key;
        this.pending.set(k, work);
        void work.catch(() => undefined).finally(() => this.pending.delete(k));
      }
    }
    try {
      return { ok: true, body: this.body(flight, await work), cached: false };
    } catch (err) {
      this.deps.log.warn({ err, flight: flight.id }, "chart read failed");
      return { ok: false, status: 500, code: "charts_failed", message: `the charts of flight ${flight.id} could not be read: ${(err as Error).message}` };
    }
  }

  /** Reads waiting for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Refuses new reads and ends the ones under way (their requests are answered with an error). */
  close(): void {
    this.closed = true;
    this.stopping.abort();
    for (const go of this.waiting.splice(0)) go();
  }

  private body(flight: FlightSummary, r: ChartFoldResult): FlightChartsResponse {
    return { flightId: flight.id, vehicle: flight.vehicle.key, t0: r.t0, series: r.series, entries: r.entries, maxPoints: CHART_MAX_POINTS };
  }

  private cacheFile(key: string): string {
    return path.join(this.deps.dataDir, "derived", "charts", `${key}.json`);
  }

  /** A cached read, or null (none, or unreadable: then it is read again and rewritten). */
  private async cached(key: string): Promise<ChartFoldResult | null> {
    try {
      const parsed: unknown = JSON.parse(await fs.promises.readFile(this.cacheFile(key), "utf8"));
      return isFoldResult(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  private async readAndKeep(flight: FlightSummary, file: string, key: string | null): Promise<ChartFoldResult> {
    await this.turn();
    try {
      if (this.closed) throw new Error("the server is stopping");
      const to = flight.endedAt ?? this.clock();
      const result = await this.read({
        file, vehicle: { sysid: flight.vehicle.sysid, compid: flight.vehicle.compid },
        window: { from: flight.startedAt - WINDOW_MARGIN_MS, to: to + WINDOW_MARGIN_MS },
      }, this.stopping.signal);
      if (key !== null) await this.keep(key, result);
      return result;
    } finally {
      this.release();
    }
  }

  private async turn(): Promise<void> {
    if (this.running < this.maxRunning) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** The slot goes straight to the next in line, so a request arriving meanwhile cannot take it too. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  /** Written whole then renamed: a crash leaves the old file or none, never half of one. */
  private async keep(key: string, result: ChartFoldResult): Promise<void> {
    const target = this.cacheFile(key);
    const tmp = `${target}.${process.pid}.tmp`;
    try {
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(tmp, JSON.stringify(result));
      await fs.promises.rename(tmp, target);
    } catch (err) {
      // The answer is still good; only the next request pays the read again.
      this.deps.log.warn({ err, key }, "could not keep the charts of a flight");
    }
  }
}
