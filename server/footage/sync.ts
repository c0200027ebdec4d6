/**
 * Placing footage on a flight's clock from its sidecar: the SRT's date-times are the drone's local time, its
 * positions the camera's. The zone (whole quarters of an hour, -14 h to +14 h) is the one under which the sidecar's
 * positions fall on the flight's track; a fine shift of up to ±2 s (the camera's clock against the autopilot's GPS
 * time) is the one that brings them closest, when the drone moved enough for that to tell. The answer is where the
 * video's t = 0 is on the flight's clock, and how well the positions matched.
 */
import type { SrtFrame } from "./srt";

/** A position of the flight's vehicle at a moment of its clock. */
export interface TrackPosition {
  time: number;
  lat: number;
  lon: number;
}

export type SyncFound = { ok: true; startsAt: number; zoneMinutes: number; shiftMs: number; medianM: number; maxM: number; frames: number; detail: string }
  | { ok: false; reason: string };

/** Positions further than this from the track (median) are not this flight's. */
export const MATCH_LIMIT_M = 30;
/** Track samples further apart than this leave a gap: no position is made up across it. */
const TRACK_GAP_MS = 3000;
const SAMPLE_FRAMES = 200;
const ZONE_STEP_MIN = 15;
const FINE_MS = 2000;
const FINE_STEP_MS = 20;
/** A finer shift must beat no shift by this much to count (a hovering drone's positions do not tell time). */
const FINE_GAIN_M = 0.5;

const R = 6_371_008.8;
function metres(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const toRad = Math.PI / 180;
  const dLat = (bLat - aLat) * toRad;
  const dLon = (bLon - aLon) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * toRad) * Math.cos(bLat * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The track's position at `time` (linear between samples), or null outside it or across a gap. */
export function positionAt(track: readonly TrackPosition[], time: number): { lat: number; lon: number } | null {
  if (track.length === 0 || time < track[0]!.time || time > track[track.length - 1]!.time) return null;
  let lo = 0;
  let hi = track.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (track[mid]!.time <= time) lo = mid;
    else hi = mid;
  }
  const a = track[lo]!;
  const b = track[hi]!;
  if (b.time - a.time > TRACK_GAP_MS) return null;
  const f = b.time === a.time ? 0 : (time - a.time) / (b.time - a.time);
  return { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f };
}

type Usable = SrtFrame & { wall: number; lat: number; lon: number };

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  return s.length === 0 ? Infinity : s[Math.floor((s.length - 1) / 2)]!;
}

/** How the frames fall on the track with their times moved by `offsetMs`: how many are on it, and how far off. */
function fit(frames: readonly Usable[], track: readonly TrackPosition[], offsetMs: number): { covered: number; distances: number[] } {
  const distances: number[] = [];
  for (const f of frames) {
    const p = positionAt(track, f.wall - offsetMs);
    if (p) distances.push(metres(f.lat, f.lon, p.lat, p.lon));
  }
  return { covered: distances.length, distances };
}

function zoneName(minutes: number): string {
  if (minutes === 0) return "UTC";
  const sign = minutes > 0 ? "+" : "-";
  const m = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export function syncFromSrt(all: readonly SrtFrame[], track: readonly TrackPosition[]): SyncFound {
  const usable = all.filter((f): f is Usable => f.wall !== null && f.lat !== null && f.lon !== null);
  if (usable.length === 0) return { ok: false, reason: "the sidecar has no frame with both a date-time and a position" };
  if (track.length < 2) return { ok: false, reason: "the flight has no track to match the sidecar's positions to" };
  const step = Math.max(1, Math.floor(usable.length / SAMPLE_FRAMES));
  const sample = usable.filter((_f, i) => i % step === 0);
  const need = Math.max(1, Math.ceil(sample.length / 2));
  let best: { zone: number; median: number; covered: number } | null = null;
  for (let zone = -14 * 60; zone <= 14 * 60; zone += ZONE_STEP_MIN) {
    const { covered, distances } = fit(sample, track, zone * 60_000);
    if (covered < need) continue;
    const m = median(distances);
    if (!best || m < best.median) best = { zone, median: m, covered };
  }
  if (!best) return { ok: false, reason: "the sidecar's date-times do not fall within this flight in any time zone" };
  const zoneMs = best.zone * 60_000;
  let shift = 0;
  let bestMedian = best.median;
  for (let d = -FINE_MS; d <= FINE_MS; d += FINE_STEP_MS) {
    const { covered, distances } = fit(sample, track, zoneMs - d);
    if (covered < need) continue;
    const m = median(distances);
    if (m < bestMedian - FINE_GAIN_M || (Math.abs(m - bestMedian) <= 0.01 && Math.abs(d) < Math.abs(shift))) {
      bestMedian = m;
      shift = d;
    }
  }
  const final = fit(usable, track, zoneMs - shift);
  const medianM = median(final.distances);
  if (!(medianM <= MATCH_LIMIT_M)) {
    return { ok: false, reason: `the sidecar's positions are not on this flight's track: ${Math.round(medianM)} m from it (median) at the best time zone, ${zoneName(best.zone)}` };
  }
  // Each frame says where t = 0 is; the median of them is immune to a few frames written late.
  const startsAt = Math.round(median(usable.map((f) => f.wall - zoneMs + shift - f.t * 1000)));
  const maxM = Math.max(...final.distances);
  const shiftText = shift === 0 ? "" : `, moved ${shift > 0 ? "+" : ""}${(shift / 1000).toFixed(2)} s to the track`;
  return {
    ok: true, startsAt, zoneMinutes: best.zone, shiftMs: shift, medianM, maxM, frames: final.covered,
    detail: `SRT sidecar: ${usable.length} frames; date-times read as ${zoneName(best.zone)}${shiftText}; positions ${medianM.toFixed(1)} m `
      + `from the track (median), ${maxM.toFixed(1)} m at most, over ${final.covered} frames`,
  };
}
