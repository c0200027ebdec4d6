/**
 * Where each vehicle starts. Vehicles share a base home and sit on a grid 150 m apart, so their icons, trails
 * and home markers do not overlap on the map but all fit in one London borough.
 */
import type { Home } from "./types";

export const DEFAULT_HOME: Home = Object.freeze({ lat: 51.5074, lon: -0.1278, altAmsl: 10 });
export const SPACING_M = 150;
const COLUMNS = 5;
const METRES_PER_DEG_LAT = 111_320;

/** Parses "LAT,LON,ALT" (ALT in metres AMSL, optional: defaults to 0). Throws with a readable message. */
export function parseHome(text: string): Home {
  const parts = text.split(",").map((p) => p.trim());
  const [lat, lon, alt] = parts.map(Number);
  if (parts.length < 2 || parts.length > 3 || lat === undefined || lon === undefined
    || !Number.isFinite(lat) || !Number.isFinite(lon) || (alt !== undefined && !Number.isFinite(alt))) {
    throw new Error(`expected LAT,LON,ALT (degrees, degrees, metres), e.g. 51.5074,-0.1278,10; got "${text}"`);
  }
  if (Math.abs(lat) > 85 || Math.abs(lon) > 180) throw new Error(`home ${text} is not on the map (|lat| <= 85, |lon| <= 180)`);
  return { lat, lon, altAmsl: alt ?? 0 };
}

/** Home of vehicle i: the base for i = 0, then east along a row of five, then the next row south. */
export function homeFor(base: Home, i: number): Home {
  const east = (i % COLUMNS) * SPACING_M;
  const south = Math.floor(i / COLUMNS) * SPACING_M;
  const perDegLon = METRES_PER_DEG_LAT * Math.cos((base.lat * Math.PI) / 180);
  return {
    lat: round7(base.lat - south / METRES_PER_DEG_LAT),
    lon: round7(base.lon + east / perDegLon),
    altAmsl: base.altAmsl,
  };
}

/** MAVLink carries degE7: more digits would only be noise in printed command lines. */
function round7(deg: number): number {
  return Math.round(deg * 1e7) / 1e7;
}

/** "LAT,LON,ALT,HEADING" as ArduPilot's --home wants it (heading 0 = facing north). */
export function ardupilotHome(home: Home, heading = 0): string {
  return `${home.lat},${home.lon},${home.altAmsl},${heading}`;
}
