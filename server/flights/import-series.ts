import { closeSync, openSync, readSync } from "node:fs";
import type { Logger } from "pino";
import type { Frame } from "../mavlink";
import { TlogStreamParser, decodeFrame } from "../mavlink";
import type { VehicleState } from "../protocol";
import { emptyVehicle, reduceVehicle } from "../vehicles";
import type { SeriesVehicle } from "./rebuild-series";
import { packetTime } from "./segmenter";
import { DEFAULT_SERIES_RATE_HZ, SeriesSampler } from "./series";
import type { SeriesPoint } from "./series";

/**
 * seriesOfEntries (rebuild-series.ts) one packet at a time: the same fold and the same ticks, so a flight of any
 * length is sampled at constant memory. Points go to `emit` as the ticks produce them.
 */
export class SeriesFold {
  private state: VehicleState | null = null;
  private nextTick: number | null = null;
  private readonly sampler: SeriesSampler;
  private readonly period: number;

  constructor(private readonly vehicle: SeriesVehicle, flightId: number, log: Logger, emit: (points: SeriesPoint[]) => void,
    rateHz: number = DEFAULT_SERIES_RATE_HZ) {
    this.sampler = new SeriesSampler({
      store: { write: (p) => emit([...p]) },
      states: (tick) => {
        const s = this.state;
        return s === null ? [] : [{ ...s, link: { ...s.link, heartbeatAgeMs: Math.max(0, tick - s.link.lastHeartbeat) } }];
      },
      flightOf: () => flightId,
      clock: () => 0,
      log,
    }, rateHz);
    this.period = this.sampler.periodMs;
  }

  push(timeUs: number, f: Frame): void {
    if (f.sysid !== this.vehicle.sysid || f.compid !== this.vehicle.compid) return;
    const time = packetTime(timeUs);
    if (this.nextTick !== null && this.nextTick < time) {
      this.sampler.tick(this.nextTick);
      this.nextTick = (Math.floor(time / this.period) + 1) * this.period;
    }
    let message;
    try {
      message = decodeFrame(f).message;
    } catch {
      return;
    }
    if (this.state === null) {
      if (message.kind !== "heartbeat" || !message.isVehicle) return;
      this.state = emptyVehicle(this.vehicle, time);
    }
    this.state = reduceVehicle(this.state, message, time);
    this.nextTick ??= (Math.floor(time / this.period) + 1) * this.period;
  }

  finish(): void {
    if (this.nextTick !== null) this.sampler.tick(this.nextTick);
    this.nextTick = null;
  }
}

const CHUNK = 256 * 1024;

/**
 * Folds a flight's .tlog on disk into its series, a chunk at a time (constant memory); `drain` runs after each
 * chunk, so the points emitted so far can be handed on (and the reading waits while the store catches up).
 */
export async function foldTlogFile(absPath: string, fold: SeriesFold, drain: () => Promise<void>): Promise<void> {
  const fd = openSync(absPath, "r");
  try {
    const parser = new TlogStreamParser((e) => fold.push(e.timeUs, e.frame));
    for (;;) {
      // A new buffer per chunk: the frames handed on are views into it.
      const chunk = Buffer.allocUnsafeSlow(CHUNK);
      const n = readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      parser.push(chunk.subarray(0, n));
      await drain();
    }
    parser.end();
    fold.finish();
    await drain();
  } finally {
    closeSync(fd);
  }
}
