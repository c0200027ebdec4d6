import type { IncidentSuggestions } from "../../../../server/protocol";
import { formatMetres, formatUtc } from "./format";
import { replayHref } from "./LinksSection";
import { ReasonButton } from "./ReasonButton";

export interface SuggestionsSectionProps {
  suggestions: IncidentSuggestions | null;
  error: string | null;
  hasPlace: boolean;
  onLink: ((flightId: number, reason: string) => Promise<void>) | null;
}

/** Flights whose track passes within the incident's place and time, not linked yet, closest first. */
export function SuggestionsSection({ suggestions, error, hasPlace, onLink }: SuggestionsSectionProps) {
  return (
    <section className="incident-section" aria-label="Suggested flights">
      <h4>Suggested flights</h4>
      {!hasPlace && <p className="empty">Draw the incident's place to get flights that passed by.</p>}
      {error && <p className="tone--caution" role="status">{`No suggestions: ${error}`}</p>}
      {suggestions && suggestions.suggestions.length === 0 && hasPlace && (
        <p className="empty">No unlinked flight passed within this place during this time.</p>
      )}
      {suggestions && suggestions.suggestions.length > 0 && (
        <table className="incident-suggestions" data-testid="incident-suggestions">
          <thead><tr><th>Flight</th><th>Vehicle</th><th>Time (UTC)</th><th>Nearest</th><th /></tr></thead>
          <tbody>
            {suggestions.suggestions.map((s) => (
              <tr key={s.flightId} data-testid={`incident-suggestion-${s.flightId}`}>
                <td>{s.flightId}</td>
                <td>{s.vehicle}</td>
                <td>{`${formatUtc(s.startedAt)} – ${s.endedAt === null ? "recording" : formatUtc(s.endedAt).slice(11)}`}</td>
                <td title={`at ${formatUtc(s.nearestAt)}`}>{s.nearestM === 0 ? "inside" : formatMetres(s.nearestM)}</td>
                <td className="incident-suggestions__actions">
                  <a className="btn btn--small btn--quiet" href={replayHref([s.flightId])}>Replay</a>
                  {onLink && <ReasonButton label="Link" testId={`incident-suggestion-link-${s.flightId}`} onConfirm={(r) => onLink(s.flightId, r)} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {suggestions && suggestions.unreadable.length > 0 && (
        <p className="tone--danger" role="status" data-testid="incident-suggestions-unreadable">
          {`Flights in this window whose file could not be read (missing or altered): ${suggestions.unreadable.join(", ")}`}
        </p>
      )}
    </section>
  );
}
