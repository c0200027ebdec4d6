import type { FlightSummary } from "../../protocol";
import { flightDescription, flightTitle } from "./describe";
import type { TrackSample } from "./samples";
import { EndPoints } from "./samples";
import { decimal, escapeXml, isoTime } from "./text";

export const KML_NAMESPACE = "http://www.opengis.net/kml/2.2";

const coordinate = (s: TrackSample) => `${decimal(s.lon, 7)},${decimal(s.lat, 7)},${decimal(s.altAmsl, 3)}\n`;

function pointPlacemark(name: string, style: string, s: TrackSample): string {
  return `    <Placemark>
      <name>${name}</name>
      <description>${isoTime(s.time)}</description>
      <TimeStamp><when>${isoTime(s.time)}</when></TimeStamp>
      <styleUrl>#${style}</styleUrl>
      <Point><altitudeMode>absolute</altitudeMode><coordinates>${coordinate(s).trim()}</coordinates></Point>
    </Placemark>
`;
}

/**
 * OGC KML 2.2: the track as a LineString at absolute altitude (metres above sea level, as the vehicle reports
 * it) and a placemark at take-off and at landing. A line needs two points: the track placemark is only opened
 * once a second position has been read.
 */
export async function* kml(samples: AsyncIterable<TrackSample>, flight: FlightSummary): AsyncGenerator<string> {
  const title = escapeXml(flightTitle(flight));
  yield `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="${KML_NAMESPACE}">
  <Document>
    <name>${title}</name>
    <description>${escapeXml(flightDescription(flight))}</description>
    <Style id="track"><LineStyle><color>ff0000ff</color><width>3</width></LineStyle></Style>
    <Style id="takeoff"><IconStyle><color>ff00ff00</color></IconStyle></Style>
    <Style id="landing"><IconStyle><color>ff0000ff</color></IconStyle></Style>
`;
  const ends = new EndPoints();
  let first: TrackSample | null = null;
  let open = false;
  for await (const s of samples) {
    ends.add(s);
    if (open) {
      yield coordinate(s);
      continue;
    }
    if (first === null) {
      first = s;
      continue;
    }
    open = true;
    yield `    <Placemark>
      <name>${title}</name>
      <TimeSpan><begin>${isoTime(first.time)}</begin>${flight.endedAt !== null ? `<end>${isoTime(flight.endedAt)}</end>` : ""}</TimeSpan>
      <styleUrl>#track</styleUrl>
      <LineString>
        <altitudeMode>absolute</altitudeMode>
        <coordinates>
${coordinate(first)}${coordinate(s)}`;
  }
  if (open) {
    yield `        </coordinates>
      </LineString>
    </Placemark>
`;
  }
  if (ends.takeoff) yield pointPlacemark("Take-off", "takeoff", ends.takeoff);
  if (ends.landing) yield pointPlacemark("Landing", "landing", ends.landing);
  yield `  </Document>
</kml>
`;
}
