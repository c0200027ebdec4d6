import { simplifiedIndexes } from "../../vehicles";
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

/** The track of a flight, simplified so that no dropped position lay further than `toleranceM` from the line. */
export async function flightTrack(samples: AsyncIterable<TrackSample>, flightId: number, toleranceM: number): Promise<FlightTrack> {
  const all: TrackSample[] = [];
  for await (const s of samples) all.push(s);
  const kept = simplifiedIndexes(all.length, (i) => all[i]!.lat, (i) => all[i]!.lon, toleranceM).map((i) => all[i]!);
  return {
    type: "Feature",
    properties: { flightId, toleranceM, originalPoints: all.length, points: kept.length, times: kept.map((s) => s.time) },
    geometry: kept.length >= 2
      ? { type: "LineString", coordinates: kept.map((s) => [s.lon, s.lat, s.altAmsl]) }
      : null,
  };
}
