/**
 * The import worker thread: reads, hashes and cuts an uploaded .tlog (import-extract.ts), then folds each catalogued
 * flight's extract into its telemetry series and hands the points to the main thread in batches, waiting for it
 * to store them. Everything proportional to the file happens here, off the server's event loop.
 */
import path from "node:path";
import { parentPort } from "node:worker_threads";
import pino from "pino";
import { extractFlights } from "./import-extract";
import { packPoints, transferOf } from "./import-points";
import { SeriesFold, foldTlogFile } from "./import-series";
import type { ToMain, ToWorker } from "./import-thread";
import type { SeriesPoint } from "./series";

const port = parentPort;
if (port === null) throw new Error("import-worker.ts runs as a worker thread");
const post = (m: ToMain) => port.postMessage(m);
// The fold's sampler only logs a store that throws; its store here is a function that does not.
const log = pino({ level: "silent" });

/** Batches handed to the main thread and not yet stored: two, so reading and storing overlap. */
const WINDOW = 2;
let inFlight = 0;
let acked: (() => void) | null = null;

async function send(points: SeriesPoint[]): Promise<void> {
  const packed = packPoints(points);
  port!.postMessage({ type: "points", packed } satisfies ToMain, transferOf(packed));
  inFlight++;
  while (inFlight >= WINDOW) await new Promise<void>((resolve) => { acked = resolve; });
}

async function series(m: Extract<ToWorker, { type: "series" }>): Promise<void> {
  let total = 0;
  for (const f of m.flights) {
    const pending: SeriesPoint[] = [];
    const fold = new SeriesFold({ sysid: f.sysid, compid: f.compid }, f.flightId, log, (p) => {
      for (const point of p) pending.push(point);
    }, m.rateHz);
    await foldTlogFile(path.resolve(f.file), fold, async () => {
      while (pending.length > 0) {
        const batch = pending.splice(0, m.batch);
        total += batch.length;
        await send(batch);
      }
    });
  }
  while (inFlight > 0) await new Promise<void>((resolve) => { acked = resolve; });
  post({ type: "seriesDone", points: total });
}

port.on("message", (m: ToWorker) => {
  switch (m.type) {
    case "extract":
      try {
        post({ type: "extracted", result: extractFlights(m.request, (progress) => post({ type: "progress", progress })) });
      } catch (err) {
        post({ type: "error", message: (err as Error).message ?? String(err) });
      }
      return;
    case "series":
      series(m).catch((err: unknown) => post({ type: "error", message: (err as Error).message ?? String(err) }));
      return;
    case "ack": {
      inFlight--;
      const resolve = acked;
      acked = null;
      resolve?.();
      return;
    }
  }
});
