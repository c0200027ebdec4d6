import type { Logger } from "pino";
import type { GpsFix, VehicleKey, VehicleState } from "../../protocol";
import { realScheduler } from "./scheduler";
import type { Scheduler } from "./scheduler";
import type { SeriesPoint, SeriesStore } from "./types";

export const DEFAULT_SERIES_RATE_HZ = 5;

export interface SeriesSamplerDeps {
  store: Pick<SeriesStore, "write">;
  /** Every vehicle's current state (the registry's snapshot at that time). */
  states: (time: number) => readonly VehicleState[];
  /** The flight the vehicle is in now, or null. */
  flightOf: (key: VehicleKey) => number | null;
  clock: () => number;
  log: Logger;
  scheduler?: Scheduler;
}

/**
 * Turns decoded vehicle states into series points at a fixed rate per vehicle (default 5 Hz), not per packet:
 * a copter sends position at 10-50 Hz and a series at that rate would cost far more than it tells.
 *
 * Each tick takes the vehicles whose state changed since their last sample (lastUpdate moved) and only those: a
 * silent vehicle (link lost, powered off) must not grow a flat line of repeated values that looks recorded.
 * A point's time is the state's lastUpdate, the time of the data (server receive time, or the virtual clock of a
 * replay), so a sample is never dated later than what it holds; times per vehicle therefore only increase.
 */
export class SeriesSampler {
  private readonly last = new Map<VehicleKey, number>();
  private timer: { cancel(): void } | null = null;
  readonly periodMs: number;

  constructor(private readonly deps: SeriesSamplerDeps, rateHz: number = DEFAULT_SERIES_RATE_HZ) {
    if (!(rateHz > 0 && rateHz <= 1000)) throw new RangeError(`series rate must be in (0, 1000] Hz, got ${rateHz}`);
    this.periodMs = Math.max(1, Math.round(1000 / rateHz));
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = (this.deps.scheduler ?? realScheduler).every(this.periodMs, () => this.tick(this.deps.clock()));
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** One sampling round at `time` (the timer calls it; a replay or rebuild may call it on its own clock). */
  tick(time: number): SeriesPoint[] {
    const points: SeriesPoint[] = [];
    const seen = new Set<VehicleKey>();
    for (const state of this.deps.states(time)) {
      seen.add(state.key);
      if (this.last.get(state.key) === state.lastUpdate) continue;
      this.last.set(state.key, state.lastUpdate);
      points.push(...pointsOf(state, this.deps.flightOf(state.key)));
    }
    for (const key of this.last.keys()) if (!seen.has(key)) this.last.delete(key);
    if (points.length > 0) {
      try {
        this.deps.store.write(points);
      } catch (err) {
        // A store that throws (closed during shutdown) must not stop the timer for the other vehicles.
        this.deps.log.error({ err }, "series write failed");
      }
    }
    return points;
  }
}

/**
 * GPS_FIX_TYPE numbers (MAVLink's own, so a chart reads as in Mission Planner): the series hold numbers only.
 * "none" is GPS_FIX_TYPE_NO_GPS (0), "no_fix" is 1.
 */
const GPS_FIX_NUMBER: Record<GpsFix, number> = {
  none: 0, no_fix: 1, "2d": 2, "3d": 3, dgps: 4, rtk_float: 5, rtk_fixed: 6, static: 7, ppp: 8,
};

/** The points of one state: a kind whose data has not been reported yet gives no point rather than nulls. */
export function pointsOf(state: VehicleState, flightId: number | null): SeriesPoint[] {
  const base = { vehicle: state.key, flightId, time: state.lastUpdate };
  const points: SeriesPoint[] = [];
  const p = state.position;
  if (p !== null) {
    points.push({ ...base, kind: "position", values: {
      lat: p.lat, lon: p.lon, altAmsl: p.altAmsl, altRelative: p.altRelative,
      heading: state.heading, groundSpeed: state.groundSpeed, climb: state.climb,
    } });
  }
  const a = state.attitude;
  if (a !== null) points.push({ ...base, kind: "attitude", values: { roll: a.roll, pitch: a.pitch, yaw: a.yaw } });
  const b = state.battery;
  if (b.voltage !== null || b.current !== null || b.remaining !== null) {
    points.push({ ...base, kind: "battery", values: { voltage: b.voltage, current: b.current, remaining: b.remaining } });
  }
  if (state.gps.fix !== "none" || state.gps.satellites !== null) {
    points.push({ ...base, kind: "gps", values: {
      fix: GPS_FIX_NUMBER[state.gps.fix], satellites: state.gps.satellites, hdop: state.gps.hdop,
    } });
  }
  points.push({ ...base, kind: "status", values: {
    armed: state.armed ? 1 : 0, customMode: state.customMode, heartbeatAgeMs: state.link.heartbeatAgeMs,
  } });
  return points;
}
