/**
 * The series writer thread: its own connection to the application database, and the SQLite store on it. A tick of
 * 200 vehicles is ~1000 rows, 10-50 ms of SQLite work with its WAL checkpoints: here, not on the event loop that
 * keeps the vehicles' heartbeat and the screens' frames on time.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import pino from "pino";
import { openDatabase } from "../../storage";
import { SqliteSeriesStore } from "./sqlite-store";
import type { SeriesThreadData, ToSeriesMain, ToSeriesWorker } from "./sqlite-thread";

if (parentPort === null) throw new Error("the series writer runs as a worker thread");
const port: MessagePort = parentPort;
const data = (workerData as { data: SeriesThreadData }).data;
const log = pino({ level: data.logLevel }).child({ part: "series", store: "sqlite", thread: "writer" });
const db = openDatabase(data.file, log, data.busyTimeoutMs !== undefined ? { busyTimeoutMs: data.busyTimeoutMs } : {});
// Small transactions: the main thread writes the same database (catalogue, audit) and waits while one is open.
const store = new SqliteSeriesStore(db, { log, maxBuffer: data.maxBuffer, batch: 250 });
const post = (m: ToSeriesMain) => port.postMessage(m);

port.on("message", (m: ToSeriesWorker) => {
  void handle(m).catch((err: unknown) => {
    if ("id" in m) post({ type: "done", id: m.id, status: store.status(), error: err instanceof Error ? err.message : String(err) });
  });
});

async function handle(m: ToSeriesWorker): Promise<void> {
  switch (m.type) {
    case "write":
      store.write(m.points);
      post({ type: "written", count: m.points.length, status: store.status() });
      return;
    case "flush":
      post({ type: "done", id: m.id, status: await store.flush() });
      return;
    case "delete":
      await store.deleteFlight(m.flightId);
      post({ type: "done", id: m.id, status: store.status() });
      return;
    case "close":
      await store.close();
      db.close();
      post({ type: "done", id: m.id, status: store.status() });
      port.close();
      return;
  }
}
