import type { Worker } from "node:worker_threads";
import { startWorker } from "../worker-entry";
import type { ExtractProgress, ExtractRequest, Extracted } from "./import-extract";
import { unpackPoints } from "./import-points";
import type { PackedPoints } from "./import-points";
import type { SeriesPoint } from "./series";

export interface SeriesJob {
  /** Absolute path of the flight's extract. */
  file: string;
  sysid: number;
  compid: number;
  flightId: number;
}

export type ToWorker =
  | { type: "extract"; request: ExtractRequest }
  | { type: "series"; flights: SeriesJob[]; rateHz: number; batch: number }
  | { type: "ack" };

export type ToMain =
  | { type: "progress"; progress: ExtractProgress }
  | { type: "extracted"; result: Extracted }
  | { type: "points"; packed: PackedPoints }
  | { type: "seriesDone"; points: number }
  | { type: "error"; message: string };

/**
 * Heap of the worker's JavaScript: the import needs a few MB whatever the file's size (it streams); a slip that
 * made it hold the file would fail the import instead of taking the server's memory.
 */
const WORKER_HEAP_MB = 32;
/** Series points per batch: one store write of this many takes a few ms of the event loop. */
const SERIES_BATCH = 500;

/**
 * The main thread's side of one import worker (import-worker.ts): one worker per import, one request at a time.
 * Messages arrive between other events, so the event loop keeps its heartbeat while the worker reads the file.
 */
export class ImportThread {
  private readonly worker: Worker;
  private listener: ((m: ToMain) => void) | null = null;
  private failure: Error | null = null;
  private exited = false;

  constructor() {
    this.worker = startWorker("flights/import-worker", null, {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    this.worker.on("message", (m: ToMain) => this.listener?.(m));
    this.worker.on("error", (err) => this.fail(err));
    this.worker.on("exit", (code) => {
      this.exited = true;
      this.fail(new Error(`import worker stopped (exit code ${code})`));
    });
  }

  /** Reads, hashes and cuts the file into extracts under request.staging. */
  extract(request: ExtractRequest, onProgress: (p: ExtractProgress) => void): Promise<Extracted> {
    return this.ask({ type: "extract", request }, (m, resolve) => {
      if (m.type === "progress") onProgress(m.progress);
      else if (m.type === "extracted") resolve(m.result);
    });
  }

  /**
   * Folds each flight's extract into its series; `store` gets the points a batch at a time and the worker waits
   * for it. Resolves with the number of points.
   */
  series(flights: SeriesJob[], rateHz: number, store: (points: SeriesPoint[]) => Promise<void>): Promise<number> {
    return this.ask({ type: "series", flights, rateHz, batch: SERIES_BATCH }, (m, resolve, reject) => {
      if (m.type === "points") {
        store(unpackPoints(m.packed)).then(() => this.worker.postMessage({ type: "ack" } satisfies ToWorker), reject);
      } else if (m.type === "seriesDone") {
        resolve(m.points);
      }
    });
  }

  async close(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }

  private ask<T>(message: ToWorker, on: (m: ToMain, resolve: (v: T) => void, reject: (e: Error) => void) => void): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      const settle = (fn: () => void) => {
        this.listener = null;
        this.rejecter = null;
        fn();
      };
      this.rejecter = (err) => settle(() => reject(err));
      this.listener = (m) => {
        if (m.type === "error") settle(() => reject(new Error(m.message)));
        else on(m, (v) => settle(() => resolve(v)), (e) => settle(() => reject(e)));
      };
      this.worker.postMessage(message);
    });
  }

  private rejecter: ((err: Error) => void) | null = null;

  private fail(err: Error): void {
    this.failure ??= err;
    this.rejecter?.(err);
  }
}
