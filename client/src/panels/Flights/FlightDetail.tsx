import type { FlightMessagesResponse, FlightSummary } from "../../../../server/protocol";
import { useState } from "react";
import { describeApiError } from "../../access";
import { Badge, Metric, type Tone } from "../../components";
import { formatAltitude, formatCoordinates, formatDistance } from "../../format";
import { FlightIncidents } from "../Incidents";
import { ExportLinks } from "./ExportLinks";
import { FlightMessages } from "./FlightMessages";
import { FlightNotes } from "./FlightNotes";
import {
  flightStatus, formatArmedTime, formatBytes, formatPackets, formatFlightSpan, formatFlightVehicle, formatInterruption, formatPilot, importedHashText, integrityBadge, integrityText,
} from "./format";
import { HashText } from "./HashText";
import { FlightReplayLinks } from "./ReplayLinks";

export interface FlightDetailProps {
  flight: FlightSummary;
  loading: boolean;
  error: string | null;
  trackError: string | null;
  /** The vehicle's messages (null: not loaded yet) and why they could not be loaded. */
  messages?: FlightMessagesResponse | null;
  messagesError?: string | null;
  /** Null: this user may not add notes (reviewers only). */
  onAddNote: ((text: string) => Promise<void>) | null;
  /** Reads the file in full and compares it with its seal now; null: not offered. */
  onVerify?: (() => Promise<void>) | null;
  /** Asks for the incidents the flight is linked to; none given: that list is not shown. */
  fetchFn?: typeof fetch;
}

function IntegrityLine({ text, tone, onVerify }: { text: string; tone: Tone; onVerify: (() => Promise<void>) | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const verify = async () => {
    if (!onVerify) return;
    setBusy(true);
    setError(null);
    try {
      await onVerify();
    } catch (err) {
      setError(describeApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flights__integrity">
      <span className={`tone--${tone}`} data-testid="flight-integrity">{text}</span>
      {onVerify && (
        <button type="button" className="btn btn--small" disabled={busy} onClick={() => void verify()}>
          {busy ? "Checking…" : "Check file now"}
        </button>
      )}
      {error && <span className="tone--danger" role="alert">{`The file was not checked: ${error}`}</span>}
    </div>
  );
}

/** Stats, hash, exports and notes of the selected flight (its track is on the preview map above). */
export function FlightDetail({
  flight, loading, error, trackError, onAddNote, onVerify = null, messages = null, messagesError = null, fetchFn,
}: FlightDetailProps) {
  const status = flightStatus(flight.status);
  const badge = integrityBadge(flight.integrity);
  const check = integrityText(flight.integrity, flight.sha256 !== null);
  const interruption = formatInterruption(flight);
  const { actualSha256, actualSizeBytes } = flight.integrity;
  const takeoff = formatCoordinates(flight.takeoff?.lat, flight.takeoff?.lon);
  const landing = formatCoordinates(flight.landing?.lat, flight.landing?.lon);
  const pilot = formatPilot(flight);
  const importedHash = importedHashText(flight);
  return (
    <section className="flights__detail" aria-label={`Flight ${flight.id}`} aria-busy={loading} data-testid="flight-detail">
      <header className="flights__detail-head">
        <h3>{`Flight ${flight.id} · ${formatFlightVehicle(flight.vehicle)}`}</h3>
        <Badge tone={status.tone}>{status.label}</Badge>
        {badge && <span data-testid="flight-detail-integrity-badge"><Badge tone={badge.tone} title={badge.title}>{badge.label}</Badge></span>}
      </header>
      {flight.status !== "recording" && <FlightReplayLinks flightId={flight.id} />}
      {interruption && <p className="tone--caution" data-testid="flight-interruption">{interruption}</p>}
      {error && <p className="tone--danger" role="alert">{`This flight could not be loaded: ${error}`}</p>}
      {trackError && <p className="tone--caution" role="status">{`No track to show: ${trackError}`}</p>}
      <div className="flights__stats">
        <Metric label="Recorded" wide>{formatFlightSpan(flight.startedAt, flight.endedAt)}</Metric>
        <Metric label="Armed">{formatArmedTime(flight)}</Metric>
        <Metric label="Distance">{formatDistance(flight.distanceM)}</Metric>
        <Metric label="Max altitude">{formatAltitude(flight.maxAltRelM, 0)}</Metric>
        <Metric label="Max from home">{formatDistance(flight.maxDistHomeM)}</Metric>
        <Metric label="Pilot" title={pilot.title}>{pilot.text}</Metric>
        <Metric label="Packets" title="Received from the vehicle / sent to it">{formatPackets(flight)}</Metric>
        <Metric label="Take-off" title={takeoff}>{takeoff}</Metric>
        <Metric label="Landing" title={landing}>{landing}</Metric>
        <Metric label="Source" wide>{flight.source}{flight.previousId !== null ? ` (continues flight ${flight.previousId})` : ""}</Metric>
        <Metric label="Size">{formatBytes(flight.sizeBytes)}</Metric>
        <Metric label="SHA-256" wide><HashText sha256={flight.sha256} flightId={flight.id} full /></Metric>
        {actualSizeBytes !== null && (
          <Metric label="Size now" tone={actualSizeBytes !== flight.sizeBytes ? "danger" : "neutral"}>{formatBytes(actualSizeBytes)}</Metric>
        )}
        {actualSha256 !== null && (
          <Metric label="SHA-256 now" wide tone="danger"><HashText sha256={actualSha256} flightId={flight.id} full testId="flight-detail-actual-sha256"
            copyLabel="Copy the SHA-256 the file has now" /></Metric>
        )}
      </div>
      {importedHash && <p className="flights__hash-note" data-testid="flight-imported-hash">{importedHash}</p>}
      <IntegrityLine text={check.text} tone={check.tone} onVerify={flight.sha256 !== null ? onVerify : null} />
      {flight.status === "recording" && <p className="empty">Still recording: size and hash are set when the flight closes.</p>}
      {fetchFn && <FlightIncidents flightId={flight.id} fetchFn={fetchFn} />}
      <ExportLinks flightId={flight.id} />
      <FlightMessages messages={messages} error={messagesError} />
      <FlightNotes notes={flight.notes} onAdd={onAddNote} />
    </section>
  );
}
