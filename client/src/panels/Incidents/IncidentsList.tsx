import { useEffect, useState } from "react";
import type { IncidentsPage } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import { Badge } from "../../components";
import type { IncidentsApi, IncidentsQuery } from "./api";
import { formatUtc, INCIDENT_TYPE_LABELS } from "./format";

export const PAGE_SIZE = 50;

/** The text search waits for the typing to pause: one request per search, not per key. */
function useSettled<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (delayMs <= 0) return setSettled(value);
    const t = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(t);
  }, [value, delayMs]);
  return delayMs <= 0 ? value : settled;
}

export interface IncidentsListProps {
  api: IncidentsApi;
  onOpen: (id: number) => void;
  onNew: () => void;
  debounceMs?: number;
}

/** Incidents, most recently changed first, by status and text, a page at a time. */
export function IncidentsList({ api, onOpen, onNew, debounceMs = 300 }: IncidentsListProps) {
  const [status, setStatus] = useState<IncidentsQuery["status"]>("open");
  const [text, setText] = useState("");
  const q = useSettled(text, debounceMs);
  // A page number belongs to the filter it was chosen with: a new filter starts at the first page.
  const [paging, setPaging] = useState({ key: "", offset: 0 });
  const key = `${status}|${q}`;
  const offset = paging.key === key ? paging.offset : 0;
  const [page, setPage] = useState<IncidentsPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    api.list({ status, q, offset, limit: PAGE_SIZE }, abort.signal).then(
      (p) => { if (!abort.signal.aborted) { setPage(p); setError(null); } },
      (err: unknown) => { if (!abort.signal.aborted) setError(describeApiError(err)); },
    );
    return () => abort.abort();
  }, [api, status, q, offset]);

  const last = page ? page.offset + page.incidents.length : 0;
  return (
    <section className="incidents-list" aria-label="Incidents list">
      <div className="incidents-list__filters">
        <label>
          Status
          <select value={status} data-testid="incidents-status" onChange={(e) => setStatus(e.target.value as IncidentsQuery["status"])}>
            <option value="open">Open</option>
            <option value="closed">Closed</option>
            <option value="all">All</option>
          </select>
        </label>
        <input type="search" aria-label="Search incidents" placeholder="Reference, title, officer…" value={text} maxLength={100}
          data-testid="incidents-search" onChange={(e) => setText(e.target.value)} />
        <span className="topbar__spacer" />
        <button type="button" className="btn btn--primary" data-testid="incident-new" onClick={onNew}>New incident</button>
      </div>
      {error && <p className="tone--danger" role="alert">{`Incidents could not be loaded: ${error}`}</p>}
      {page && page.incidents.length === 0 && <p className="empty" role="status">{q || status !== "all" ? "No incidents match." : "No incidents yet."}</p>}
      {page && page.incidents.length > 0 && (
        <table className="incidents-table" aria-label="Incidents">
          <thead><tr><th>Reference</th><th>Title</th><th>Type</th><th>Status</th><th>Start (UTC)</th><th>Officer</th><th>Changed</th></tr></thead>
          <tbody>
            {page.incidents.map((i) => (
              <tr key={i.id} data-testid={`incident-row-${i.id}`}>
                <td><button type="button" className="link-button" onClick={() => onOpen(i.id)}>{i.reference}</button></td>
                <td>{i.title}</td>
                <td>{INCIDENT_TYPE_LABELS[i.type] ?? i.type}</td>
                <td><Badge tone={i.status === "open" ? "caution" : "neutral"}>{i.status === "open" ? "Open" : "Closed"}</Badge></td>
                <td>{formatUtc(i.start)}</td>
                <td>{i.officer}</td>
                <td title={`by ${i.updatedBy}`}>{formatUtc(i.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && page.total > 0 && (
        <nav className="incidents-pager" aria-label="Pages">
          <button type="button" className="btn btn--small" disabled={page.offset === 0}
            onClick={() => setPaging({ key, offset: Math.max(0, page.offset - PAGE_SIZE) })}>Newer</button>
          <span data-testid="incidents-range">{`${page.offset + 1}–${last} of ${page.total}`}</span>
          <button type="button" className="btn btn--small" disabled={last >= page.total}
            onClick={() => setPaging({ key, offset: page.offset + PAGE_SIZE })}>Older</button>
        </nav>
      )}
    </section>
  );
}
