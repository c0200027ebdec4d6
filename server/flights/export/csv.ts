import type { TrackSample } from "./samples";
import { decimal, isoTime } from "./text";

export const CSV_HEADER = [
  "time", "lat", "lon", "alt_amsl_m", "alt_rel_m", "heading_deg", "ground_speed_mps", "climb_mps", "mode", "armed",
  "battery_v", "battery_pct",
] as const;

/** RFC 4180: a field holding a separator, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, "\"\"")}"` : value;
}

const num = (v: number | null, digits: number) => (v === null ? "" : String(Number(v.toFixed(digits))));

function row(s: TrackSample): string {
  return [
    isoTime(s.time), decimal(s.lat, 7), decimal(s.lon, 7), num(s.altAmsl, 3), num(s.altRelative, 3), num(s.heading, 2),
    num(s.groundSpeed, 3), num(s.climb, 3), csvField(s.mode ?? ""), s.armed === null ? "" : s.armed ? "1" : "0",
    num(s.batteryVoltage, 3), num(s.batteryRemaining, 0),
  ].join(",");
}

/** A header, then one row per position sample; an unknown value is an empty field. CRLF lines (RFC 4180). */
export async function* csv(samples: AsyncIterable<TrackSample>): AsyncGenerator<string> {
  yield `${CSV_HEADER.join(",")}\r\n`;
  for await (const s of samples) yield `${row(s)}\r\n`;
}
