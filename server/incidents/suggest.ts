/**
 * Whether a flight's track passes within an incident's place during its window: a point with a radius (the track
 * within the radius of the point) or an area (the track inside the polygon). Reads the positions as they stream from
 * the .tlog; the answer is the nearest the track came and when.
 */
import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import { distance } from "@turf/distance";
import { point, polygon } from "@turf/helpers";
import type { IncidentLocation, LatLon } from "../protocol";

export interface TrackPosition {
  time: number;
  lat: number;
  lon: number;
}

export interface Passage {
  /** 0 inside an area; from the point's centre for a point. */
  nearestM: number;
  nearestAt: number;
}

/** The bounding box of a place, grown by `marginM`: [minLon, minLat, maxLon, maxLat] (the catalogue's bbox filter). */
export function placeBox(location: IncidentLocation, marginM = 0): [number, number, number, number] {
  const pts: LatLon[] = location.kind === "point" ? [{ lat: location.lat, lon: location.lon }] : location.points;
  const grow = (location.kind === "point" ? location.radiusM : 0) + marginM;
  const lats = pts.map((p) => p.lat);
  const lons = pts.map((p) => p.lon);
  const dLat = grow / 111_320;
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const dLon = grow / (111_320 * Math.max(0.01, Math.cos((midLat * Math.PI) / 180)));
  return [Math.min(...lons) - dLon, Math.min(...lats) - dLat, Math.max(...lons) + dLon, Math.max(...lats) + dLat];
}

/** The flight's passage through the place within [from, to], or null when it never came within it. */
export async function passageOf(track: AsyncIterable<TrackPosition>, location: IncidentLocation, from: number, to: number): Promise<Passage | null> {
  const area = location.kind === "area"
    ? polygon([[...location.points, location.points[0]!].map((p) => [p.lon, p.lat])])
    : null;
  const centre = location.kind === "point" ? point([location.lon, location.lat]) : null;
  let best: Passage | null = null;
  for await (const s of track) {
    if (s.time < from || s.time > to) continue;
    const here = point([s.lon, s.lat]);
    if (area) {
      if (booleanPointInPolygon(here, area)) return { nearestM: 0, nearestAt: s.time };
      continue;
    }
    const d = distance(centre!, here, { units: "meters" });
    if (location.kind === "point" && d <= location.radiusM && (best === null || d < best.nearestM)) best = { nearestM: d, nearestAt: s.time };
  }
  return best;
}
