/**
 * The chart reader's worker thread: one file per worker, read off the server's event loop (a long flight is
 * hundreds of thousands of entries). Answers once and is then ended by the main thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { readCharts } from "./chart-read";
import type { ChartReadRequest } from "./chart-read";
import type { ChartFoldResult } from "./chart-fold";

export type ChartWorkerAnswer = { ok: true; result: ChartFoldResult } | { ok: false; message: string };

const port = parentPort;
if (port === null) throw new Error("chart-worker.ts runs as a worker thread");
const request = (workerData as { request: ChartReadRequest }).request;
readCharts(request).then(
  (result) => port.postMessage({ ok: true, result } satisfies ChartWorkerAnswer),
  (err: unknown) => port.postMessage({ ok: false, message: (err as Error).message ?? String(err) } satisfies ChartWorkerAnswer),
);
