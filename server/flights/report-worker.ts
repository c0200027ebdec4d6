/**
 * The report worker thread: reads one flight's .tlog in full for its report (report-facts.ts), off the server's
 * event loop, and posts the facts back. One file per worker; the main thread ends it afterwards.
 */
import { parentPort, workerData } from "node:worker_threads";
import { fileChunks } from "./export";
import { reportFacts } from "./report-facts";
import type { ReportJob, ReportReply } from "./report-thread";

const port = parentPort;
if (port === null) throw new Error("report-worker.ts runs as a worker thread");
const job = (workerData as { job: ReportJob }).job;

reportFacts(fileChunks(job.file), job.vehicle).then(
  (facts) => port.postMessage({ ok: true, facts } satisfies ReportReply),
  (err: unknown) => port.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies ReportReply),
);
