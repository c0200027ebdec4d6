// Entry of the server's worker threads when the server runs as TypeScript through tsx (server/worker-entry.ts; the
// bundle of `npm run build` starts its workers' modules directly). A worker does not inherit tsx's loader (and
// `--import tsx` in a worker's execArgv is not applied on Node 20): register it here, then load the worker itself.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
