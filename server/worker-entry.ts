/**
 * Starting the server's worker threads, whichever way the server runs:
 * - as TypeScript through tsx (`npm run dev`, the tests): a worker does not inherit the loader (and `--import tsx` in
 *   a worker's execArgv is not applied on Node 20), so it starts from the boot file, which registers tsx and loads
 *   the worker's module;
 * - as the bundle `npm run build` makes (`npm start`): dist/server/ mirrors server/, one .mjs per worker module,
 *   started as it is. No TypeScript loader in any thread: tens of MiB less per thread.
 * This file sits at the root of server/ (and its code at the root of dist/server/, in main.mjs) so that module paths
 * are taken from there. Worker modules do not start workers (a bundle of one would look from its own folder).
 */
import { Worker } from "node:worker_threads";
import type { WorkerOptions } from "node:worker_threads";

/** Every worker module, from the root of server/. The build bundles `server/** /*-worker.ts`: names end so. */
export const WORKER_MODULES = [
  "flights/series/sqlite-worker", "flights/import-worker", "flights/report-worker", "flights/chart-worker",
  "footage/hash-worker", "footage/sync-worker", "replay/index-worker", "mavlink/links/udp-worker",
] as const;
export type WorkerModule = (typeof WORKER_MODULES)[number];

const ROOT = new URL("./", import.meta.url);
/** Running from the bundle (JavaScript), not from the TypeScript sources. */
export const BUILT = !import.meta.url.endsWith(".ts");

/** Starts `module` in a thread of its own; it reads `data` as `workerData.data`. */
export function startWorker(module: WorkerModule, data: unknown, options: Omit<WorkerOptions, "workerData"> = {}): Worker {
  if (BUILT) return new Worker(new URL(`${module}.mjs`, ROOT), { ...options, workerData: { data } });
  return new Worker(new URL("flights/import-worker-boot.mjs", ROOT), {
    ...options, workerData: { entry: new URL(`${module}.ts`, ROOT).href, data },
  });
}
