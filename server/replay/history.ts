/**
 * What the alert rules and the mission protocol produced over a whole .tlog, found once while indexing it (the
 * rules fed every packet in file order, as live) and kept in the index. A replay session plays this history on
 * its clock instead of running the rules itself: the alerts, vehicle events and missions shown after a seek are
 * then exactly those of playing the file from its first packet, which a restored checkpoint alone could not give
 * (an alert episode can span the whole flight; its holds and worst values are not vehicle state).
 */
import { z } from "zod";
import type { Alert, VehicleEvent, VehicleKey, VehicleMissionInfo } from "../protocol";

/** Alert changes, vehicle events and mission changes kept per file; past this the file is broken, the rest counted. */
export const MAX_HISTORY_ENTRIES = 20_000;
/** Alerts in a snapshot, newest first (as the live snapshot's recent list). */
const SNAPSHOT_ALERTS = 200;
/** Vehicle events in a snapshot, newest first (as VehicleEventLog's latest). */
const SNAPSHOT_EVENTS = 100;

export interface AlertChange {
  time: number;
  alert: Alert;
}

export interface MissionChange {
  time: number;
  info: VehicleMissionInfo;
}

export interface FlightHistory {
  alerts: AlertChange[];
  events: VehicleEvent[];
  missions: MissionChange[];
  /** Entries left out past MAX_HISTORY_ENTRIES. */
  dropped: number;
}

const severity = z.enum(["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"]);
const key = z.string().regex(/^\d+:\d+$/);
const alertSchema = z.object({
  id: z.number().int().positive(), key, rule: z.string(), severity, text: z.string(), count: z.number(),
  raisedAt: z.number(), updatedAt: z.number(), clearedAt: z.number().nullable(), clearReason: z.string().nullable(),
  acknowledgedBy: z.string().nullable(), acknowledgedAt: z.number().nullable(),
});
const eventSchema = z.union([
  z.object({ key, time: z.number(), kind: z.literal("mode_change"), from: z.string(), to: z.string(), commanded: z.boolean() }),
  z.object({ key, time: z.number(), kind: z.enum(["armed", "disarmed", "mission_complete"]) }),
]);
const point = z.object({ lat: z.number(), lon: z.number() });
const itemSchema = z.object({
  command: z.number(), frame: z.number(), params: z.tuple([z.number().nullable(), z.number().nullable(), z.number().nullable(), z.number().nullable()]),
  lat: z.number(), lon: z.number(), alt: z.number(), autocontinue: z.boolean(),
});
const missionSchema = z.object({
  home: z.object({ lat: z.number(), lon: z.number(), altAmsl: z.number() }).nullable(),
  items: z.array(itemSchema),
  fence: z.object({
    polygons: z.array(z.object({ inclusion: z.boolean(), points: z.array(point) })),
    circles: z.array(z.object({ inclusion: z.boolean(), center: point, radius: z.number() })),
  }),
  rally: z.array(z.object({ lat: z.number(), lon: z.number(), alt: z.number() })),
});

/** The history as stored in the index meta (our own derived file, still checked as it is read back). */
export const historySchema = z.object({
  alerts: z.array(z.object({ time: z.number(), alert: alertSchema })),
  events: z.array(eventSchema),
  missions: z.array(z.object({
    time: z.number(),
    info: z.object({
      key, plan: missionSchema.nullable(), verifiedAt: z.number().nullable(), source: z.enum(["upload", "download"]).nullable(),
      by: z.string().nullable(),
    }),
  })),
  dropped: z.number(),
});

/** Collects the history while indexing; entries arrive in file order. */
export class HistoryCollector {
  private readonly h: FlightHistory = { alerts: [], events: [], missions: [], dropped: 0 };
  private size = 0;

  alert(a: Alert): void {
    if (this.room()) this.h.alerts.push({ time: Math.max(a.raisedAt, a.updatedAt, a.clearedAt ?? -Infinity), alert: a });
  }

  event(e: VehicleEvent): void {
    if (this.room()) this.h.events.push(e);
  }

