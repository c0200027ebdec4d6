import { useCallback, useState } from "react";
import type { FootageSummary, FootageSync } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import { formatUtc } from "../Incidents";
import type { FootageApi } from "./api";
import { SYNC_SOURCE_LABELS, formatUtcMs } from "./format";
import { frameMs } from "./sync";
import { useLoad } from "./useLoad";

const replayHref = (flightId: number, at: number) => `/replay?flights=${flightId}&t=${new Date(at).toISOString()}`;

/** A reviewer's nudge of the offset in force: frames and seconds either way, saved only with a reason. */
function Nudge({ sync, fps, onSave }: { sync: FootageSync; fps: number | null; onSave(startsAt: number, reason: string): Promise<void> }) {
  const [startsAt, setStartsAt] = useState(sync.startsAt);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const frame = frameMs(fps);
  const delta = startsAt - sync.startsAt;
  const save = async () => {
    if (reason.trim() === "") return setError("a reason is required: every change of the offset is on record");
    try {
      await onSave(startsAt, reason.trim());
      setReason("");
      setError(null);
    } catch (err) {
      setError(describeApiError(err));
    }
  };
  const step = (ms: number, label: string) => (
    <button type="button" className="btn btn--small" onClick={() => setStartsAt((s) => s + ms)} data-testid={`footage-nudge-${label}`}>{label}</button>
  );
  return (
    <div className="footage-nudge" role="group" aria-label={`Nudge the offset to flight ${sync.flightId}`}>
      {step(-1000, "-1s")}{step(-frame, "-1f")}
      <span className="footage-nudge__value" data-testid="footage-nudge-value">{`${delta >= 0 ? "+" : ""}${delta} ms → first frame at ${formatUtcMs(startsAt)}`}</span>
      {step(frame, "+1f")}{step(1000, "+1s")}
      <input placeholder="Reason (kept on record)" aria-label="Reason for the new offset" value={reason} maxLength={500}
        onChange={(e) => setReason(e.target.value)} data-testid="footage-nudge-reason" />
      <button type="button" className="btn btn--small" disabled={delta === 0} onClick={() => void save()} data-testid="footage-nudge-save">Save offset</button>
      {error && <span className="tone--danger" role="alert">{error}</span>}
    </div>
  );
}

function SyncRow({ sync }: { sync: FootageSync }) {
  return (
    <>
      <span>{`first frame at ${formatUtcMs(sync.startsAt)}`}</span>
      <span>{` · ${SYNC_SOURCE_LABELS[sync.source]}: ${sync.detail}`}</span>
      <span className="muted">{` · set by ${sync.setBy}, ${formatUtc(sync.setAt)}${sync.reason ? `: ${sync.reason}` : ""}`}</span>
    </>
  );
}

/** The footage placed on flights' clocks: the offset in force per flight, its history, and how to set it. */
export function SyncSection({ api, footage }: { api: FootageApi; footage: FootageSummary }) {
  const load = useCallback((signal: AbortSignal) => api.syncs(footage.id, signal), [api, footage.id]);
  const { value: syncs, error, reload } = useLoad(load);
  const [flight, setFlight] = useState("");
  const [actionError, setActionError] = useState<string | null>(null);
  const auto = async () => {
    const id = Number(flight);
    if (!Number.isInteger(id) || id <= 0) return setActionError("type the flight's number (from the flights page)");
    try {
      await api.syncAuto(footage.id, id);
      setActionError(null);
      setFlight("");
    } catch (err) {
      setActionError(describeApiError(err));
    }
    reload();
  };
  const manual = (flightId: number) => async (startsAt: number, reason: string) => {
    await api.syncManual(footage.id, flightId, startsAt, reason);
    reload();
  };
  return (
    <section className="footage-section" aria-label="Sync to flights" data-testid="footage-sync">
      <h4>In sync with flights</h4>
      {error && <p className="tone--danger" role="alert">{`The offsets could not be read: ${error}`}</p>}
      {syncs && syncs.current.length === 0 && <p className="empty">Not placed on any flight's clock yet.</p>}
      {syncs && (
        <ul className="footage-syncs">
          {syncs.current.map((s) => (
            <li key={s.id} data-testid={`footage-sync-${s.flightId}`}>
              <strong><a href={replayHref(s.flightId, s.startsAt)}>{`Flight ${s.flightId}`}</a></strong>{" "}
              <SyncRow sync={s} />
              <Nudge key={s.id} sync={s} fps={footage.probe.video.fps} onSave={manual(s.flightId)} />
            </li>
          ))}
        </ul>
      )}
      <div className="footage-sync-form">
        <label>
          Flight
          <input inputMode="numeric" size={6} value={flight} onChange={(e) => setFlight(e.target.value.trim())} aria-label="Flight number to sync to"
            data-testid="footage-sync-flight" />
        </label>
        <button type="button" className="btn btn--small" onClick={() => void auto()} data-testid="footage-sync-auto">
          {`Sync to flight ${flight || "N"}`}
        </button>
        <span className="muted">From the .SRT sidecar, the camera's messages in the flight log, or the file's creation_time.</span>
        {actionError && <span className="tone--danger" role="alert">{actionError}</span>}
      </div>
      {syncs && syncs.history.length > 0 && (
        <details className="footage-sync-history">
          <summary>{`History (${syncs.history.length})`}</summary>
          <ol>{syncs.history.map((s) => <li key={s.id}>{`Flight ${s.flightId}: `}<SyncRow sync={s} /></li>)}</ol>
        </details>
      )}
    </section>
  );
}
