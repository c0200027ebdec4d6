import { appendFile, writeFile } from "node:fs/promises";
import { DEFAULT_START_US, generateTlog } from "./generate";

export interface LongTlogOptions {
  /** Hours are added until the file is at least this large. */
  minBytes: number;
  vehicles?: number;
  seed?: number;
  /** Time of the first instant, µs since the epoch (default: the generator's). */
  startUs?: number;
}

export interface LongTlog {
  sizeBytes: number;
  packets: number;
  hours: number;
  /** Flights generated (each vehicle's arm/disarm cycles, over every hour). */
  flights: number;
}

const HOUR_US = 3600e6;

/**
 * A .tlog of many hours for imports too large to generate in memory: one generated hour after the other (a new
 * seed each, consecutive times), appended to the file, so memory holds one hour at a time.
 */
export async function writeLongTlog(path: string, options: LongTlogOptions): Promise<LongTlog> {
  const vehicles = options.vehicles ?? 3;
  const seed = options.seed ?? 20260314;
  const out: LongTlog = { sizeBytes: 0, packets: 0, hours: 0, flights: 0 };
  await writeFile(path, Buffer.alloc(0));
  while (out.sizeBytes < options.minBytes) {
    const startUs = (options.startUs ?? DEFAULT_START_US) + out.hours * HOUR_US;
    const hour = generateTlog({ durationS: 3600, vehicles, seed: seed + out.hours, startUs });
    await appendFile(path, hour.bytes);
    out.sizeBytes += hour.bytes.length;
    out.packets += hour.packets;
    out.flights += hour.vehicles.reduce((n, v) => n + v.flights.length, 0);
    out.hours++;
  }
  return out;
}
