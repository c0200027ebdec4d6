import type { ReactNode } from "react";
import type { FlightReport } from "../../../../server/protocol";
import { BVLOS_DISTANCE_M } from "../../../../server/protocol";
import { DASH, formatLatLon, formatMetres, formatSeconds, formatSize, formatUtc, formatUtcTime, integrityWords } from "./format";

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <tr data-testid={testId}>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

function aircraftText(r: FlightReport): string {
  const a = r.aircraft;
  const name = a.name ? `${a.name}, ` : "";
  return `${name}${a.vehicleType} (MAVLink system ${a.sysid}, component ${a.compid})`;
}

function firmwareText(r: FlightReport): string {
  const { autopilot, firmware } = r.aircraft;
  if (autopilot === null && firmware === null) return "not in the record";
  return `${autopilot ?? "autopilot unknown"} ${firmware ?? "(version not in the record: no AUTOPILOT_VERSION)"}`;
}

function pilotText(r: FlightReport): string {
  if (r.remotePilot) return r.remotePilot;
  return r.status === "imported" ? "not recorded (imported flight): fill in by hand" : "nobody held control from this station";
}

/** The operational logbook's fields, one row each. */
export function LogbookTable({ report: r }: { report: FlightReport }) {
  const h = r.maxHeight;
  const d = r.maxDistance;
  return (
    <table className="report-table" data-testid="report-table">
      <tbody>
        <Row label="Aircraft">{aircraftText(r)}</Row>
        <Row label="Autopilot / firmware">{firmwareText(r)}</Row>
        <Row label="Remote pilot" testId="report-pilot">{pilotText(r)}</Row>
        <Row label="Date (UTC)">{r.date}</Row>
        <Row label="Take-off" testId="report-takeoff">
          {r.takeoff ? `${formatUtcTime(r.takeoff.time)} at ${formatLatLon(r.takeoff)}` : "did not leave the ground in the record"}
        </Row>
        <Row label="Landing" testId="report-landing">
          {r.landing ? `${formatUtcTime(r.landing.time)} at ${formatLatLon(r.landing)}` : r.takeoff ? "not in the record (it ends in the air)" : DASH}
        </Row>
        <Row label="Flight time">{formatSeconds(r.flightTimeS)} airborne; {formatSeconds(r.armedTimeS)} armed</Row>
        <Row label="Maximum height above take-off" testId="report-max-height">
          {h ? <>{formatMetres(h.heightM)} ({formatMetres(h.altAmslM)} AMSL) at {formatUtcTime(h.time)}, {formatLatLon(h)} <b>(H)</b></> : DASH}
        </Row>
        <Row label="Maximum distance from the remote pilot" testId="report-max-distance">
          {d ? <>{formatMetres(d.distanceM)} at {formatUtcTime(d.time)}, {formatLatLon(d)}, {formatMetres(d.heightM)} high <b>(D)</b></> : DASH}
        </Row>
        <Row label="VLOS / BVLOS" testId="report-operation">
          <b>{r.operation.kind === "unknown" ? "unknown (no position)" : r.operation.kind}</b>
          <span className="report-table__rule"> Rule: {r.operation.rule} (threshold {BVLOS_DISTANCE_M} m)</span>
        </Row>
        <Row label="Record">
          {formatUtc(r.record.startedAt)} to {formatUtc(r.record.endedAt)}; {r.status}, {r.source}
        </Row>
      </tbody>
    </table>
  );
}

/** The alerts the station raised during the flight, or why there are none to list. */
export function AlertsSection({ report: r }: { report: FlightReport }) {
  const { alerts } = r;
  return (
    <section className="report-section" data-testid="report-alerts">
      <h2>Alerts raised</h2>
      {alerts.source === "none" && <p>None in this station's history: the flight was not flown live here (imported), so no alert was raised.</p>}
      {alerts.source === "history" && alerts.items.length === 0 && <p>No alert was raised during the flight.</p>}
      {alerts.items.length > 0 && (
        <table className="report-alerts">
          <thead><tr><th>Raised (UTC)</th><th>Severity</th><th>Alert</th><th>Cleared</th></tr></thead>
          <tbody>
            {alerts.items.map((a) => (
              <tr key={a.id}>
                <td>{formatUtcTime(a.raisedAt)}</td>
                <td>{a.severity}</td>
                <td>{a.text}{a.count > 1 ? ` (×${a.count})` : ""}</td>
                <td>{a.clearedAt === null ? "not cleared" : formatUtcTime(a.clearedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {alerts.more > 0 && <p>…and {alerts.more} more (listed in the station's alert history).</p>}
    </section>
  );
}

/** The record's SHA-256 and how anyone can check the file with it. */
export function EvidenceSection({ report: r }: { report: FlightReport }) {
  const e = r.evidence;
  return (
    <section className="report-section report-evidence" data-testid="report-evidence">
      <h2>The recording (.tlog) and its SHA-256</h2>
      <table className="report-table">
        <tbody>
          <Row label="File">{e.fileName}, {formatSize(e.sizeBytes)}</Row>
          <Row label="SHA-256" testId="report-sha256"><code className="report-hash">{e.sha256 ?? "none: not sealed yet"}</code></Row>
          {e.importedFileSha256 && (
            <Row label="Imported file's SHA-256"><code className="report-hash">{e.importedFileSha256}</code> (this flight's file was extracted from it)</Row>
          )}
          <Row label="Integrity" testId="report-integrity">{integrityWords(e.integrity.state, e.integrity.checkedAt)}</Row>
        </tbody>
      </table>
      <h3>How to check it</h3>
      <ol className="report-steps">{e.howToCheck.map((step) => <li key={step}>{step}</li>)}</ol>
    </section>
  );
}

/** How the figures were obtained. */
export function MethodSection({ report: r }: { report: FlightReport }) {
  return (
    <section className="report-section report-method">
      <h2>Method</h2>
      <ul>{r.method.map((m) => <li key={m}>{m}</li>)}</ul>
    </section>
  );
}
