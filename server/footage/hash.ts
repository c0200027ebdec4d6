import { runWorkerJob } from "../flights";
import type { HashRequest, HashResult } from "./hash-worker";

/** The SHA-256 of a file of any size, computed in a worker thread: the event loop only waits for the answer. */
export function sha256OfFile(file: string, signal?: AbortSignal): Promise<HashResult> {
  const request: HashRequest = { file };
  return runWorkerJob<HashResult>("footage/hash-worker", request, {
    name: "hash", heapMb: 64, youngMb: 8, ...(signal ? { signal } : {}),
  });
}