  mission(time: number, info: VehicleMissionInfo): void {
    if (this.room()) this.h.missions.push({ time, info });
  }

  finish(): FlightHistory {
    // Sorted by time, stable: a text alert takes its packet's time, a rule's alert its tick's; both never go back.
    const byTime = <T>(get: (x: T) => number) => (a: T, b: T) => get(a) - get(b);
    this.h.alerts.sort(byTime((c) => c.time));
    this.h.events.sort(byTime((e) => e.time));
    this.h.missions.sort(byTime((m) => m.time));
    return this.h;
  }

  private room(): boolean {
    if (this.size >= MAX_HISTORY_ENTRIES) {
      this.h.dropped++;
      return false;
    }
    this.size++;
    return true;
  }
}

/** Where a history's changes go as the clock passes them (session time, the flight's ids). */
export interface HistoryOutput {
  alert(a: Alert): void;
  event(e: VehicleEvent): void;
  mission(info: VehicleMissionInfo): void;
}

/** The index of the first entry whose time is after `t` (entries sorted by time). */
function firstAfter<T>(list: readonly T[], t: number, timeOf: (x: T) => number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeOf(list[mid]!) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const alertTime = (c: AlertChange) => c.time;
const eventTime = (e: VehicleEvent) => e.time;
const missionTime = (m: MissionChange) => m.time;

/**
 * One flight's history on a session: its state at any file time, and its changes as the clock moves on. Alert ids
 * are moved by `idBase` so two flights of one session never share one; times stay file times (the session shifts).
 */
export class HistoryPlayer {
  private next = { alerts: 0, events: 0, missions: 0 };

  constructor(private readonly h: FlightHistory, private readonly idBase: number) {}

  /** The highest alert id of this history (the next flight's ids start after it). */
  static maxId(h: FlightHistory): number {
    return h.alerts.reduce((m, c) => Math.max(m, c.alert.id), 0);
  }

  /** The state at file time `t` (every change at or before it); the changes after it are played next. */
  at(t: number): { alerts: Alert[]; events: VehicleEvent[]; missions: Record<VehicleKey, VehicleMissionInfo> } {
    this.next = {
      alerts: firstAfter(this.h.alerts, t, alertTime), events: firstAfter(this.h.events, t, eventTime),
      missions: firstAfter(this.h.missions, t, missionTime),
    };
    const latest = new Map<number, Alert>();
    for (let i = 0; i < this.next.alerts; i++) {
      const a = this.h.alerts[i]!.alert;
      latest.set(a.id, a);
    }
    const alerts = [...latest.values()].sort((a, b) => b.id - a.id).slice(0, SNAPSHOT_ALERTS).map((a) => this.ours(a));
    const events = this.h.events.slice(Math.max(0, this.next.events - SNAPSHOT_EVENTS), this.next.events).reverse();
    const missions: Record<VehicleKey, VehicleMissionInfo> = {};
    for (let i = 0; i < this.next.missions; i++) missions[this.h.missions[i]!.info.key] = this.h.missions[i]!.info;
    return { alerts, events, missions };
  }

  /** Sends every change after the last one played up to file time `t` (inclusive), in time order per kind. */
  playTo(t: number, out: HistoryOutput): void {
    for (; this.next.alerts < this.h.alerts.length && this.h.alerts[this.next.alerts]!.time <= t; this.next.alerts++) {
      out.alert(this.ours(this.h.alerts[this.next.alerts]!.alert));
    }
    for (; this.next.events < this.h.events.length && this.h.events[this.next.events]!.time <= t; this.next.events++) {
      out.event(this.h.events[this.next.events]!);
    }
    for (; this.next.missions < this.h.missions.length && this.h.missions[this.next.missions]!.time <= t; this.next.missions++) {
      out.mission(this.h.missions[this.next.missions]!.info);
    }
  }

  private ours(a: Alert): Alert {
    return this.idBase === 0 ? a : { ...a, id: a.id + this.idBase };
  }
}
