import { exportUrl } from "./api";

const FORMATS = [
  { format: "tlog", label: ".tlog", title: "The original recording, byte for byte (QGroundControl, Mission Planner, pymavlink)" },
  { format: "kml", label: "KML", title: "Google Earth" },
  { format: "gpx", label: "GPX", title: "GPS tools" },
  { format: "csv", label: "CSV", title: "One row per sample" },
  { format: "geojson", label: "GeoJSON", title: "The track for GIS tools" },
  { format: "messages", label: "Messages", title: "Every message the vehicle sent during the flight, with its severity (CSV)" },
] as const;

/** Plain download links: the browser sends the session cookie and streams the file to disk itself. */
export function ExportLinks({ flightId }: { flightId: number }) {
  return (
    <nav className="flights__exports" aria-label="Export">
      <span className="flights__label">Export</span>
      {FORMATS.map(({ format, label, title }) => (
        <a key={format} className="btn btn--small" href={exportUrl(flightId, format)} download title={title}
          aria-label={`Export ${label}`} data-testid={`flight-export-${format}`}>
          {label}
        </a>
      ))}
    </nav>
  );
}
