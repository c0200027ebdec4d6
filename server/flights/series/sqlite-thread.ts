import type { Worker } from "node:worker_threads";
import { startWorker } from "../../worker-entry";
import type { Logger } from "pino";
import type { SeriesResponse } from "../../protocol";
import type { Db } from "../../storage";
import { DEFAULT_MAX_BUFFER } from "./buffer";
import { querySeries } from "./sqlite-store";
import { storablePoint } from "./types";
import type { SeriesPoint, SeriesQuery, SeriesStore, SeriesStoreStatus } from "./types";

export interface SeriesThreadData {
  file: string;
  logLevel: string;
  maxBuffer: number;
  busyTimeoutMs?: number;
}

export type ToSeriesWorker =
  | { type: "write"; points: SeriesPoint[] }
  | { type: "flush"; id: number }
  | { type: "delete"; id: number; flightId: number }
  | { type: "close"; id: number };

export type ToSeriesMain =
  | { type: "written"; count: number; status: SeriesStoreStatus }
  | { type: "done"; id: number; status: SeriesStoreStatus; error?: string };

export interface ThreadedSeriesDeps {
  log: Logger;
  clock?: () => number;
  maxBuffer?: number;
  /** How long the writer waits for a lock held by another connection before holding its points (default 5 s). */
  busyTimeoutMs?: number;
}

/** A writer thread that stopped is started again, at most this often. */
const RESTART_MS = 5000;

/**
 * The embedded series store with its writes in a worker thread (sqlite-worker.ts) holding its own connection to the
 * application database; queries are read here, on the server's connection (WAL: readers do not wait for the writer).
 * write() hands the points over and returns; a query, a deletion or flush() first waits for what was handed over,
 * so what was written is what is read. Points handed over but not yet acknowledged are bounded too: past the
 * bound (a stalled writer), new points are refused and counted as dropped; the .tlog still holds them.
 */
export class ThreadedSqliteSeriesStore implements SeriesStore {
  private worker: Worker;
  private lastStatus: SeriesStoreStatus = { state: "ok", pending: 0, dropped: 0, rejected: 0 };
  /** Points posted to the thread and not yet acknowledged. */
  private unacked = 0;
  /** Points this side gave up: refused at the bound, or in flight when the thread died. */
  private dropped = 0;
  private stopped: { reason: string; since: number } | null = null;
  private lastStart = 0;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (s: SeriesStoreStatus) => void; reject: (e: Error) => void }>();
  private closed = false;
  private readonly maxBuffer: number;
  private readonly clock: () => number;

  constructor(private readonly db: Db, private readonly deps: ThreadedSeriesDeps) {
    if (db.memory) throw new Error("the series writer thread needs a database file, not :memory:");
    this.maxBuffer = deps.maxBuffer ?? DEFAULT_MAX_BUFFER;
    this.clock = deps.clock ?? Date.now;
    this.worker = this.start();
  }

  private start(): Worker {
    this.lastStart = this.clock();
    const data: SeriesThreadData = {
      file: this.db.name, logLevel: this.deps.log.level, maxBuffer: this.maxBuffer,
      ...(this.deps.busyTimeoutMs !== undefined ? { busyTimeoutMs: this.deps.busyTimeoutMs } : {}),
    };
    const worker = startWorker("flights/series/sqlite-worker", data, {
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 },
    });
    worker.on("message", (m: ToSeriesMain) => this.received(m));
    worker.on("error", (err) => this.deps.log.error({ err }, "series writer thread failed"));
    worker.on("exit", (code) => this.exited(worker, code));
    // The thread alone does not keep the process alive; an answer awaited does (see ask).
    worker.unref();
    return worker;
  }

  private received(m: ToSeriesMain): void {
    this.lastStatus = m.status;
    if (m.type === "written") {
      this.unacked -= m.count;
      return;
    }
    const w = this.waiting.get(m.id);
    this.waiting.delete(m.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (!w) return;
    if (m.error !== undefined) w.reject(new Error(m.error));
    else w.resolve(this.status());
  }

  private exited(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    for (const w of this.waiting.values()) w.reject(new Error(`series writer stopped (exit code ${code})`));
    this.waiting.clear();
    if (this.closed) return;
    this.dropped += this.unacked;
    this.unacked = 0;
    const reason = `series writer thread stopped (exit code ${code})`;
    this.deps.log.error({ code }, reason);
    this.stopped ??= { reason, since: this.clock() };
    const wait = Math.max(0, this.lastStart + RESTART_MS - this.clock());
    setTimeout(() => {
      if (this.closed) return;
      this.worker = this.start();
      this.stopped = null;
    }, wait).unref();
  }

  write(points: readonly SeriesPoint[]): void {
    if (this.closed) throw new Error("series store is closed");
    const storable = points.flatMap((p) => storablePoint(p) ?? []);
    if (storable.length === 0) return;
    if (this.stopped !== null || this.unacked + storable.length > this.maxBuffer) {
      this.dropped += storable.length;
      return;
    }
    this.unacked += storable.length;
    this.post({ type: "write", points: storable });
  }

  async flush(): Promise<SeriesStoreStatus> {
    if (this.closed || this.stopped !== null) return this.status();
    return this.ask((id) => ({ type: "flush", id }));
  }

  async query(query: SeriesQuery): Promise<SeriesResponse> {
    await this.flush();
    return querySeries(this.db, query);
  }

  async deleteFlight(flightId: number): Promise<void> {
    if (this.stopped !== null) throw new Error(this.stopped.reason);
    await this.ask((id) => ({ type: "delete", id, flightId }));
  }

  status(): SeriesStoreStatus {
    const s = this.lastStatus;
    const dropped = s.dropped + this.dropped;
    if (this.stopped !== null) {
      return { state: "failing", buffered: 0, dropped, rejected: s.rejected, since: this.stopped.since, reason: this.stopped.reason };
    }
    if (s.state === "ok") return { ...s, pending: s.pending + this.unacked, dropped };
    return { ...s, buffered: s.buffered + this.unacked, dropped };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.stopped === null) {
      try {
        await this.ask((id) => ({ type: "close", id }));
      } catch (err) {
        this.deps.log.warn({ err }, "series writer did not close cleanly");
      }
    }
    this.closed = true;
    await this.worker.terminate();
    if (this.lastStatus.state !== "ok" || this.unacked > 0) this.deps.log.warn({ status: this.status() }, "series points not written at close");
  }

  private ask(message: (id: number) => ToSeriesWorker): Promise<SeriesStoreStatus> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Else a process with nothing else left to do (a start that failed, closing the store) would exit, with code
      // 0 and without a word, while the thread still had to answer.
      this.worker.ref();
      this.post(message(id));
    });
  }

  private post(m: ToSeriesWorker): void {
    this.worker.postMessage(m);
  }
}
