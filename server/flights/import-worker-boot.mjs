// Entry of the server's worker threads (import, reports, charts, seek indexes, the series writer). The server runs TypeScript through tsx, whose loader a worker does not
// inherit (and `--import tsx` in a worker's execArgv is not applied on Node 20): register it here, then load the
// worker itself. Harmless when the worker file is already JavaScript.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
