import type { FlightPlace } from "../../../../server/protocol";
import type { Bbox } from "./query";

/** A map view's edges in degrees, as Leaflet's LatLngBounds gives them (longitudes may run past ±180). */
export interface ViewEdges {
  west: number;
  south: number;
  east: number;
  north: number;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/**
 * minLon,minLat,maxLon,maxLat for the server. A view that wraps the world or crosses the antimeridian asks for
 * every longitude: too many flights is better than a flight missing from an evidence search. Rounded to ~10 cm so
 * a sub-pixel move does not make a new query.
 */
export function bboxFromView(v: ViewEdges): Bbox | null {
  if (![v.west, v.south, v.east, v.north].every(Number.isFinite)) return null;
  const south = clamp(Math.min(v.south, v.north), -90, 90);
  const north = clamp(Math.max(v.south, v.north), -90, 90);
  const span = v.east - v.west;
  if (span >= 360 || span < 0) return [-180, round6(south), 180, round6(north)];
  const west = ((((v.west + 180) % 360) + 360) % 360) - 180;
  const east = west + span;
  if (east > 180) return [-180, round6(south), 180, round6(north)];
  return [round6(west), round6(south), round6(east), round6(north)];
}

/** One polyline of the track, as [lat, lon] pairs (Leaflet's order). */
export type TrackLine = [number, number][];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null;
}

function lineOf(coords: unknown): TrackLine {
  if (!Array.isArray(coords)) return [];
  const line: TrackLine = [];
  for (const c of coords) {
    if (!Array.isArray(c)) continue;
    const [lon, lat] = c as unknown[];
    if (typeof lat === "number" && typeof lon === "number" && Number.isFinite(lat) && Number.isFinite(lon)) line.push([lat, lon]);
  }
  return line;
}

function linesOfGeometry(g: unknown): TrackLine[] {
  if (!isRecord(g)) return [];
  switch (g.type) {
    case "LineString":
      return [lineOf(g.coordinates)];
    case "MultiLineString":
      return Array.isArray(g.coordinates) ? g.coordinates.map(lineOf) : [];
    case "GeometryCollection":
      return Array.isArray(g.geometries) ? g.geometries.flatMap(linesOfGeometry) : [];
    default:
      return [];
  }
}

/**
 * The track's lines from GET /api/flights/:id/track: a Feature, a FeatureCollection or a bare geometry, with
 * LineString (or MultiLineString) coordinates as GeoJSON orders them, [lon, lat(, alt)]. Anything else is no track.
 */
export function trackLines(geojson: unknown): TrackLine[] {
  if (!isRecord(geojson)) return [];
  let lines: TrackLine[];
  if (geojson.type === "FeatureCollection") {
    lines = Array.isArray(geojson.features) ? geojson.features.flatMap((f) => (isRecord(f) ? linesOfGeometry(f.geometry) : [])) : [];
  } else if (geojson.type === "Feature") {
    lines = linesOfGeometry(geojson.geometry);
  } else {
    lines = linesOfGeometry(geojson);
  }
  return lines.filter((l) => l.length > 0);
}

export type LatLonBounds = [[number, number], [number, number]];

/** Box around the lines and the given places, null when there is nothing to show. */
export function trackBounds(lines: readonly TrackLine[], places: readonly (FlightPlace | null)[] = []): LatLonBounds | null {
  let minLat = Infinity;
  let minLon = Infinity;
  let maxLat = -Infinity;
  let maxLon = -Infinity;
  const add = (lat: number, lon: number) => {
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
  };
  for (const line of lines) for (const [lat, lon] of line) add(lat, lon);
  for (const p of places) if (p && Number.isFinite(p.lat) && Number.isFinite(p.lon)) add(p.lat, p.lon);
  return minLat === Infinity ? null : [[minLat, minLon], [maxLat, maxLon]];
}

/** Take-off and landing places: the catalogue's, else the first and last point of the track. */
export function trackEnds(
  lines: readonly TrackLine[],
  takeoff: FlightPlace | null,
  landing: FlightPlace | null,
): { takeoff: FlightPlace | null; landing: FlightPlace | null } {
  const first = lines[0]?.[0];
  const lastLine = lines[lines.length - 1];
  const last = lastLine?.[lastLine.length - 1];
  return {
    takeoff: takeoff ?? (first ? { lat: first[0], lon: first[1] } : null),
    landing: landing ?? (last ? { lat: last[0], lon: last[1] } : null),
  };
}
