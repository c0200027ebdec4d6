import { useCallback, useEffect, useRef, useState } from "react";
import { derivativeDownloadUrl, type DerivativeJob, type DerivativeRequest, type FootageDerivative, type FootageSummary } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import { formatUtc } from "../Incidents";
import type { FootageApi } from "./api";
import { formatBytes } from "./format";
import { Sha } from "./Sha";
import { useLoad } from "./useLoad";

/** How often the list is asked again while a job is waiting or running. */
const POLL_MS = 1000;

const KIND_LABELS: Record<FootageDerivative["kind"], string> = { clip: "Clip", browser: "Browser copy", redaction: "Redaction" };

const rangeOf = (d: { fromS: number | null; toS: number | null }) => (d.fromS !== null && d.toS !== null ? ` ${d.fromS} s – ${d.toS} s` : "");

/** An argv as one line a person can paste into a shell (arguments with spaces or quotes single-quoted). */
export const commandLine = (argv: readonly string[]): string =>
  argv.map((a) => (/^[A-Za-z0-9_./:=+,-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");

/** Checks a clip's bounds as the server will (seconds, within the footage), in words. */
export function clipProblem(from: string, to: string, durationS: number): string | null {
  const a = Number(from);
  const b = Number(to);
  if (from.trim() === "" || to.trim() === "" || !Number.isFinite(a) || !Number.isFinite(b)) return "give the clip's start and end in seconds";
  if (a < 0) return "the clip cannot start before 0 s";
  if (b <= a) return "the clip must end after it starts";
  if (b > durationS) return `the footage ends at ${durationS.toFixed(3)} s`;
  return null;
}

function DerivativeRow({ d }: { d: FootageDerivative }) {
  return (
    <li data-testid={`footage-derivative-${d.id}`}>
      <strong>{`${KIND_LABELS[d.kind]}${rangeOf(d)}`}</strong>
      <span>{` · ${formatBytes(d.sizeBytes)} · ${d.probe.video.codec}`}</span>
      <span className="muted">{` · asked by ${d.requestedBy}, ${formatUtc(d.requestedAt)}: ${d.reason} · made ${formatUtc(d.madeAt)}`}</span>
      {" "}<a className="btn btn--small btn--quiet" href={derivativeDownloadUrl(d.id)} download data-testid={`footage-derivative-download-${d.id}`}>Download</a>
      <div>SHA-256 <Sha sha256={d.sha256} /></div>
      <details>
        <summary>How it was made</summary>
        <p className="muted" data-testid={`footage-derivative-version-${d.id}`}>{d.ffmpegVersion}</p>
        <code className="footage-command" data-testid={`footage-derivative-command-${d.id}`}>{commandLine(d.command)}</code>
      </details>
    </li>
  );
}

function JobRow({ job }: { job: DerivativeJob }) {
  const what = `${KIND_LABELS[job.kind]}${rangeOf(job)}`;
  const text = job.state === "running" ? `${what}: making, ${Math.round(job.progress * 100)} %`
    : job.state === "waiting" ? `${what}: waiting its turn`
    : `${what}: ${job.state === "cancelled" ? "cancelled" : "failed"}${job.message ? ` (${job.message})` : ""}`;
  return <li className={job.state === "failed" ? "tone--danger" : "muted"} data-testid={`footage-job-${job.id}`}>{`${text} · asked by ${job.requestedBy}: ${job.reason}`}</li>;
}

/**
 * The files made from this footage (clips, browser copies) with how each was made, the jobs making them, and a
 * small form to ask for a clip or a browser copy. `onMade` runs when a job finishes (the player may switch).
 */
export function DerivativesSection({ api, footage, onMade }: { api: FootageApi; footage: FootageSummary; onMade(): void }) {
  const load = useCallback((signal: AbortSignal) => api.derivatives(footage.id, signal), [api, footage.id]);
  const { value, error, reload } = useLoad(load);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  const [actionError, setActionError] = useState<string | null>(null);
  const active = value?.jobs.some((j) => j.state === "waiting" || j.state === "running") ?? false;
  const made = value?.derivatives.length ?? 0;
  const seen = useRef<number | null>(null);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [active, reload]);
  useEffect(() => {
    if (seen.current !== null && made > seen.current) onMade();
    seen.current = made;
  }, [made, onMade]);

  const ask = async (request: DerivativeRequest) => {
    if (request.reason === "") return setActionError("a reason is required: every derivative is on record");
    try {
      await api.requestDerivative(footage.id, request);
      setActionError(null);
    } catch (err) {
      setActionError(describeApiError(err));
    }
    reload();
  };
  const clip = () => {
    const problem = clipProblem(from, to, footage.probe.durationS);
    if (problem) return setActionError(problem);
    void ask({ kind: "clip", from: Number(from), to: Number(to), reason: reason.trim() });
  };
  const unfinished = value?.jobs.filter((j) => j.state !== "done") ?? [];
  return (
    <section className="footage-section" aria-label="Derivatives" data-testid="footage-derivatives">
      <h4>Derivatives</h4>
      <p className="muted">Work copies made by ffmpeg; the original is never changed. Each is stored with its own SHA-256 and the command that made it.</p>
      {error && <p className="tone--danger" role="alert">{`The derivatives could not be read: ${error}`}</p>}
      {value && value.derivatives.length === 0 && unfinished.length === 0 && <p className="empty">None made yet.</p>}
      {value && value.derivatives.length > 0 && <ul className="footage-derivatives">{value.derivatives.map((d) => <DerivativeRow key={d.id} d={d} />)}</ul>}
      {unfinished.length > 0 && <ul className="footage-jobs">{unfinished.map((j) => <JobRow key={j.id} job={j} />)}</ul>}
      <div className="footage-sync-form">
        <label>From <input inputMode="decimal" size={6} value={from} onChange={(e) => setFrom(e.target.value)} aria-label="Clip start (seconds)" data-testid="footage-clip-from" /> s</label>
        <label>to <input inputMode="decimal" size={6} value={to} onChange={(e) => setTo(e.target.value)} aria-label="Clip end (seconds)" data-testid="footage-clip-to" /> s</label>
        <input placeholder="Reason (kept on record)" aria-label="Reason for the derivative" value={reason} maxLength={500}
          onChange={(e) => setReason(e.target.value)} data-testid="footage-derivative-reason" />
        <button type="button" className="btn btn--small" onClick={clip} data-testid="footage-clip-make">Make clip</button>
        <button type="button" className="btn btn--small" onClick={() => void ask({ kind: "browser", reason: reason.trim() })} data-testid="footage-browser-make">
          Make a browser copy
        </button>
        {actionError && <span className="tone--danger" role="alert">{actionError}</span>}
      </div>
    </section>
  );
}
