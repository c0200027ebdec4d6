import { Worker } from "node:worker_threads";
import type { TrackVehicle } from "./export";
import type { ReportFacts } from "./report-facts";

export interface ReportJob {
  /** Absolute path of the flight's .tlog. */
  file: string;
  vehicle: TrackVehicle;
}

export type ReportReply = { ok: true; facts: ReportFacts } | { ok: false; message: string };

/**
 * Heap of the worker: the read streams and the fold keeps a bounded track (report-facts.ts), so a few MB do
 * whatever the file's size; a slip that made it hold the file fails the report, not the server.
 */
const WORKER_HEAP_MB = 48;

/** Reads the flight's file in a worker thread: the event loop only receives the result. */
export function factsInWorker(job: ReportJob): Promise<ReportFacts> {
  return new Promise<ReportFacts>((resolve, reject) => {
    const worker = new Worker(new URL("./import-worker-boot.mjs", import.meta.url), {
      workerData: { entry: new URL("./report-worker.ts", import.meta.url).href, job },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once("message", (m: ReportReply) => settle(() => (m.ok ? resolve(m.facts) : reject(new Error(m.message)))));
    worker.once("error", (err) => settle(() => reject(err)));
    worker.once("exit", (code) => settle(() => reject(new Error(`report worker stopped (exit code ${code})`))));
  });
}
