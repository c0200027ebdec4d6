import { useCallback } from "react";
import type { FootageSummary } from "../../../../server/protocol";
import { formatUtc } from "../Incidents";
import { posterUrl, type FootageApi } from "./api";
import { describeVideo, formatBytes, formatDuration } from "./format";
import { Sha } from "./Sha";
import { useLoad } from "./useLoad";

const PAGE = 100;

function FootageRow({ f, onOpen }: { f: FootageSummary; onOpen(id: number): void }) {
  return (
    <tr data-testid={`footage-row-${f.id}`}>
      <td>
        <button type="button" className="footage-poster-btn" onClick={() => onOpen(f.id)} aria-label={`Open ${f.originalName}`}>
          <img className="footage-poster" src={posterUrl(f.id)} alt={`First frame of ${f.originalName}`} loading="lazy" data-testid="footage-poster" />
        </button>
      </td>
      <td>
        <button type="button" className="link-btn" onClick={() => onOpen(f.id)} data-testid="footage-open">{f.originalName}</button>
        {f.sidecarName && <div className="muted">{`with ${f.sidecarName}`}</div>}
      </td>
      <td>{formatBytes(f.sizeBytes)}</td>
      <td>{formatDuration(f.probe.durationS)}</td>
      <td>{describeVideo(f.probe)}</td>
      <td>{f.probe.creationTime ?? "—"}</td>
      <td>{`${f.uploadedBy}, ${formatUtc(f.uploadedAt)}`}</td>
      <td><Sha sha256={f.sha256} /></td>
    </tr>
  );
}

/** Every footage file stored, newest first as the server lists it. */
export function FootageList({ api, onOpen, version }: { api: FootageApi; onOpen(id: number): void; version: number }) {
  const load = useCallback((signal: AbortSignal) => api.list(0, PAGE, signal), [api]);
  // `version` changes when an upload is stored: the list is asked again.
  const { value: page, error } = useLoad(load, version);
  if (error) return <p className="tone--danger" role="alert">{`The footage could not be listed: ${error}`}</p>;
  if (!page) return <p className="empty" role="status">Loading…</p>;
  if (page.footage.length === 0) return <p className="empty" data-testid="footage-empty">No footage stored yet.</p>;
  return (
    <section aria-label="Stored footage">
      <table className="footage-table" data-testid="footage-list">
        <thead>
          <tr><th /><th>File</th><th>Size</th><th>Length</th><th>Video</th><th>creation_time</th><th>Uploaded</th><th>SHA-256</th></tr>
        </thead>
        <tbody>{page.footage.map((f) => <FootageRow key={f.id} f={f} onOpen={onOpen} />)}</tbody>
      </table>
      {page.total > page.footage.length && <p className="muted">{`The newest ${page.footage.length} of ${page.total}.`}</p>}
    </section>
  );
}
