import type { FlightSummary } from "../../protocol";
import { flightDescription, flightTitle } from "./describe";
import type { TrackSample } from "./samples";
import { decimal, escapeXml, isoTime } from "./text";

export const GPX_NAMESPACE = "http://www.topografix.com/GPX/1/1";

/**
 * GPX 1.1: one track with one segment, a point per position (ele in metres above mean sea level, as the
 * vehicle reports it). Take-off and landing are not written as waypoints: GPX puts <wpt> before <trk>, and
 * the landing is only known at the end of a streamed file.
 */
export async function* gpx(samples: AsyncIterable<TrackSample>, flight: FlightSummary): AsyncGenerator<string> {
  const title = escapeXml(flightTitle(flight));
  yield `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="drone-mission-control" xmlns="${GPX_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${GPX_NAMESPACE} ${GPX_NAMESPACE}/gpx.xsd">
  <metadata>
    <name>${title}</name>
    <desc>${escapeXml(flightDescription(flight))}</desc>
    <time>${isoTime(flight.startedAt)}</time>
  </metadata>
  <trk>
    <name>${title}</name>
    <src>${escapeXml(`MAVLink telemetry log, vehicle ${flight.vehicle.key}`)}</src>
    <type>${escapeXml(flight.vehicle.type)}</type>
    <trkseg>
`;
  for await (const s of samples) {
    yield `      <trkpt lat="${decimal(s.lat, 7)}" lon="${decimal(s.lon, 7)}"><ele>${decimal(s.altAmsl, 3)}</ele><time>${isoTime(s.time)}</time></trkpt>\n`;
  }
  yield `    </trkseg>
  </trk>
</gpx>
`;
}
