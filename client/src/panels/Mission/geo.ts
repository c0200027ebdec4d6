import turfDistance from "@turf/distance";
import type { LatLon } from "../../../../server/protocol";

/** Great-circle (haversine) distance in metres. */
export function distanceM(a: LatLon, b: LatLon): number {
  return turfDistance([a.lon, a.lat], [b.lon, b.lat], { units: "meters" });
}

export function midpoint(a: LatLon, b: LatLon): LatLon {
  // Plain average: the legs of a drone mission are at most a few km, where the error is centimetres.
  return { lat: (a.lat + b.lat) / 2, lon: (a.lon + b.lon) / 2 };
}

/** Point in polygon by ray casting on lat/lon (planar is exact enough at mission scale; fences never span a pole). */
export function insidePolygon(p: LatLon, polygon: readonly LatLon[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (!a || !b) continue;
    if (a.lat > p.lat !== b.lat > p.lat && p.lon < ((b.lon - a.lon) * (p.lat - a.lat)) / (b.lat - a.lat) + a.lon) inside = !inside;
  }
  return inside;
}

/** Rounds to 1e-7 degree (about 1 cm): what MISSION_ITEM_INT stores, so a point reads back exactly as placed. */
export function roundLatLon(p: LatLon): LatLon {
  return { lat: Math.round(p.lat * 1e7) / 1e7, lon: Math.round(p.lon * 1e7) / 1e7 };
}
