import { simplify } from "@turf/simplify";
import type { TrackSample } from "./samples";

/** GET /api/flights/:id/track: a GeoJSON Feature (RFC 7946) with the track as a LineString. */
export interface FlightTrack {
  type: "Feature";
  properties: {
    flightId: number;
    toleranceM: number;
    /** Positions read from the record, and kept after simplification. */
    originalPoints: number;
    points: number;
    /** Time (ms since the epoch) of each kept position, in the order of the coordinates. */
    times: number[];
  };
  /** [lon, lat, altitude above mean sea level in metres]; null with fewer than two positions (no line). */
  geometry: { type: "LineString"; coordinates: [number, number, number][] } | null;
}

/** Metres per degree of latitude (mean Earth radius); good to a fraction of a percent for a tolerance. */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/**
 * Simplifies in metres, not degrees: the positions are projected onto a plane (equirectangular around the first
 * one, exact enough across a flight's few kilometres), so the tolerance means the same east-west as north-south.
 * A degree tolerance would allow 1/cos(latitude) times more error across than along a meridian.
 */
function simplifiedIndexes(samples: TrackSample[], toleranceM: number): number[] {
  const all = samples.map((_, i) => i);
  if (samples.length < 3 || toleranceM <= 0) return all;
  const origin = samples[0]!;
  const kx = Math.cos((origin.lat * Math.PI) / 180) * M_PER_DEG;
  // The index rides along as a third coordinate: simplify works in 2-D and keeps the points it returns.
  const coordinates = samples.map((s, i) => [(s.lon - origin.lon) * kx, (s.lat - origin.lat) * M_PER_DEG, i]);
  const line = simplify({ type: "LineString", coordinates }, { tolerance: toleranceM, highQuality: true, mutate: true });
  return line.coordinates.map((c) => c[2]!);
}

/** The track of a flight, simplified so that no dropped position lay further than `toleranceM` from the line. */
export async function flightTrack(samples: AsyncIterable<TrackSample>, flightId: number, toleranceM: number): Promise<FlightTrack> {
  const all: TrackSample[] = [];
  for await (const s of samples) all.push(s);
  const kept = simplifiedIndexes(all, toleranceM).map((i) => all[i]!);
  return {
    type: "Feature",
    properties: { flightId, toleranceM, originalPoints: all.length, points: kept.length, times: kept.map((s) => s.time) },
    geometry: kept.length >= 2
      ? { type: "LineString", coordinates: kept.map((s) => [s.lon, s.lat, s.altAmsl]) }
      : null,
  };
}
