import fs from "node:fs";
import { decodeFrame } from "../../mavlink";
import { tlogEntryChunks } from "./tlog-stream";

/** One position report of the flight's vehicle, with the state it was in (SI units, time ms since the epoch). */
export interface TrackSample {
  time: number;
  lat: number;
  lon: number;
  altAmsl: number;
  altRelative: number;
  /** Degrees 0..360, null when unknown. */
  heading: number | null;
  groundSpeed: number;
  /** m/s, positive up. */
  climb: number;
  /** From the latest heartbeat, null before the first one. */
  mode: string | null;
  armed: boolean | null;
  /** From the latest SYS_STATUS. */
  batteryVoltage: number | null;
  /** Percent, 0..100. */
  batteryRemaining: number | null;
}

export interface TrackVehicle {
  sysid: number;
  compid: number;
}

/** Read size: large enough that per-chunk work is negligible, small enough to keep memory flat. */
export const READ_CHUNK = 64 * 1024;

/** The bytes of a file as a stream of chunks; the caller's early exit from the loop closes the file. */
export function fileChunks(file: string): AsyncIterable<Buffer> {
  return fs.createReadStream(file, { highWaterMark: READ_CHUNK });
}

/**
 * The vehicle's positions (GLOBAL_POSITION_INT) from a .tlog, each with the mode, armed state and battery last
 * reported before it. Other vehicles and the ground station's own packets in the same file are ignored. A 0,0
 * position is what ArduPilot sends before it has an origin: not a place, so left out.
 */
export async function* trackSamples(chunks: AsyncIterable<Buffer>, vehicle: TrackVehicle): AsyncGenerator<TrackSample> {
  let mode: string | null = null;
  let armed: boolean | null = null;
  let batteryVoltage: number | null = null;
  let batteryRemaining: number | null = null;
  for await (const entries of tlogEntryChunks(chunks)) {
    for (const entry of entries) {
      const { frame } = entry;
      if (frame.sysid !== vehicle.sysid || frame.compid !== vehicle.compid) continue;
      const m = decodeFrame(frame).message;
      switch (m.kind) {
        case "heartbeat":
          if (m.isVehicle) {
            mode = m.mode;
            armed = m.armed;
          }
          break;
        case "sysStatus":
          batteryVoltage = m.voltage;
          batteryRemaining = m.remaining;
          break;
        case "globalPosition":
          if (m.lat === 0 && m.lon === 0) break;
          yield {
            time: Math.round(entry.timeUs / 1000),
            lat: m.lat,
            lon: m.lon,
            altAmsl: m.altAmsl,
            altRelative: m.altRelative,
            heading: m.heading,
            groundSpeed: Math.hypot(m.vn, m.ve),
            climb: -m.vd,
            mode,
            armed,
            batteryVoltage,
            batteryRemaining,
          };
          break;
        default:
          break;
      }
    }
  }
}

/** Take-off and landing: the first and last positions while armed (or of the whole track, if never armed). */
export class EndPoints {
  private firstAny: TrackSample | null = null;
  private lastAny: TrackSample | null = null;
  private firstArmed: TrackSample | null = null;
  private lastArmed: TrackSample | null = null;

  add(s: TrackSample): void {
    this.firstAny ??= s;
    this.lastAny = s;
    if (s.armed === true) {
      this.firstArmed ??= s;
      this.lastArmed = s;
    }
  }

  get takeoff(): TrackSample | null {
    return this.firstArmed ?? this.firstAny;
  }

  get landing(): TrackSample | null {
    return this.lastArmed ?? this.lastAny;
  }
}
