import type { Logger } from "pino";
import { z } from "zod";
import type { VehicleEvent, VehicleKey } from "../protocol";
import type { Kysely } from "kysely";
import type { AppSql } from "../storage";
import type { AlertTables } from "./tables";

/** Where vehicle timeline events are kept. */
export interface VehicleEventStore {
  /** Adds events, in order. */
  insert(events: readonly VehicleEvent[]): Promise<void>;
  /** The newest `limit` events of every vehicle, newest first (the snapshot a screen gets when it connects). */
  latest(limit: number): Promise<VehicleEvent[]>;
}

/** Rows kept in all: the timeline is a convenience beside the flight's .tlog, which holds every heartbeat anyway. */
const MAX_ROWS = 100_000;
/** Events a screen gets when it connects (the client keeps as many). */
export const SNAPSHOT_EVENTS = 100;
/** Pruned every this many inserts, not on each. */
const PRUNE_EVERY = 1000;

const detailSchema = z.union([
  z.object({ kind: z.literal("mode_change"), from: z.string(), to: z.string(), commanded: z.boolean() }),
  z.object({ kind: z.enum(["armed", "disarmed", "mission_complete"]) }),
]);

const rowSchema = z.object({ vehicle: z.string().regex(/^\d+:\d+$/), time: z.number(), detail: z.string() });

function toEvent(row: unknown): VehicleEvent | null {
  const r = rowSchema.safeParse(row);
  if (!r.success) return null;
  let json: unknown;
  try {
    json = JSON.parse(r.data.detail);
  } catch {
    return null;
  }
  const detail = detailSchema.safeParse(json);
  if (!detail.success) return null;
  return { key: r.data.vehicle as VehicleKey, time: r.data.time, ...detail.data };
}

/** The vehicle timeline in the application database (migration "vehicle_events"), on SQLite or PostgreSQL. */
export class SqlVehicleEventStore implements VehicleEventStore {
  private inserts = 0;
  private readonly db: Kysely<AlertTables>;

  constructor(sql: AppSql) {
    this.db = sql.kysely<AlertTables>();
  }

  async insert(events: readonly VehicleEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db.insertInto("vehicle_events").values(events.map((event) => {
      const { key, time, ...detail } = event;
      return { vehicle: key, time, kind: event.kind, detail: JSON.stringify(detail) };
    })).execute();
    const before = this.inserts;
    this.inserts += events.length;
    if (Math.floor(before / PRUNE_EVERY) !== Math.floor(this.inserts / PRUNE_EVERY)) {
      await this.db.deleteFrom("vehicle_events")
        .where("id", "<=", (eb) => eb.selectFrom("vehicle_events").select((e) => e(e.fn.max("id"), "-", MAX_ROWS).as("cut"))).execute();
    }
  }

  async latest(limit: number): Promise<VehicleEvent[]> {
    const rows = await this.db.selectFrom("vehicle_events").select(["vehicle", "time", "detail"]).orderBy("id", "desc").limit(limit).execute();
    return rows.map(toEvent).filter((e): e is VehicleEvent => e !== null);
  }
}

/** Events waiting to be written at most (a database down for long): beyond, new ones are kept in memory only. */
const MAX_UNWRITTEN_EVENTS = 5_000;

/**
 * Keeps and emits the timeline events the rules find, at most `perMinute` per vehicle (a vehicle flapping between
 * modes is logged once a minute, not written a hundred times a second). Written behind, in order, a batch at a
 * time; the newest are kept in memory for the snapshot a screen gets when it connects (read from the store at start,
 * so they survive a restart).
 */
export class VehicleEventLog {
  private readonly recentTimes = new Map<VehicleKey, number[]>();
  private lastWarn = -Infinity;
  private lastStoreLog = -Infinity;
  private readonly newest: VehicleEvent[] = [];
  private readonly waiting: VehicleEvent[] = [];
  private writing: Promise<void> | null = null;
  /** Events not written: the store failed, or too many waited. */
  unwritten = 0;

  constructor(private readonly deps: {
    store?: VehicleEventStore; emit?: (event: VehicleEvent) => void; perMinute: number; log: Logger; clock: () => number;
  }) {}

  /** The newest events from the store (at start). */
  async load(): Promise<void> {
    if (!this.deps.store) return;
    const stored = await this.deps.store.latest(SNAPSHOT_EVENTS);
    this.newest.push(...stored.slice(0, SNAPSHOT_EVENTS - this.newest.length));
  }

  add(event: VehicleEvent): void {
    const times = (this.recentTimes.get(event.key) ?? []).filter((t) => event.time - t < 60_000);
    if (times.length >= this.deps.perMinute) {
      if (event.time - this.lastWarn >= 60_000) {
        this.lastWarn = event.time;
        this.deps.log.warn({ vehicle: event.key, perMinute: this.deps.perMinute }, "too many vehicle events: not all kept");
      }
      this.recentTimes.set(event.key, times);
      return;
    }
    times.push(event.time);
    this.recentTimes.set(event.key, times);
    this.write(event);
    this.newest.unshift(event);
    if (this.newest.length > SNAPSHOT_EVENTS) this.newest.length = SNAPSHOT_EVENTS;
    this.deps.emit?.(event);
  }

  /** The newest events of every vehicle, newest first, for a screen that connects. */
  latest(limit = SNAPSHOT_EVENTS): VehicleEvent[] {
    return this.newest.slice(0, limit);
  }

  /** Resolves once every event added so far was tried. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private write(event: VehicleEvent): void {
    if (!this.deps.store) return;
    if (this.waiting.length >= MAX_UNWRITTEN_EVENTS) {
      this.unwritten += 1;
      return;
    }
    this.waiting.push(event);
    this.drain(this.deps.store);
  }

  private drain(store: VehicleEventStore): void {
    if (this.writing) return;
    this.writing = (async () => {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.waiting.length);
        try {
          await store.insert(batch);
        } catch (err) {
          // The timeline is a convenience beside the flight's .tlog, which holds every heartbeat: not retried.
          this.unwritten += batch.length;
          const now = this.deps.clock();
          if (now - this.lastStoreLog >= 60_000) {
            this.lastStoreLog = now;
            this.deps.log.error({ err, unwritten: this.unwritten }, "vehicle events not stored");
          }
        }
      }
    })().finally(() => {
      this.writing = null;
      if (this.waiting.length > 0) this.drain(store);
    });
  }
}
