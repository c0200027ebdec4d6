import { useCallback, useEffect, useState } from "react";
import type { BundleListing, ExportJob } from "../../../../server/protocol";
import type { CustodyApi } from "./api";
import { bundleDownloadUrl } from "./api";
import { entryTime } from "./format";

const POLL_MS = 1000;
const DOWNLOAD_SETTLE_MS = 1500;

function size(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

/** The job's state in words, for the line beside the button. */
export function describeJob(job: ExportJob): string {
  switch (job.state) {
    case "waiting": return "Waiting for the bundle before it to finish…";
    case "building": return "Copying and checking every file against its hash…";
    case "done": return `Bundle ready: ${job.result?.files ?? 0} files.`;
    case "failed": return `Not made: ${job.message ?? "the server gave no reason"}`;
  }
}

/**
 * The evidence bundles of an incident: make one (the server copies and hashes every linked original, the flights'
 * .tlogs, the incident record and the signed custody log), follow it, and download any made before as a .zip.
 * `onActivity`: the custody log has new entries (a bundle made, a download begun).
 */
export function ExportSection({ api, incidentId, onActivity }: { api: CustodyApi; incidentId: number; onActivity?: () => void }) {
  const [bundles, setBundles] = useState<BundleListing[] | null>(null);
  const [job, setJob] = useState<ExportJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback((signal?: AbortSignal) => {
    api.bundles(incidentId, signal).then((b) => setBundles(b.bundles), (err: unknown) => {
      if (!signal?.aborted) setError(err instanceof Error ? err.message : String(err));
    });
  }, [api, incidentId]);
  useEffect(() => {
    const ac = new AbortController();
    reload(ac.signal);
    return () => ac.abort();
  }, [reload]);

  const running = job !== null && (job.state === "waiting" || job.state === "building");
  const jobId = running ? job.id : null;
  useEffect(() => {
    if (jobId === null) return;
    const ac = new AbortController();
    const timer = setInterval(() => {
      api.job(jobId, ac.signal).then((j) => {
        setJob(j);
        if (j.state === "done") reload();
        if (j.state === "done" || j.state === "failed") onActivity?.();
      }, (err: unknown) => {
        if (!ac.signal.aborted) setError(err instanceof Error ? err.message : String(err));
      });
    }, POLL_MS);
    return () => { clearInterval(timer); ac.abort(); };
  }, [api, jobId, reload, onActivity]);

  // The server writes the download's custody entry once it starts answering: read the log a moment later.
  const downloaded = () => {
    if (onActivity) setTimeout(onActivity, DOWNLOAD_SETTLE_MS);
  };

  const start = () => {
    setError(null);
    api.exportIncident(incidentId).then(setJob, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };

  return (
    <section className="incident-section" data-testid="export-section" aria-label="Evidence bundles">
      <header className="incident-section__head">
        <h4>Evidence bundles</h4>
        <span className="topbar__spacer" />
        <button type="button" className="btn btn--small" onClick={start} disabled={running} data-testid="export-start">Make a bundle</button>
      </header>
      <p className="muted">
        A bundle holds the linked flights&apos; .tlogs, the footage originals and their derivatives, the sync offsets, the incident record and the
        custody log with a signed checkpoint, and a SHA256SUMS file. Anyone can check it offline: <code>sha256sum -c SHA256SUMS</code>, or
        <code> npm run verify-bundle -- FOLDER</code>.
      </p>
      {job && <p role="status" className={job.state === "failed" ? "tone--danger" : undefined} data-testid="export-job">{describeJob(job)}</p>}
      {error && <p className="tone--danger" role="alert">{error}</p>}
      {bundles && bundles.length === 0 && <p className="empty">No bundle made yet.</p>}
      {bundles && bundles.length > 0 && (
        <ul className="custody__bundles" data-testid="export-bundles">
          {bundles.map((b) => (
            <li key={b.name} data-testid={`export-bundle-${b.name}`}>
              <span className="custody__bundle-name">{b.name}</span>
              <span className="muted">{`${entryTime({ time: new Date(b.createdAt).toISOString() })} by ${b.createdBy} · ${b.files} files · ${size(b.bytes)}`}</span>
              <a className="btn btn--small" href={bundleDownloadUrl(b.name)} download onClick={downloaded} data-testid="export-download">Download .zip</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
