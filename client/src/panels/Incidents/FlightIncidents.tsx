import { useEffect, useMemo, useState } from "react";
import { describeApiError } from "../../access";
import { custodyReportUrl } from "../Custody";
import { createIncidentsApi, type FlightIncidentsResponse } from "./api";
import { formatUtc } from "./format";

export const incidentHref = (id: number) => `/incidents?id=${id}`;

/**
 * The incidents a flight is (or was) linked to, on the flight's detail: who linked it, when and why; and its custody
 * report (shown to those who may read incidents: the same reviewers and admins may read custody).
 */
export function FlightIncidents({ flightId, fetchFn }: { flightId: number; fetchFn: typeof fetch }) {
  const api = useMemo(() => createIncidentsApi(fetchFn), [fetchFn]);
  const [answer, setAnswer] = useState<{ flightId: number; data: FlightIncidentsResponse | null; error: string | null } | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    api.ofFlight(flightId, abort.signal).then(
      (data) => { if (!abort.signal.aborted) setAnswer({ flightId, data, error: null }); },
      (err: unknown) => { if (!abort.signal.aborted) setAnswer({ flightId, data: null, error: describeApiError(err) }); },
    );
    return () => abort.abort();
  }, [api, flightId]);
  const current = answer?.flightId === flightId ? answer : null;
  const items = current?.data?.incidents ?? [];
  return (
    <section className="flights__incidents" aria-label="Incidents" data-testid="flight-incidents">
      <h4>
        Incidents
        {current?.data && (
          <a className="btn btn--small flight-incidents__custody" href={custodyReportUrl("flight", flightId)} target="_blank" rel="noopener"
            data-testid="flight-custody-report">Custody report</a>
        )}
      </h4>
      {current?.error && <p className="tone--caution" role="status">{`Incidents could not be loaded: ${current.error}`}</p>}
      {current?.data && items.length === 0 && <p className="empty">Not linked to any incident.</p>}
      {items.length > 0 && (
        <ul className="flight-incidents">
          {items.map(({ link, incident }) => {
            const ended = link.unlinkedAt !== null;
            const name = `${incident.reference} · ${incident.title}`;
            return (
              <li key={link.id} data-testid={`flight-incident-${incident.id}`} className={ended ? "incident-link--ended" : undefined}>
                <a href={incidentHref(incident.id)}>{ended ? <s>{name}</s> : name}</a>
                {incident.status === "closed" && <span className="muted"> (closed)</span>}
                <span className="muted">{` — linked by ${link.linkedBy}, ${formatUtc(link.linkedAt)}: ${link.reason}`}</span>
                {ended && <span className="tone--caution">{` — unlinked by ${link.unlinkedBy ?? "?"}: ${link.unlinkReason ?? ""}`}</span>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
