/**
 * The series writer thread: its own connection to the application database, and the SQLite store on it. A tick of
 * 200 vehicles is ~1000 rows, 10-50 ms of SQLite work with its WAL checkpoints: here, not on the event loop that
 * keeps the vehicles' heartbeat and the screens' frames on time.
 *
 * Points are committed together once a second. Each table's key is (vehicle, time), so every sampling round touches
 * one page per vehicle and table whatever the transaction's size: committing each round (5 a second) wrote every such
 * page to the WAL five times a second, 90 MB/s for 200 vehicles. Series are derived data, rebuilt from the .tlog,
 * so a crash loses at most this second of them, never the recording.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { MessagePort } from "node:worker_threads";
import pino from "pino";
import { openDatabase } from "../../storage";
import { SqliteSeriesStore } from "./sqlite-store";
import type { SeriesThreadData, ToSeriesMain, ToSeriesWorker } from "./sqlite-thread";
import type { SeriesPoint } from "./types";

/** How often the points received are committed, in one transaction. */
const COMMIT_EVERY_MS = 1000;

if (parentPort === null) throw new Error("the series writer runs as a worker thread");
const port: MessagePort = parentPort;
const data = (workerData as { data: SeriesThreadData }).data;
const log = pino({ level: data.logLevel }).child({ part: "series", store: "sqlite", thread: "writer" });
const db = openDatabase(data.file, log, data.busyTimeoutMs !== undefined ? { busyTimeoutMs: data.busyTimeoutMs } : {});
// One transaction per commit (below): the main thread writes the same database (catalogue, audit) and waits while it
// is open, so it is kept to one a second (5000 rows for 200 vehicles; the load harness's event loop max stayed < 50 ms).
const store = new SqliteSeriesStore(db, { log, maxBuffer: data.maxBuffer, batch: data.maxBuffer });
const post = (m: ToSeriesMain) => port.postMessage(m);

let received: SeriesPoint[] = [];
let timer: NodeJS.Timeout | null = null;

/** Writes what was received since the last commit, in one transaction (see the top of this file). */
function commit(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  if (received.length === 0) return;
  const points = received;
  received = [];
  store.write(points);
  post({ type: "written", count: points.length, status: store.status() });
}

port.on("message", (m: ToSeriesWorker) => {
  void handle(m).catch((err: unknown) => {
    if ("id" in m) post({ type: "done", id: m.id, status: store.status(), error: err instanceof Error ? err.message : String(err) });
  });
});

async function handle(m: ToSeriesWorker): Promise<void> {
  switch (m.type) {
    case "write":
      for (const p of m.points) received.push(p);
      timer ??= setTimeout(commit, COMMIT_EVERY_MS);
      return;
    case "flush":
      commit();
      post({ type: "done", id: m.id, status: await store.flush() });
      return;
    case "delete":
      commit();
      await store.deleteFlight(m.flightId);
      post({ type: "done", id: m.id, status: store.status() });
      return;
    case "close":
      commit();
      await store.close();
      db.close();
      post({ type: "done", id: m.id, status: store.status() });
      port.close();
      return;
  }
}
