import type { FlightSummary } from "../../../../server/protocol";
import { Badge } from "../../components";
import { formatAltitude, formatDistance } from "../../format";
import { flightStatus, formatArmedTime, formatBytes, formatFlightSpan, formatFlightVehicle, formatPilot, integrityBadge } from "./format";
import { HashText } from "./HashText";

interface RowProps {
  flight: FlightSummary;
  selected: boolean;
  onSelect: (id: number) => void;
  /** Ticked for a replay of several flights; absent: no tick boxes. */
  picked?: boolean;
  onPick?: (id: number, on: boolean) => void;
}

function FlightRow({ flight, selected, onSelect, picked, onPick }: RowProps) {
  const status = flightStatus(flight.status);
  const badge = integrityBadge(flight.integrity);
  return (
    <tr className={selected ? "flights__row flights__row--selected" : "flights__row"}
      data-testid={`flight-row-${flight.id}`} onClick={() => onSelect(flight.id)}>
      {onPick && (
        <td onClick={(e) => e.stopPropagation()}>
          <input type="checkbox" aria-label={`Pick flight ${flight.id} for replay`} data-testid={`flight-pick-${flight.id}`}
            checked={picked ?? false} onChange={(e) => onPick(flight.id, e.target.checked)} />
        </td>
      )}
      <td>
        <button type="button" className="flights__pick" aria-label={`Show flight ${flight.id}`} aria-pressed={selected}
          onClick={(e) => { e.stopPropagation(); onSelect(flight.id); }}>
          {formatFlightVehicle(flight.vehicle)}
        </button>
      </td>
      <td className="flights__when">{formatFlightSpan(flight.startedAt, flight.endedAt)}</td>
      <td className="num">{formatArmedTime(flight)}</td>
      <td className="num">{formatDistance(flight.distanceM)}</td>
      <td className="num">{formatAltitude(flight.maxAltRelM, 0)}</td>
      <td className="num">{formatDistance(flight.maxDistHomeM)}</td>
      <td title={formatPilot(flight).title}>{formatPilot(flight).text}</td>
      <td>
        <span className="flights__status">
          <Badge tone={status.tone}>{status.label}</Badge>
          {badge && <span data-testid={`flight-integrity-${flight.id}`}><Badge tone={badge.tone} title={badge.title}>{badge.label}</Badge></span>}
        </span>
      </td>
      <td className="num">{formatBytes(flight.sizeBytes)}</td>
      <td><HashText sha256={flight.sha256} flightId={flight.id} /></td>
    </tr>
  );
}

/** Newest first. The server pages in that order too; sorting the page again costs nothing and guards the promise. */
export interface FlightTableProps {
  flights: readonly FlightSummary[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  picked?: ReadonlySet<number>;
  onPick?: (id: number, on: boolean) => void;
}

export function FlightTable({ flights, selectedId, onSelect, picked, onPick }: FlightTableProps) {
  const sorted = [...flights].sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);
  return (
    <table className="flights__table" aria-label="Flights">
      <thead>
        <tr>
          {onPick && <th scope="col" aria-label="Pick for replay" />}
          <th scope="col">Vehicle</th>
          <th scope="col">Recorded (local time)</th>
          <th scope="col">Armed</th>
          <th scope="col">Distance</th>
          <th scope="col">Max alt.</th>
          <th scope="col">Max from home</th>
          <th scope="col">Pilot</th>
          <th scope="col">Status</th>
          <th scope="col">Size</th>
          <th scope="col">SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((f) => <FlightRow key={f.id} flight={f} selected={f.id === selectedId} onSelect={onSelect}
          picked={picked?.has(f.id)} onPick={onPick} />)}
      </tbody>
    </table>
  );
}
