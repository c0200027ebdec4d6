import { useEffect, useMemo, useState } from "react";
import type { FootageSummary, IncidentLink } from "../../../../server/protocol";
import { useSession } from "../../access";
import { formatUtc, ReasonButton } from "../Incidents";
import { createFootageApi, footageHref, posterUrl } from "./api";

export interface IncidentFootageProps {
  /** The incident's links (all kinds: the footage ones are shown here). */
  links: readonly IncidentLink[];
  /** Null while the incident is closed: links change only on an open incident. */
  onLink: ((footageId: number, reason: string) => Promise<void>) | null;
  onUnlink: ((linkId: number, reason: string) => Promise<void>) | null;
  /** Defaults to the session's fetch. */
  fetchFn?: typeof fetch;
}

const sameOrigin: typeof fetch = (input, init) => fetch(input, { credentials: "same-origin", ...init });

/** The name and poster of each linked file; a file that cannot be read still shows its number. */
function useSummaries(ids: readonly number[], fetchFn: typeof fetch): Map<number, FootageSummary> {
  const api = useMemo(() => createFootageApi(fetchFn), [fetchFn]);
  const [found, setFound] = useState(new Map<number, FootageSummary>());
  const key = ids.join(",");
  useEffect(() => {
    if (key === "") return;
    const abort = new AbortController();
    void Promise.all(key.split(",").map((id) => api.get(Number(id), abort.signal).catch(() => null))).then((all) => {
      if (!abort.signal.aborted) setFound(new Map(all.filter((f): f is FootageSummary => f !== null).map((f) => [f.id, f])));
    });
    return () => abort.abort();
  }, [api, key]);
  return found;
}

function FootageLinkRow({ link, summary, onUnlink }: { link: IncidentLink; summary: FootageSummary | undefined; onUnlink: IncidentFootageProps["onUnlink"] }) {
  const ended = link.unlinkedAt !== null;
  const name = summary ? summary.originalName : `Footage ${link.itemId}`;
  return (
    <li className={ended ? "incident-link incident-link--ended" : "incident-link"} data-testid={`incident-footage-${link.itemId}`}>
      <img className="footage-poster footage-poster--small" src={posterUrl(link.itemId)} alt="" />
      <span className="incident-link__what">{ended ? <s>{name}</s> : <a href={footageHref(link.itemId)}>{name}</a>}</span>
      <span className="incident-link__who">{`linked by ${link.linkedBy}, ${formatUtc(link.linkedAt)}: ${link.reason}`}</span>
      {ended && (
        <span className="incident-link__ended tone--caution">{`unlinked by ${link.unlinkedBy ?? "?"}, ${formatUtc(link.unlinkedAt)}: ${link.unlinkReason ?? ""}`}</span>
      )}
      {!ended && onUnlink && (
        <ReasonButton label="Unlink" testId={`incident-footage-unlink-${link.itemId}`} danger onConfirm={(reason) => onUnlink(link.id, reason)} />
      )}
    </li>
  );
}

/** The footage linked to an incident (ended links struck through, with who ended them and why) and "Link footage". */
export function IncidentFootage({ links, onLink, onUnlink, fetchFn }: IncidentFootageProps) {
  const session = useSession();
  const footageLinks = links.filter((l) => l.kind === "footage");
  const summaries = useSummaries([...new Set(footageLinks.map((l) => l.itemId))], fetchFn ?? session?.api.guardedFetch ?? sameOrigin);
  const [footageId, setFootageId] = useState("");
  const id = Number(footageId);
  const check = () => (Number.isInteger(id) && id > 0 ? null : "type the footage's number (from the footage page)");
  return (
    <section className="incident-section" aria-label="Linked footage" data-testid="incident-footage">
      <h4>Linked footage</h4>
      {footageLinks.length === 0 ? <p className="empty">No footage linked yet.</p> : (
        <ul className="incident-links">
          {footageLinks.map((l) => <FootageLinkRow key={l.id} link={l} summary={summaries.get(l.itemId)} onUnlink={onUnlink} />)}
        </ul>
      )}
      {onLink && (
        <div className="incident-link-form">
          <label>
            Footage
            <input inputMode="numeric" size={6} value={footageId} aria-label="Footage number to link" data-testid="incident-link-footage"
              onChange={(e) => setFootageId(e.target.value.trim())} />
          </label>
          <ReasonButton label="Link footage" testId="incident-link-footage-by-id" check={check}
            onConfirm={async (reason) => { await onLink(id, reason); setFootageId(""); }} />
        </div>
      )}
    </section>
  );
}
