import { useCallback } from "react";
import { playbackOf, playbackUrl, type FootageSummary } from "../../../../server/protocol";
import { formatUtc, incidentHref } from "../Incidents";
import { originalUrl, posterUrl, stripUrl, type FootageApi } from "./api";
import { DerivativesSection } from "./Derivatives";
import { describeVideo, formatBytes, formatDuration } from "./format";
import { custodyReportUrl } from "../Custody";
import { Sha } from "./Sha";
import { SyncSection } from "./SyncSection";
import { useLoad } from "./useLoad";

function Facts({ f }: { f: FootageSummary }) {
  const p = f.probe;
  const rows: [string, string][] = [
    ["Original name", f.originalName],
    ["Sidecar", f.sidecarName ?? "—"],
    ["Size", `${formatBytes(f.sizeBytes)} (${f.sizeBytes.toLocaleString("en-GB")} bytes)`],
    ["Length", `${formatDuration(p.durationS)} (${p.durationS.toFixed(3)} s${p.video.frames ? `, ${p.video.frames} frames` : ""})`],
    ["Video", describeVideo(p)],
    ["Audio", p.audio?.codec ?? "none"],
    ["Container", p.format],
    ["creation_time", p.creationTime ?? "—"],
    ["Timecode", p.timecode ?? "—"],
    ["Location in the file", p.location ? `${p.location.lat.toFixed(6)}, ${p.location.lon.toFixed(6)}${p.location.alt !== null ? `, ${p.location.alt} m` : ""}` : "—"],
    ["Uploaded", `${formatUtc(f.uploadedAt)} by ${f.uploadedBy}`],
    ...Object.entries(p.device).map(([k, v]): [string, string] => [`Device: ${k}`, v]),
  ];
  return (
    <dl className="footage-facts" data-testid="footage-facts">
      {rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
      <div><dt>SHA-256</dt><dd><Sha sha256={f.sha256} /></dd></div>
    </dl>
  );
}

/** The original where a browser plays it; otherwise its browser copy (same timing), or why there is none yet. */
function Player({ f }: { f: FootageSummary }) {
  const playback = playbackOf(f);
  const src = playbackUrl(f.id, playback);
  if (src === null) {
    return (
      <p className="tone--caution footage-player footage-player--none" data-testid="footage-unplayable">
        {`A browser cannot play this original (${f.probe.video.codec} in ${f.probe.format}) and its browser copy is not made yet. Download it to play it in a desktop player, or make a browser copy below.`}
      </p>
    );
  }
  return (
    <>
      <video className="footage-player" src={src} poster={posterUrl(f.id)} controls preload="metadata" data-testid="footage-player" data-source={playback.source} />
      {playback.source === "browser" && (
        <p className="muted" data-testid="footage-playing-copy">
          {`Playing the browser copy (derivative ${playback.derivativeId}, H.264): a browser cannot play this original (${f.probe.video.codec} in ${f.probe.format}).`}
        </p>
      )}
    </>
  );
}

function LinkedIncidents({ api, id }: { api: FootageApi; id: number }) {
  const load = useCallback((signal: AbortSignal) => api.incidents(id, signal), [api, id]);
  const { value, error } = useLoad(load);
  return (
    <section className="footage-section" aria-label="Incidents" data-testid="footage-incidents">
      <h4>Incidents</h4>
      {error && <p className="tone--danger" role="alert">{`Could not read its incidents: ${error}`}</p>}
      {value && value.incidents.length === 0 && <p className="empty">Not linked to any incident. Link it from the incident's page.</p>}
      {value && value.incidents.length > 0 && (
        <ul>
          {value.incidents.map(({ link, incident }) => (
            <li key={link.id} data-testid={`footage-incident-${incident.id}`}>
              {link.unlinkedAt !== null ? <s>{incident.reference}</s> : <a href={incidentHref(incident.id)}>{`${incident.reference} · ${incident.title}`}</a>}
              <span className="muted">{` linked by ${link.linkedBy}, ${formatUtc(link.linkedAt)}: ${link.reason}`}</span>
              {link.unlinkedAt !== null && <span className="tone--caution">{` unlinked by ${link.unlinkedBy ?? "?"}: ${link.unlinkReason ?? ""}`}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One footage file: the player, its thumbnails, what the device wrote, its incidents, derivatives and sync to flights. */
export function FootageDetail({ api, id, onBack }: { api: FootageApi; id: number; onBack(): void }) {
  const load = useCallback((signal: AbortSignal) => api.get(id, signal), [api, id]);
  const { value: f, error, reload } = useLoad(load);
  const back = <button type="button" className="btn btn--quiet" onClick={onBack}>← All footage</button>;
  if (!f) {
    return (
      <div className="footage-detail">
        {back}
        {error ? <p className="tone--danger" role="alert">{`This footage could not be loaded: ${error}`}</p> : <p className="empty" role="status">Loading…</p>}
      </div>
    );
  }
  return (
    <article className="footage-detail" data-testid="footage-detail" aria-label={`Footage ${f.id}`}>
      <header className="footage-detail__head">
        {back}
        <h3 data-testid="footage-title">{`Footage ${f.id} · ${f.originalName}`}</h3>
        <span className="topbar__spacer" />
        <a className="btn btn--small" href={originalUrl(f.id)} download={f.originalName} data-testid="footage-download">Download original</a>
        <a className="btn btn--small" href={custodyReportUrl("footage", f.id)} target="_blank" rel="noopener" data-testid="footage-custody-report">Custody report</a>
      </header>
      <div className="footage-detail__body">
        <div className="footage-detail__media">
          <Player f={f} />
          <img className="footage-strip" src={stripUrl(f.id)} alt={`Thumbnails through ${f.originalName}`} data-testid="footage-strip" />
        </div>
        <Facts f={f} />
      </div>
      <LinkedIncidents api={api} id={f.id} />
      <DerivativesSection api={api} footage={f} onMade={reload} />
      <SyncSection api={api} footage={f} />
    </article>
  );
}
