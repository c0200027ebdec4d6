import { useEffect, useState } from "react";
import type { CustodyLog } from "../../../../server/protocol";
import type { CustodyApi, CustodyKind } from "./api";
import { custodyCsvUrl, custodyReportUrl } from "./api";
import { describeAction, describeDetail, describeTarget, entryTime } from "./format";

const SHOWN = 8;

/**
 * The latest custody entries of an incident, flight or footage file, with the whole log as CSV and as a printable
 * report. `version` changes when the page's item changed (a link, an edit) so the log is read again.
 */
export function CustodySection({ api, kind, id, version = "" }: { api: CustodyApi; kind: CustodyKind; id: number; version?: string }) {
  const [log, setLog] = useState<CustodyLog | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Others act on the same evidence meanwhile (views, downloads, links): the log can be read again at any time.
  const [reads, setReads] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    api.log(kind, id, { signal: ac.signal }).then((l) => { setLog(l); setError(null); }, (err: unknown) => {
      if (!ac.signal.aborted) setError(err instanceof Error ? err.message : String(err));
    });
    return () => ac.abort();
  }, [api, kind, id, version, reads]);

  const latest = log ? log.entries.slice(-SHOWN).reverse() : [];
  return (
    <section className="incident-section custody" data-testid="custody-section" aria-label="Chain of custody">
      <header className="incident-section__head">
        <h4>Chain of custody</h4>
        <span className="muted" data-testid="custody-count">{log ? `${log.entries.length} entries${log.truncated ? " (cut: the bundle holds all)" : ""}` : ""}</span>
        <span className="topbar__spacer" />
        <button type="button" className="btn btn--small btn--quiet" onClick={() => setReads((n) => n + 1)} data-testid="custody-refresh">Refresh</button>
        <a className="btn btn--small" href={custodyCsvUrl(kind, id)} download data-testid="custody-csv">CSV</a>
        <a className="btn btn--small" href={custodyReportUrl(kind, id)} target="_blank" rel="noopener" data-testid="custody-report">Printable report</a>
      </header>
      {error && <p className="tone--danger" role="alert">{`The custody log could not be read: ${error}`}</p>}
      {!log && !error && <p className="empty" role="status">Loading…</p>}
      {log && (
        <table className="custody__table" data-testid="custody-latest">
          <thead><tr><th>UTC</th><th>Who</th><th>What</th><th>On</th><th>Detail</th></tr></thead>
          <tbody>
            {latest.map((e) => (
              <tr key={e.id} data-testid={`custody-entry-${e.id}`}>
                <td>{entryTime(e)}</td>
                <td>{e.actor || "—"}</td>
                <td>{describeAction(e.action)}{e.result !== "ok" ? ` (${e.result})` : ""}</td>
                <td>{describeTarget(e.target)}</td>
                <td className="custody__detail">{describeDetail(e.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log && log.entries.length > SHOWN && <p className="muted">{`The ${SHOWN} latest of ${log.entries.length}: the report and the CSV hold them all.`}</p>}
    </section>
  );
}
