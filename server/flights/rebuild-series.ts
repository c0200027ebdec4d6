import type { Logger } from "pino";
import type { TlogEntry } from "../mavlink";
import { decodeFrame } from "../mavlink";
import type { VehicleState } from "../protocol";
import { emptyVehicle, reduceVehicle } from "../vehicles";
import { packetTime } from "./segmenter";
import { DEFAULT_SERIES_RATE_HZ, SeriesSampler } from "./series";
import type { SeriesPoint, SeriesStore } from "./series";

/** A vehicle as the catalogue knows it. */
export interface SeriesVehicle {
  sysid: number;
  compid: number;
}

/**
 * The series of one flight, recomputed from its .tlog: the vehicle's own packets folded by reduceVehicle (as the
 * registry does live) and sampled by the live SeriesSampler, but on the file's clock. Ticks fall on multiples of
 * the period since the epoch, so the same file always gives the same points at the same times: writing them again
 * replaces them in either store instead of adding beside them.
 */
export function seriesOfEntries(entries: readonly TlogEntry[], vehicle: SeriesVehicle, flightId: number, log: Logger,
  rateHz: number = DEFAULT_SERIES_RATE_HZ): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  let state: VehicleState | null = null;
  const sampler = new SeriesSampler({
    store: { write: (p) => { points.push(...p); } },
    // The link's age is what the live registry's snapshot reports at that tick; the rest of the link is not series.
    states: (tick) => (state === null ? [] : [{ ...state, link: { ...state.link, heartbeatAgeMs: Math.max(0, tick - state.link.lastHeartbeat) } }]),
    flightOf: () => flightId,
    clock: () => 0,
    log,
  }, rateHz);
  const period = sampler.periodMs;
  let nextTick: number | null = null;
  for (const e of entries) {
    const f = e.frame;
    if (f.sysid !== vehicle.sysid || f.compid !== vehicle.compid) continue;
    const time = packetTime(e.timeUs);
    if (nextTick !== null && nextTick < time) {
      sampler.tick(nextTick);
      // Ticks between this one and the packet would find nothing new: skip them (a gap costs nothing).
      nextTick = (Math.floor(time / period) + 1) * period;
    }
    let message;
    try {
      message = decodeFrame(f).message;
    } catch {
      // A payload the decoder cannot read is one lost sample at most; the stats and the file do not depend on it.
      continue;
    }
    // As the registry: a vehicle exists from its first vehicle heartbeat; what it sent before is not its state.
    if (state === null) {
      if (message.kind !== "heartbeat" || !message.isVehicle) continue;
      state = emptyVehicle(vehicle, time);
    }
    state = reduceVehicle(state, message, time);
    nextTick ??= (Math.floor(time / period) + 1) * period;
  }
  // The last tick of the flight: what changed after the previous one is sampled, as the live timer would.
  if (nextTick !== null) sampler.tick(nextTick);
  return points;
}

/** Points per write: below the stores' bounded queues (100k), which would drop the oldest of a bigger write. */
const CHUNK = 5000;

/**
 * Writes a flight's points and waits until the store has them (InfluxDB writes in the background): returns null,
 * or what went wrong (the store unreachable or refusing some points).
 */
export async function writeSeries(store: SeriesStore, points: readonly SeriesPoint[]): Promise<string | null> {
  const before = store.status();
  for (let i = 0; i < points.length; i += CHUNK) {
    store.write(points.slice(i, i + CHUNK));
    const status = await store.flush();
    if (status.state !== "ok") return `series store ${status.state}: ${status.reason}`;
  }
  const after = await store.flush();
  if (after.state !== "ok") return `series store ${after.state}: ${after.reason}`;
  const lost = after.rejected - before.rejected + after.dropped - before.dropped;
  return lost > 0 ? `${lost} series points refused by the store` : null;
}
