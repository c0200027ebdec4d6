/** Mean Earth radius (IUGG), metres: the same sphere the server's trail code uses. */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

export interface LatLon {
  lat: number;
  lon: number;
}

function finite(p: LatLon | null | undefined): p is LatLon {
  return p !== null && p !== undefined && Number.isFinite(p.lat) && Number.isFinite(p.lon);
}

/** Great-circle distance in metres (haversine): exact enough from a few metres to hundreds of kilometres. */
export function haversineM(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial great-circle bearing from `from` to `to`, degrees clockwise from true north, 0..360. */
export function bearingDeg(from: LatLon, to: LatLon): number {
  const lat1 = from.lat * RAD;
  const lat2 = to.lat * RAD;
  const dLon = (to.lon - from.lon) * RAD;
  const y = Math.sin(dLon) * Math.cos(lat2);
  const x = Math.cos(lat1) * Math.sin(lat2) - Math.sin(lat1) * Math.cos(lat2) * Math.cos(dLon);
  return ((Math.atan2(y, x) / RAD) % 360 + 360) % 360;
}

/** Ground distance from the vehicle to home; null (shown as a dash) when either is unknown. */
export function distanceToHomeM(position: LatLon | null | undefined, home: LatLon | null | undefined): number | null {
  return finite(position) && finite(home) ? haversineM(position, home) : null;
}

/** Bearing from the vehicle to home; null when either is unknown or they coincide (no direction). */
export function bearingToHomeDeg(position: LatLon | null | undefined, home: LatLon | null | undefined): number | null {
  if (!finite(position) || !finite(home)) return null;
  if (position.lat === home.lat && position.lon === home.lon) return null;
  return bearingDeg(position, home);
}
