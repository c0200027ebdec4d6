import type { FlightSummary } from "../../../../server/protocol";
import { Badge, Metric } from "../../components";
import { formatAltitude, formatCoordinates, formatDistance } from "../../format";
import { ExportLinks } from "./ExportLinks";
import { FlightNotes } from "./FlightNotes";
import { flightStatus, formatBytes, formatDurationS, formatFlightSpan, formatFlightVehicle } from "./format";
import { HashText } from "./HashText";

export interface FlightDetailProps {
  flight: FlightSummary;
  loading: boolean;
  error: string | null;
  trackError: string | null;
  /** Null: this user may not add notes (reviewers only). */
  onAddNote: ((text: string) => Promise<void>) | null;
}

/** Stats, hash, exports and notes of the selected flight (its track is on the preview map above). */
export function FlightDetail({ flight, loading, error, trackError, onAddNote }: FlightDetailProps) {
  const status = flightStatus(flight.status);
  const takeoff = formatCoordinates(flight.takeoff?.lat, flight.takeoff?.lon);
  const landing = formatCoordinates(flight.landing?.lat, flight.landing?.lon);
  return (
    <section className="flights__detail" aria-label={`Flight ${flight.id}`} aria-busy={loading} data-testid="flight-detail">
      <header className="flights__detail-head">
        <h3>{`Flight ${flight.id} · ${formatFlightVehicle(flight.vehicle)}`}</h3>
        <Badge tone={status.tone}>{status.label}</Badge>
      </header>
      {error && <p className="tone--danger" role="alert">{`This flight could not be loaded: ${error}`}</p>}
      {trackError && <p className="tone--caution" role="status">{`No track to show: ${trackError}`}</p>}
      <div className="flights__stats">
        <Metric label="Recorded" wide>{formatFlightSpan(flight.startedAt, flight.endedAt)}</Metric>
        <Metric label="Armed">{formatDurationS(flight.durationS)}</Metric>
        <Metric label="Distance">{formatDistance(flight.distanceM)}</Metric>
        <Metric label="Max altitude">{formatAltitude(flight.maxAltRelM, 0)}</Metric>
        <Metric label="Max from home">{formatDistance(flight.maxDistHomeM)}</Metric>
        <Metric label="Pilot">{flight.pilot ?? "—"}</Metric>
        <Metric label="Packets">{flight.packets.toLocaleString("en-GB")}</Metric>
        <Metric label="Take-off" title={takeoff}>{takeoff}</Metric>
        <Metric label="Landing" title={landing}>{landing}</Metric>
        <Metric label="Source" wide>{flight.source}{flight.previousId !== null ? ` (continues flight ${flight.previousId})` : ""}</Metric>
        <Metric label="Size">{formatBytes(flight.sizeBytes)}</Metric>
        <Metric label="SHA-256" wide><HashText sha256={flight.sha256} flightId={flight.id} full /></Metric>
      </div>
      {flight.status === "recording" && <p className="empty">Still recording: size and hash are set when the flight closes.</p>}
      <ExportLinks flightId={flight.id} />
      <FlightNotes notes={flight.notes} onAdd={onAddNote} />
    </section>
  );
}
