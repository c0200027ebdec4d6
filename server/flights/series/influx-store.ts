import { InfluxDB, escape as influxEscape } from "influx";
import type { IBackoffStrategy } from "influx/lib/src/backoff/backoff";
import type { Logger } from "pino";
import type { InfluxTarget } from "../../config";
import type { SeriesResponse } from "../../protocol";
import { PointQueue, StoreHealth } from "./buffer";
import { influxDuration, influxSchema, samplesOf, selectInfluxQl, toInfluxPoint } from "./influx-query";
import { realScheduler } from "./scheduler";
import type { Scheduler } from "./scheduler";
import { SERIES_KINDS, storablePoint, validQuery } from "./types";
import type { SeriesPoint, SeriesQuery, SeriesStore, SeriesStoreStatus } from "./types";

/** Where the series go (the config's `series` of kind "influx"), and how writes are batched. */
export interface InfluxSeriesOptions extends InfluxTarget {
  /** Points per write request, and the queue length that triggers one before the timer (default 5000). */
  batchSize?: number;
  flushIntervalMs?: number;
  /** Points held during an outage (default 100k, about an hour of 5 vehicles at 5 Hz); the oldest go first. */
  maxBuffer?: number;
  requestTimeoutMs?: number;
  /** How long close() waits for a last flush (default 5 s). */
  closeTimeoutMs?: number;
}

export interface InfluxSeriesDeps {
  log: Logger;
  clock?: () => number;
  scheduler?: Scheduler;
}

/** Ours, so that setting a retention never alters a policy someone else's data relies on. */
export const RETENTION_POLICY = "dmc_series";

/**
 * The library's pool would take a failing host out for up to 10 s (with a timer that keeps the process alive)
 * and retry inside one call; we retry at our own flush interval instead, so it gets no backoff and no retries.
 */
const NO_BACKOFF: IBackoffStrategy = { getDelay: () => 0, next: () => NO_BACKOFF, reset: () => NO_BACKOFF };

/**
 * Series in InfluxDB 1.x: one measurement per kind, tagged vehicle and flight, all fields float, written in
 * batches (every flushIntervalMs or batchSize points). During an outage points wait in a bounded queue and are
 * written, oldest first, when InfluxDB answers again; status() says which.
 */
