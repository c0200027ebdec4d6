/**
 * DJI-style .SRT sidecars: one subtitle cue per frame (or per second on older drones) with the frame's date-time and
 * the camera's position. The layouts differ by model; this reads the three in use:
 *   [latitude: 51.507400] [longitude: -0.127800] [rel_alt: 30.000 abs_alt: 40.000]    (Mavic 3, Air 2S, Mini 3/4)
 *   GPS (-0.1278, 51.5074, 19)                                                         (Mavic Air 2, Mini 2: lon first)
 *   GPS(-0.1278,51.5074,19)                                                            (Phantom 4)
 * The date-time ("2026-11-21 10:14:03.250" or "2026.11.21 10:14:03") is the drone's local time: the zone is found
 * when the positions are matched to a flight (sync.ts). A cue that cannot be read is counted and skipped.
 */

export interface SrtFrame {
  /** Seconds into the video (the cue's start). */
  t: number;
  /** The cue's date-time read as if it were UTC, ms; the zone is unknown until matched. */
  wall: number | null;
  lat: number | null;
  lon: number | null;
  alt: number | null;
}

export interface SrtReading {
  frames: SrtFrame[];
  /** Cues that did not read (no time range, garbage), and cues past the limit. */
  skipped: number;
  /** The first few problems, in words ("cue 13: no time range"). */
  problems: string[];
}

/** A 2-hour video at 60 frames a second; past this a sidecar is not one a drone wrote. */
export const MAX_CUES = 432_000;
const MAX_PROBLEMS = 10;

const TIME_RANGE = /^(\d{1,2}):(\d{2}):(\d{2})[,.](\d{1,3})\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}/;
const DATE_TIME = /(\d{4})[-./](\d{2})[-./](\d{2})[ T]+(\d{1,2}):(\d{2}):(\d{2})(?:[.,:](\d{1,6}))?/;
const LAT = /\[?latitude\s*[:=]\s*(-?\d+(?:\.\d+)?)/i;
const LON = /\[?longi?tude\s*[:=]\s*(-?\d+(?:\.\d+)?)/i;
const GPS = /GPS\s*\(\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*(?:,\s*(-?\d+(?:\.\d+)?))?/i;
const ALT = /(?:abs_alt|altitude)\s*[:=]\s*(-?\d+(?:\.\d+)?)|\bH\s+(-?\d+(?:\.\d+)?)m/i;

function wallOf(text: string): number | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const frac = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) + frac;
  return Number.isFinite(t) ? Math.round(t) : null;
}

function positionOf(text: string): Pick<SrtFrame, "lat" | "lon" | "alt"> {
  const lat = LAT.exec(text);
  const lon = LON.exec(text);
  const alt = ALT.exec(text);
  const altitude = alt ? Number(alt[1] ?? alt[2]) : null;
  if (lat && lon) return { lat: Number(lat[1]), lon: Number(lon[1]), alt: altitude };
  const gps = GPS.exec(text);
  // DJI writes GPS (longitude, latitude, altitude).
  if (gps) return { lat: Number(gps[2]), lon: Number(gps[1]), alt: gps[3] === undefined ? altitude : Number(gps[3]) };
  return { lat: null, lon: null, alt: altitude };
}

const valid = (p: Pick<SrtFrame, "lat" | "lon">) =>
  p.lat !== null && p.lon !== null && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 && !(p.lat === 0 && p.lon === 0);

/** Reads a sidecar's text (UTF-8, with or without a byte-order mark, CRLF or LF). */
export function parseSrt(text: string): SrtReading {
  const frames: SrtFrame[] = [];
  const problems: string[] = [];
  let skipped = 0;
  const problem = (what: string) => {
    skipped++;
    if (problems.length < MAX_PROBLEMS) problems.push(what);
  };
  const blocks = text.replace(/^\uFEFF/, "").replace(/<[^>]*>/g, " ").split(/\r?\n\s*\r?\n/);
  blocks.forEach((block, i) => {
    const lines = block.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    if (lines.length === 0) return;
    const at = lines.findIndex((l) => TIME_RANGE.test(l));
    if (at < 0) return problem(`cue ${i + 1}: no time range`);
    if (frames.length >= MAX_CUES) return problem(`cue ${i + 1}: past ${MAX_CUES} cues`);
    const m = TIME_RANGE.exec(lines[at]!)!;
    const t = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]!.padEnd(3, "0")) / 1000;
    const body = lines.slice(at + 1).join(" ");
    const pos = positionOf(body);
    frames.push({ t, wall: wallOf(body), ...(valid(pos) ? pos : { lat: null, lon: null, alt: pos.alt }) });
  });
  frames.sort((a, b) => a.t - b.t);
  return { frames, skipped, problems };
}
