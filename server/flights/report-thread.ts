import type { TrackVehicle } from "./export";
import type { ReportFacts } from "./report-facts";
import { runWorkerJob } from "./worker-job";

export interface ReportJob {
  /** Absolute path of the flight's .tlog. */
  file: string;
  vehicle: TrackVehicle;
}

/**
 * Heap of the worker: the read streams and the fold keeps a bounded track (report-facts.ts), so a few MB do
 * whatever the file's size; a slip that made it hold the file fails the report, not the server.
 */
const WORKER_HEAP_MB = 48;

/** Reads the flight's file in a worker thread: the event loop only receives the result. */
export function factsInWorker(job: ReportJob): Promise<ReportFacts> {
  return runWorkerJob<ReportFacts>("flights/report-worker", job, { name: "report", heapMb: WORKER_HEAP_MB, youngMb: 4 });
}
