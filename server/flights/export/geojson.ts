import type { FlightSummary } from "../../protocol";
import { flightProperties } from "./describe";
import type { TrackSample } from "./samples";
import { EndPoints } from "./samples";
import { isoTime } from "./text";

const round = (v: number, digits: number) => Number(v.toFixed(digits));
/** RFC 7946 positions: longitude, latitude, altitude (metres above mean sea level, as the vehicle reports it). */
const coordinates = (s: TrackSample) => [round(s.lon, 7), round(s.lat, 7), round(s.altAmsl, 3)];
const position = (s: TrackSample) => JSON.stringify(coordinates(s));

function pointFeature(role: "takeoff" | "landing", flightId: number, s: TrackSample): string {
  return JSON.stringify({
    type: "Feature",
    properties: { flightId, role, time: isoTime(s.time) },
    geometry: { type: "Point", coordinates: coordinates(s) },
  });
}

/**
 * A FeatureCollection: the track as a LineString feature carrying the flight's properties, then take-off and
 * landing points. Written piece by piece; a LineString needs two positions (RFC 7946), so with fewer the track
 * feature has a null geometry, decided once a second position is read.
 */
export async function* geojson(samples: AsyncIterable<TrackSample>, flight: FlightSummary): AsyncGenerator<string> {
  const head = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":${JSON.stringify({ ...flightProperties(flight), role: "track" })},"geometry":`;
  yield head;
  const ends = new EndPoints();
  let first: TrackSample | null = null;
  let open = false;
  for await (const s of samples) {
    ends.add(s);
    if (open) {
      yield `,\n${position(s)}`;
    } else if (first === null) {
      first = s;
    } else {
      open = true;
      yield `{"type":"LineString","coordinates":[\n${position(first)},\n${position(s)}`;
    }
  }
  yield open ? "]}}" : "null}";
  if (ends.takeoff) yield `,\n${pointFeature("takeoff", flight.id, ends.takeoff)}`;
  if (ends.landing) yield `,\n${pointFeature("landing", flight.id, ends.landing)}`;
  yield "]}\n";
}