export class InfluxSeriesStore implements SeriesStore {
  private readonly influx: InfluxDB;
  private readonly queue: PointQueue;
  private readonly health: StoreHealth;
  private readonly log: Logger;
  private readonly batchSize: number;
  private readonly timer: { cancel(): void };
  private readonly rp: string | undefined;
  private ready = false;
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly opts: InfluxSeriesOptions, deps: InfluxSeriesDeps) {
    this.log = deps.log.child({ part: "series", store: "influx", host: opts.host, database: opts.database });
    this.queue = new PointQueue(opts.maxBuffer);
    this.health = new StoreHealth(deps.clock ?? Date.now, this.log);
    this.batchSize = opts.batchSize ?? 5000;
    this.rp = opts.retention === null ? undefined : RETENTION_POLICY;
    this.influx = new InfluxDB({
      protocol: opts.protocol,
      host: opts.host,
      port: opts.port,
      database: opts.database,
      ...(opts.username !== null ? { username: opts.username, password: opts.password ?? "" } : {}),
      schema: influxSchema(opts.database),
      pool: { maxRetries: 0, requestTimeout: opts.requestTimeoutMs ?? 10_000, backoff: NO_BACKOFF },
    });
    this.timer = (deps.scheduler ?? realScheduler).every(opts.flushIntervalMs ?? 1000, () => {
      if (this.flushing === null && this.queue.length > 0) void this.flush();
    });
  }

  write(points: readonly SeriesPoint[]): void {
    if (this.closed) throw new Error("series store is closed");
    const dropped = this.queue.push(points.flatMap((p) => storablePoint(p) ?? []));
    if (dropped > 0) this.log.warn({ dropped, total: this.queue.dropped }, "series buffer full: oldest points dropped");
    if (this.queue.length >= this.batchSize && this.flushing === null && this.health.status(this.queue).state === "ok") {
      void this.flush();
    }
  }

  async flush(): Promise<SeriesStoreStatus> {
    // Wait for a drain in progress, then drain again: points written meanwhile are included.
    while (this.flushing !== null) await this.flushing;
    if (this.queue.length > 0 || !this.ready) {
      this.flushing = this.drain().finally(() => {
        this.flushing = null;
      });
      await this.flushing;
    }
    return this.status();
  }

  status(): SeriesStoreStatus {
    return this.health.status(this.queue);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.timer.cancel();
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.flush(),
      new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, this.opts.closeTimeoutMs ?? 5000);
      }),
    ]);
    clearTimeout(timeout);
    this.closed = true;
    if (this.queue.length > 0) this.log.warn({ lost: this.queue.length }, "series points not written to InfluxDB at close");
  }

  /**
   * Straight to the HTTP API rather than through the `influx` package: the package reads only plain answers,
   * which the server may cut short (see samplesOf); this reads the chunked form, one JSON document per line.
   */
  async deleteFlight(flightId: number): Promise<void> {
    // What is still queued for the flight goes first, or it would arrive after the delete.
    await this.flush();
    const measurements = SERIES_KINDS.map((k) => influxEscape.quoted(k)).join(", ");
    await this.influx.query(`DELETE FROM ${measurements} WHERE "flight" = ${influxEscape.stringLit(String(flightId))}`);
  }

  async query(query: SeriesQuery): Promise<SeriesResponse> {
    const q = validQuery(query);
    const o = this.opts;
    const params = new URLSearchParams({ db: o.database, epoch: "ms", chunked: "true", chunk_size: "10000", q: selectInfluxQl(q) });
    if (this.rp !== undefined) params.set("rp", this.rp);
    const headers: Record<string, string> = {};
    if (o.username !== null) {
      headers.Authorization = `Basic ${Buffer.from(`${o.username}:${o.password ?? ""}`).toString("base64")}`;
    }
    const res = await fetch(`${o.protocol}://${hostPart(o.host)}:${o.port}/query?${params}`, {
      headers, signal: AbortSignal.timeout(o.requestTimeoutMs ?? 10_000),
    });
    const text = await res.text();
    if (!res.ok && res.status !== 400 && res.status !== 404) throw new Error(`InfluxDB answered ${res.status}: ${text.slice(0, 200)}`);
    const chunks: unknown[] = text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
    return { kind: q.kind, fields: q.fields, resolutionMs: q.resolutionMs, samples: samplesOf(chunks, q.fields) };
  }

  private async drain(): Promise<void> {
    try {
      if (!this.ready) await this.setUp();
      this.ready = true;
    } catch (err) {
      this.failed(err, 0);
      return;
    }
    while (this.queue.length > 0) {
      const batch = this.queue.peek(this.batchSize);
      try {
        await this.influx.writePoints(batch.points.map(toInfluxPoint), {
          precision: "ms",
          ...(this.rp !== undefined ? { retentionPolicy: this.rp } : {}),
        });
        this.queue.removeUpTo(batch.end);
        this.health.ok();
      } catch (err) {
        if (this.failed(err, batch.points.length) === "drop") {
          this.queue.removeUpTo(batch.end);
          continue;
        }
        return;
      }
    }
  }

  /** Sorts a failure: retry later (keep the points) or drop the batch, which would fail identically forever. */
  private failed(err: unknown, points: number): "retry" | "drop" {
    const status = statusCodeOf(err);
    const reason = (err as Error).message || String(err);
    if (status === 400) {
      // Bad line or field type conflict (a partial write: InfluxDB kept the valid points of the batch).
      this.health.rejected += points;
      this.health.refused(reason);
      return "drop";
    }
    if (status === 404) this.ready = false; // database or retention policy gone: create them again
    if (status === 401 || status === 403) this.health.refused(reason);
    else this.health.unreachable(reason);
    return "retry";
  }

  /** Database and retention policy, created if missing (and the retention updated if the configuration changed). */
  private async setUp(): Promise<void> {
    const { database, retention } = this.opts;
    const names = await this.influx.getDatabaseNames();
    if (!names.includes(database)) {
      await this.influx.createDatabase(database);
      this.log.info("InfluxDB database created");
    }
    if (retention === null) return;
    const duration = retention.toLowerCase() === "inf" ? "INF" : retention;
    const policies = await this.influx.showRetentionPolicies(database);
    const ours = policies.find((p) => p.name === RETENTION_POLICY);
    const options = { database, duration, replication: 1, isDefault: true };
    if (!ours) {
      await this.influx.createRetentionPolicy(RETENTION_POLICY, options);
      this.log.info({ retention }, "InfluxDB retention policy created");
    } else if (ours.duration !== influxDuration(retention) || !ours.default) {
      await this.influx.alterRetentionPolicy(RETENTION_POLICY, options);
      this.log.info({ retention, was: ours.duration }, "InfluxDB retention policy changed");
    }
  }
}

/** An IPv6 address goes in brackets in a URL. */
function hostPart(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function statusCodeOf(err: unknown): number | null {
  const res = (err as { res?: { statusCode?: unknown } } | null)?.res;
  return typeof res?.statusCode === "number" ? res.statusCode : null;
}
