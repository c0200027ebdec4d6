/**
 * One job in a worker thread of its own: the thread gets `data`, does the work off the server's event loop, posts
 * one answer and is ended. Used for reading whole .tlog files (reports, charts, seek indexes); the import keeps its
 * own long-lived thread (import-thread.ts) because it reports progress.
 */
import { parentPort, workerData } from "node:worker_threads";
import { startWorker } from "../worker-entry";
import type { WorkerModule } from "../worker-entry";

export type WorkerAnswer<T> = { ok: true; value: T } | { ok: false; message: string };

export interface WorkerJobOptions {
  /** Shown in errors: "chart worker stopped (exit code 1)". */
  name: string;
  /** V8 heap limits: a job that slips into holding a whole file fails itself, not the server. */
  heapMb: number;
  youngMb: number;
  /** Aborting ends the thread and rejects (the server is stopping). */
  signal?: AbortSignal;
}

/** Runs `module` (a worker module calling answerWorkerJob) with `data`; resolves with its answer. */
export function runWorkerJob<T>(module: WorkerModule, data: unknown, opts: WorkerJobOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = startWorker(module, data, {
      resourceLimits: { maxOldGenerationSizeMb: opts.heapMb, maxYoungGenerationSizeMb: opts.youngMb },
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
    worker.once("message", (a: WorkerAnswer<T>) => settle(() => (a.ok ? resolve(a.value) : reject(new Error(a.message)))));
    worker.once("error", (err) => settle(() => reject(err)));
    worker.once("exit", (code) => settle(() => reject(new Error(`${opts.name} worker stopped (exit code ${code})`))));
    const abort = () => settle(() => reject(new Error(`${opts.name} job abandoned: the server is stopping`)));
    if (opts.signal?.aborted) abort();
    else opts.signal?.addEventListener("abort", abort, { once: true });
  });
}

/** In the worker module: does the job on the data it was given and posts the one answer. */
export function answerWorkerJob<D, T>(work: (data: D) => Promise<T> | T): void {
  const port = parentPort;
  if (port === null) throw new Error("a worker job module runs as a worker thread");
  const data = (workerData as { data: D }).data;
  Promise.resolve()
    .then(() => work(data))
    .then(
      (value) => port.postMessage({ ok: true, value } satisfies WorkerAnswer<T>),
      (err: unknown) => port.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) } satisfies WorkerAnswer<T>),
    );
}
