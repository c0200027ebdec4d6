/**
 * Flat-earth conversion between degrees and metres near a reference point. Good to well under 1 % over the few
 * kilometres a police drone covers, and cheap enough to run every physics step.
 */
const EARTH_RADIUS_M = 6_378_137;
const DEG = Math.PI / 180;

export interface LatLon {
  lat: number;
  lon: number;
}

/** Metres per degree of latitude and of longitude at a latitude. */
export function metresPerDegree(lat: number): { north: number; east: number } {
  const north = EARTH_RADIUS_M * DEG;
  return { north, east: north * Math.cos(lat * DEG) };
}

/** North/east offset in metres of `to` from `from`. */
export function offsetMetres(from: LatLon, to: LatLon): { north: number; east: number } {
  const m = metresPerDegree(from.lat);
  return { north: (to.lat - from.lat) * m.north, east: (to.lon - from.lon) * m.east };
}

/** The point `north`/`east` metres from `origin`. */
export function movedBy(origin: LatLon, north: number, east: number): LatLon {
  const m = metresPerDegree(origin.lat);
  return { lat: origin.lat + north / m.north, lon: origin.lon + east / m.east };
}

/** Compass bearing in degrees 0..360 of a north/east vector. */
export function bearingDeg(north: number, east: number): number {
  const b = Math.atan2(east, north) / DEG;
  return b < 0 ? b + 360 : b;
}
