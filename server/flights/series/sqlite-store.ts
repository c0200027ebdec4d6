import type { Logger } from "pino";
import type { Statement } from "better-sqlite3";
import { SERIES_FIELDS } from "../../protocol";
import type { SeriesKind, SeriesResponse, SeriesSample } from "../../protocol";
import type { Db } from "../../storage";
import { PointQueue, StoreHealth } from "./buffer";
import { SERIES_TABLES, columnOf } from "./sqlite-schema";
import { SERIES_KINDS, storablePoint, validQuery } from "./types";
import type { SeriesPoint, SeriesQuery, SeriesStore, SeriesStoreStatus, ValidQuery } from "./types";

export interface SqliteSeriesDeps {
  log: Logger;
  clock?: () => number;
  /** Points held while the database refuses writes (disk full, locked); default 100k. */
  maxBuffer?: number;
  /** Points per transaction (default 5000): the writer thread commits smaller ones, to hold the lock briefly. */
  batch?: number;
}

/** SQLite errors that go away by themselves (or when an operator frees space): keep the points and retry. */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY|PROTOCOL|NOMEM)/;
const BATCH = 5000;

type Row = Record<string, number | null>;

/**
 * The embedded series store, in the application database (its tables come from seriesMigrations, version 7).
 * Each write() is one transaction: the sampler writes every vehicle's kinds of a tick together, so a tick costs
 * one commit. A failed write keeps its points in a bounded queue and is retried by the next write or flush().
 */
export class SqliteSeriesStore implements SeriesStore {
  private readonly inserts: Record<SeriesKind, Statement>;
  private readonly queue: PointQueue;
  private readonly health: StoreHealth;
  private readonly log: Logger;
  private closed = false;
  private readonly batch: number;

  constructor(private readonly db: Db, deps: SqliteSeriesDeps) {
    this.batch = deps.batch ?? BATCH;
    this.log = deps.log.child({ part: "series", store: "sqlite" });
    this.queue = new PointQueue(deps.maxBuffer);
    this.health = new StoreHealth(deps.clock ?? Date.now, this.log);
    const inserts: Partial<Record<SeriesKind, Statement>> = {};
    for (const kind of SERIES_KINDS) {
      const columns = SERIES_FIELDS[kind].map(columnOf);
      // OR REPLACE: a sample written again (rebuild) replaces the old one instead of failing the whole batch.
      inserts[kind] = db.prepare(`INSERT OR REPLACE INTO ${SERIES_TABLES[kind]} (vehicle_key, flight_id, time, ${columns.join(", ")})
        VALUES (?, ?, ?, ${columns.map(() => "?").join(", ")})`);
    }
    this.inserts = inserts as Record<SeriesKind, Statement>;
  }

  write(points: readonly SeriesPoint[]): void {
    if (this.closed) throw new Error("series store is closed");
    const storable = points.flatMap((p) => storablePoint(p) ?? []);
    const dropped = this.queue.push(storable);
    if (dropped > 0) this.log.warn({ dropped, total: this.queue.dropped }, "series buffer full: oldest points dropped");
    this.drain();
  }

  async deleteFlight(flightId: number): Promise<void> {
    this.drain();
    this.db.transaction(() => {
      for (const kind of SERIES_KINDS) this.db.prepare(`DELETE FROM ${SERIES_TABLES[kind]} WHERE flight_id = ?`).run(flightId);
    })();
  }

  async flush(): Promise<SeriesStoreStatus> {
    if (!this.closed) this.drain();
    return this.status();
  }

  status(): SeriesStoreStatus {
    return this.health.status(this.queue);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.drain();
    this.closed = true;
    if (this.queue.length > 0) this.log.warn({ lost: this.queue.length }, "series points not written at close");
  }

  async query(query: SeriesQuery): Promise<SeriesResponse> {
    return querySeries(this.db, query);
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const batch = this.queue.peek(this.batch);
      try {
        this.db.transaction(() => {
          for (const p of batch.points) this.insert(p);
        })();
        this.queue.removeUpTo(batch.end);
        this.health.ok();
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        const reason = `${typeof code === "string" ? `${code}: ` : ""}${(err as Error).message}`;
        if (typeof code === "string" && TRANSIENT.test(code)) {
          this.health.unreachable(reason);
          return;
        }
        // Anything else would fail again identically: the batch is refused rather than blocking every later point.
        this.queue.removeUpTo(batch.end);
        this.health.rejected += batch.points.length;
        this.health.refused(reason);
      }
    }
  }

  private insert(point: SeriesPoint): void {
    const values = SERIES_FIELDS[point.kind].map((f) => point.values[f] ?? null);
    this.inserts[point.kind].run(point.vehicle, point.flightId, point.time, ...values);
  }
}

/** A series query on the application database (any connection: the writer's or a reader's). */
export function querySeries(db: Db, query: SeriesQuery): SeriesResponse {
  const q = validQuery(query);
  const { sql, params } = selectSql(q);
  const rows = db.prepare<unknown[], Row>(sql).all(...params);
  const samples: SeriesSample[] = rows.map((row) => {
    const values: Record<string, number | null> = {};
    q.fields.forEach((field, i) => {
      values[field] = row[`f${i}`] ?? null;
    });
    return { time: Number(row.t), values };
  });
  return { kind: q.kind, fields: q.fields, resolutionMs: q.resolutionMs, samples };
}

function selectSql(q: ValidQuery): { sql: string; params: (string | number)[] } {
  const where = ["time >= ?", "time <= ?"];
  const params: (string | number)[] = [q.from, q.to];
  if (q.vehicle !== undefined) {
    where.push("vehicle_key = ?");
    params.push(q.vehicle);
  }
  if (q.flightId !== undefined) {
    where.push("flight_id = ?");
    params.push(q.flightId);
  }
  // A row none of whose asked fields is known is no sample of them (InfluxDB leaves such rows out too).
  where.push(`(${q.fields.map((f) => `${columnOf(f)} IS NOT NULL`).join(" OR ")})`);
  const table = SERIES_TABLES[q.kind];
  // Column names come from SERIES_FIELDS (validated), never from the request text.
  if (q.resolutionMs === 0) {
    const cols = q.fields.map((f, i) => `${columnOf(f)} AS f${i}`).join(", ");
    return { sql: `SELECT time AS t, ${cols} FROM ${table} WHERE ${where.join(" AND ")} ORDER BY time`, params };
  }
  // Buckets start at multiples of the resolution since the epoch, as InfluxDB's GROUP BY time() does.
  const cols = q.fields.map((f, i) => `AVG(${columnOf(f)}) AS f${i}`).join(", ");
  return {
    sql: `SELECT time - (time % ?) AS t, ${cols} FROM ${table} WHERE ${where.join(" AND ")} GROUP BY t ORDER BY t`,
    params: [q.resolutionMs, ...params],
  };
}
