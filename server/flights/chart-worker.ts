/**
 * The chart reader's worker thread: one file per worker, read off the server's event loop (a long flight is
 * hundreds of thousands of entries). Answers once and is then ended by the main thread.
 */
import { readCharts } from "./chart-read";
import type { ChartReadRequest } from "./chart-read";
import { answerWorkerJob } from "./worker-job";

answerWorkerJob((request: ChartReadRequest) => readCharts(request));
