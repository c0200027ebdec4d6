import { useEffect, useRef, useState } from "react";
import type { CustodyLog } from "../../../../server/protocol";
import type { CustodyApi, CustodyKind } from "./api";
import { custodyCsvUrl } from "./api";
import { describeAction, describeDetail, describeTarget, entryTime } from "./format";

type Load = { state: "loading" } | { state: "failed"; message: string } | { state: "ready"; log: CustodyLog };

const KIND_TITLE: Record<CustodyKind, string> = { incident: "incident", flight: "flight", footage: "footage file" };

function Items({ log }: { log: CustodyLog }) {
  if (log.subject.items.length === 0) return <p>No flight or footage has been linked.</p>;
  return (
    <table className="report-alerts" data-testid="custody-items">
      <thead><tr><th>Item</th><th>Description</th><th>SHA-256 (as sealed or stored)</th><th>Linked now</th></tr></thead>
      <tbody>
        {log.subject.items.map((i) => (
          <tr key={`${i.kind}:${i.id}`}>
            <td>{`${i.kind === "flight" ? "Flight" : "Footage"} ${i.id}`}</td>
            <td>{i.label}</td>
            <td className="report-hash">{i.sha256 ?? "not sealed yet"}</td>
            <td>{i.linked ? "yes" : "no (unlinked)"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Entries({ log }: { log: CustodyLog }) {
  return (
    <table className="report-alerts custody-report__entries" data-testid="custody-entries">
      <thead><tr><th>#</th><th>UTC</th><th>Who, from</th><th>What</th><th>On</th><th>Detail</th></tr></thead>
      <tbody>
        {log.entries.map((e) => (
          <tr key={e.id} data-testid={`custody-row-${e.id}`}>
            <td>{e.id}</td>
            <td>{entryTime(e)}</td>
            <td>{e.actor || "—"}{e.address && <span className="report-table__rule">{e.address}</span>}</td>
            <td>{describeAction(e.action)}{e.result !== "ok" && <span className="report-table__rule">{`result: ${e.result}`}</span>}</td>
            <td>{describeTarget(e.target)}</td>
            <td>{describeDetail(e.detail)}<span className="report-hash">{`hash ${e.hash}`}</span></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The custody log of an incident, flight or footage file as a printable A4 report. Printing is itself a custody
 * event: the Print button (and the browser's own print) reads the log again with print=1, which the server audits.
 */
export function CustodyReportPage({ api, kind, id }: { api: CustodyApi; kind: CustodyKind; id: number }) {
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [printError, setPrintError] = useState<string | null>(null);
  const printing = useRef(false);
  useEffect(() => {
    const ac = new AbortController();
    api.log(kind, id, { signal: ac.signal }).then((log) => setLoad({ state: "ready", log }), (err: unknown) => {
      if (!ac.signal.aborted) setLoad({ state: "failed", message: err instanceof Error ? err.message : String(err) });
    });
    return () => ac.abort();
  }, [api, kind, id]);
  useEffect(() => {
    const onBeforePrint = () => {
      if (!printing.current) void api.log(kind, id, { print: true }).catch(() => undefined);
    };
    window.addEventListener("beforeprint", onBeforePrint);
    return () => window.removeEventListener("beforeprint", onBeforePrint);
  }, [api, kind, id]);

  const printNow = async () => {
    setPrintError(null);
    try {
      printing.current = true;
      setLoad({ state: "ready", log: await api.log(kind, id, { print: true }) });
      window.print();
    } catch (err) {
      setPrintError(err instanceof Error ? err.message : String(err));
    } finally {
      printing.current = false;
    }
  };

  if (load.state === "loading") return <main className="report" data-testid="custody-report-page"><p role="status">Reading the custody log…</p></main>;
  if (load.state === "failed") {
    return (
      <main className="report" data-testid="custody-report-page">
        <p role="alert" className="report__error" data-testid="custody-report-error">{`The custody log of ${KIND_TITLE[kind]} ${id} could not be read: ${load.message}`}</p>
      </main>
    );
  }
  const { log } = load;
  return (
    <main className="report" data-testid="custody-report-page">
      <div className="report__actions">
        <a href={custodyCsvUrl(kind, id)} download>CSV</a>
        <button type="button" className="report__print" onClick={() => void printNow()} data-testid="custody-report-print">Print</button>
        {printError && <span role="alert" className="report__error">{`Not printed: ${printError}`}</span>}
      </div>
      <header className="report__header">
        <div>
          <p className="report__unit">Chain of custody</p>
          <h1 data-testid="custody-report-title">{`${KIND_TITLE[kind][0]!.toUpperCase()}${KIND_TITLE[kind].slice(1)} ${log.subject.kind === "incident" ? log.subject.label : `${id}: ${log.subject.label}`}`}</h1>
        </div>
        <dl className="report__meta">
          <dt>Generated</dt><dd data-testid="custody-report-generated">{entryTime({ time: new Date(log.generatedAt).toISOString() })}</dd>
          <dt>By</dt><dd>{log.generatedBy}</dd>
          <dt>Entries</dt><dd data-testid="custody-report-count">{log.entries.length}</dd>
        </dl>
      </header>
      <section className="report-section">
        <h2>Evidence covered</h2>
        <Items log={log} />
      </section>
      <section className="report-section">
        <h2>Every access and change, in order</h2>
        {log.truncated && <p className="report__warning">This log was cut at its limit: an evidence bundle carries it whole.</p>}
        {log.entries.length === 0 ? <p>No entry.</p> : <Entries log={log} />}
      </section>
      <section className="report-section report-method">
        <h2>How to check this log</h2>
        <ul>
          <li>Each entry is one row of the system&apos;s audit log. Its hash is the SHA-256 of its fields and of the previous entry&apos;s hash, so no
            entry can be edited, removed or reordered without breaking every hash after it.</li>
          <li>The chain&apos;s head is signed (Ed25519) at regular checkpoints. <code>npm run audit -- verify --checkpoint FILE</code> checks the whole
            log against a checkpoint kept outside the system; an evidence bundle carries the chain and a signed checkpoint, and
            <code> npm run verify-bundle -- FOLDER</code> checks them offline.</li>
          <li>Times are UTC, to the second here and to the millisecond in the CSV.</li>
        </ul>
      </section>
    </main>
  );
}
