import "../../styles/report.css";
import { useCallback, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import type { FlightReport } from "../../../../server/protocol";
import { fetchReport } from "./api";
import { formatUtc } from "./format";
import { AlertsSection, EvidenceSection, LogbookTable, MethodSection } from "./ReportSections";
import { TrackImage } from "./TrackImage";

export interface FlightReportPageProps {
  flightId: number;
  /** How the report is fetched (tests pass their own; the page uses the browser's, with the session cookie). */
  fetchFn?: typeof fetch;
  /** Opens the browser's print dialog (tests pass their own). */
  print?: () => void;
}

type Load = { state: "loading" } | { state: "failed"; message: string } | { state: "ready"; report: FlightReport };

const browserFetch: typeof fetch = (input, init) => fetch(input, init);
const browserPrint = () => window.print();

/**
 * A flight's report on one or two A4 pages, printed from the browser (to paper or PDF). Printing asks the
 * server again with print=1 first: the file is checked against its seal and the printing is audited, and the
 * copy printed is that answer.
 */
export function FlightReportPage({ flightId, fetchFn = browserFetch, print = browserPrint }: FlightReportPageProps) {
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [printError, setPrintError] = useState<string | null>(null);
  const printingRef = useRef(false);

  useEffect(() => {
    const abort = { done: false };
    fetchReport(fetchFn, flightId, false).then(
      (report) => { if (!abort.done) setLoad({ state: "ready", report }); },
      (err: unknown) => { if (!abort.done) setLoad({ state: "failed", message: err instanceof Error ? err.message : String(err) }); },
    );
    return () => { abort.done = true; };
  }, [fetchFn, flightId]);

  const printNow = useCallback(async () => {
    setPrintError(null);
    printingRef.current = true;
    try {
      const report = await fetchReport(fetchFn, flightId, true);
      // The DOM must show this answer before the print dialog copies the page.
      flushSync(() => setLoad({ state: "ready", report }));
      print();
    } catch (err) {
      setPrintError(err instanceof Error ? err.message : String(err));
    } finally {
      printingRef.current = false;
    }
  }, [fetchFn, flightId, print]);

  useEffect(() => {
    // Printed from the browser's menu (Ctrl+P) rather than the button: still audited, without waiting.
    const onBeforePrint = () => {
      if (!printingRef.current) void fetchReport(fetchFn, flightId, true).catch(() => undefined);
    };
    window.addEventListener("beforeprint", onBeforePrint);
    return () => window.removeEventListener("beforeprint", onBeforePrint);
  }, [fetchFn, flightId]);

  if (load.state === "loading") return <main className="report" data-testid="report-page"><p role="status">Preparing the report of flight {flightId}…</p></main>;
  if (load.state === "failed") {
    return (
      <main className="report" data-testid="report-page">
        <p role="alert" className="report__error" data-testid="report-error">Flight {flightId}: no report. {load.message}</p>
      </main>
    );
  }
  const r = load.report;
  return (
    <main className="report" data-testid="report-page">
      <div className="report__actions">
        <button type="button" className="report__print" onClick={() => void printNow()} data-testid="report-print">Print</button>
        {printError && <span role="alert" className="report__error">Not printed: {printError}</span>}
      </div>
      <header className="report__header">
        <div>
          <p className="report__unit">{r.unit}</p>
          <h1>Flight report: flight {r.flightId}</h1>
        </div>
        <dl className="report__meta">
          <dt>Generated</dt><dd data-testid="report-generated-at">{formatUtc(r.generatedAt)}</dd>
          <dt>By</dt><dd data-testid="report-generated-by">{r.generatedBy}</dd>
        </dl>
      </header>
      {r.evidence.integrity.state === "unchecked" && (
        <p className="report__warning">The file has not been checked against its seal since it last changed on disk: print to check it now.</p>
      )}
      <section className="report-section">
        <h2>Operational logbook</h2>
        <LogbookTable report={r} />
      </section>
      <section className="report-section report-section--map">
        <h2>Track</h2>
        <TrackImage report={r} />
      </section>
      <AlertsSection report={r} />
      <EvidenceSection report={r} />
      <MethodSection report={r} />
    </main>
  );
}
