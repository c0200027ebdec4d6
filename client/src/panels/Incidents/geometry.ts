import type { IncidentLocation, LatLon } from "../../../../server/protocol";

/**
 * Where an incident's label goes: the point itself, or the middle of the area's corners (an average, not a true
 * centroid: enough for a label over a drawn area, and never outside a convex one).
 */
export function labelPosition(l: IncidentLocation): [number, number] {
  if (l.kind === "point") return [l.lat, l.lon];
  const n = l.points.length || 1;
  const lat = l.points.reduce((s, p) => s + p.lat, 0) / n;
  const lon = l.points.reduce((s, p) => s + p.lon, 0) / n;
  return [lat, lon];
}

/** The bounds to show a place on a map, [[south, west], [north, east]]; a point's circle included. */
export function locationBounds(l: IncidentLocation): [[number, number], [number, number]] {
  if (l.kind === "point") {
    const dLat = l.radiusM / 111_320;
    const dLon = l.radiusM / (111_320 * Math.max(0.01, Math.cos((l.lat * Math.PI) / 180)));
    return [[l.lat - dLat, l.lon - dLon], [l.lat + dLat, l.lon + dLon]];
  }
  const lats = l.points.map((p: LatLon) => p.lat);
  const lons = l.points.map((p: LatLon) => p.lon);
  return [[Math.min(...lats), Math.min(...lons)], [Math.max(...lats), Math.max(...lons)]];
}
