/** The index worker thread: builds one .tlog's seek index (index-build.ts) and says when it is done. */
import { parentPort, workerData } from "node:worker_threads";
import { buildIndex } from "./index-build";
import type { IndexBuildRequest } from "./index-build";

export type IndexWorkerReply = { type: "done" } | { type: "error"; message: string };

const port = parentPort;
if (port === null) throw new Error("index-worker.ts runs as a worker thread");
const request = (workerData as { request: IndexBuildRequest }).request;
try {
  buildIndex(request);
  port.postMessage({ type: "done" } satisfies IndexWorkerReply);
} catch (err) {
  port.postMessage({ type: "error", message: (err as Error).message ?? String(err) } satisfies IndexWorkerReply);
}
