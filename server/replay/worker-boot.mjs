// Entry of the index worker thread. The server runs TypeScript through tsx, whose loader a worker does not
// inherit: register it here, then load the worker itself. Harmless when the worker file is already JavaScript.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
