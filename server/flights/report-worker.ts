/**
 * The report worker thread: reads one flight's .tlog in full for its report (report-facts.ts), off the server's
 * event loop, and posts the facts back. One file per worker; the main thread ends it afterwards.
 */
import { fileChunks } from "./export";
import { reportFacts } from "./report-facts";
import type { ReportJob } from "./report-thread";
import { answerWorkerJob } from "./worker-job";

answerWorkerJob((job: ReportJob) => reportFacts(fileChunks(job.file), job.vehicle));
