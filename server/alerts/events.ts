import type { Logger } from "pino";
import { z } from "zod";
import type { VehicleEvent, VehicleKey } from "../protocol";
import type { Db } from "../storage";

/** Where vehicle timeline events are kept. */
export interface VehicleEventStore {
  insert(event: VehicleEvent): void;
  /** The newest `limit` events of every vehicle, newest first (the snapshot a screen gets when it connects). */
  latest(limit: number): VehicleEvent[];
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

/** The vehicle timeline in the application database (migration "vehicle_events"). */
export class SqliteVehicleEventStore implements VehicleEventStore {
  private inserts = 0;

  constructor(private readonly db: Db) {}

  insert(event: VehicleEvent): void {
    const { key, time, ...detail } = event;
    this.db.prepare("INSERT INTO vehicle_events (vehicle, time, kind, detail) VALUES (?, ?, ?, ?)")
      .run(key, time, event.kind, JSON.stringify(detail));
    this.inserts += 1;
    if (this.inserts % PRUNE_EVERY === 0) {
      this.db.prepare("DELETE FROM vehicle_events WHERE id <= (SELECT MAX(id) FROM vehicle_events) - ?").run(MAX_ROWS);
    }
  }

  latest(limit: number): VehicleEvent[] {
    return this.db.prepare("SELECT vehicle, time, detail FROM vehicle_events ORDER BY id DESC LIMIT ?")
      .all(limit).map(toEvent).filter((e): e is VehicleEvent => e !== null);
  }
}

/**
 * Keeps and emits the timeline events the rules find, at most `perMinute` per vehicle (a vehicle flapping between
 * modes is logged once a minute, not written a hundred times a second).
 */
export class VehicleEventLog {
  private readonly recentTimes = new Map<VehicleKey, number[]>();
  private lastWarn = -Infinity;
  /** The newest events kept in memory too: the snapshot still has them when the store cannot answer. */
  private readonly newest: VehicleEvent[] = [];

  constructor(private readonly deps: {
    store?: VehicleEventStore; emit?: (event: VehicleEvent) => void; perMinute: number; log: Logger;
  }) {}

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
    try {
      this.deps.store?.insert(event);
    } catch (err) {
      this.deps.log.error({ err, vehicle: event.key }, "vehicle event not stored");
    }
    this.newest.unshift(event);
    if (this.newest.length > SNAPSHOT_EVENTS) this.newest.length = SNAPSHOT_EVENTS;
    this.deps.emit?.(event);
  }

  /** The newest events of every vehicle, newest first, for a screen that connects (kept across restarts by the store). */
  latest(limit = SNAPSHOT_EVENTS): VehicleEvent[] {
    if (this.deps.store) {
      try {
        return this.deps.store.latest(limit);
      } catch (err) {
        this.deps.log.error({ err }, "vehicle events unavailable from the store");
      }
    }
    return this.newest.slice(0, limit);
  }
}
