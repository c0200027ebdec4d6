import { useState } from "react";
import { REPLAY_MAX_FLIGHTS, type IncidentLink } from "../../../../server/protocol";
import { formatUtc } from "./format";
import { ReasonButton } from "./ReasonButton";

export const replayHref = (ids: readonly number[]) => `/replay?flights=${ids.join(",")}`;

/** The replay of the flights still linked, together on one clock (the replay takes at most REPLAY_MAX_FLIGHTS). */
export function LinkedReplay({ links }: { links: readonly IncidentLink[] }) {
  const ids = [...new Set(links.filter((l) => l.unlinkedAt === null && l.kind === "flight").map((l) => l.itemId))];
  if (ids.length === 0) return null;
  const shown = ids.slice(0, REPLAY_MAX_FLIGHTS);
  return (
    <span className="incident-replay">
      <a className="btn btn--small" href={replayHref(shown)} data-testid="incident-replay-linked">
        {shown.length === 1 ? "Replay the linked flight" : `Replay ${shown.length} linked flights together`}
      </a>
      {ids.length > shown.length && <span className="tone--caution">{` (the first ${REPLAY_MAX_FLIGHTS} of ${ids.length}: a replay takes at most ${REPLAY_MAX_FLIGHTS})`}</span>}
    </span>
  );
}

export interface LinksSectionProps {
  links: readonly IncidentLink[];
  /** Null while the incident is closed: links change only on an open incident. */
  onLink: ((flightId: number, reason: string) => Promise<void>) | null;
  onUnlink: ((linkId: number, reason: string) => Promise<void>) | null;
}

function LinkRow({ link, onUnlink }: { link: IncidentLink; onUnlink: LinksSectionProps["onUnlink"] }) {
  const ended = link.unlinkedAt !== null;
  return (
    <li className={ended ? "incident-link incident-link--ended" : "incident-link"} data-testid={`incident-link-${link.itemId}`}>
      <span className="incident-link__what">
        {ended ? <s>{`Flight ${link.itemId}`}</s> : <a href={replayHref([link.itemId])}>{`Flight ${link.itemId}`}</a>}
      </span>
      <span className="incident-link__who">{`linked by ${link.linkedBy}, ${formatUtc(link.linkedAt)}: ${link.reason}`}</span>
      {ended && (
        <span className="incident-link__ended tone--caution">
          {`unlinked by ${link.unlinkedBy ?? "?"}, ${formatUtc(link.unlinkedAt)}: ${link.unlinkReason ?? ""}`}
        </span>
      )}
      {!ended && onUnlink && (
        <ReasonButton label="Unlink" testId={`incident-unlink-${link.itemId}`} danger onConfirm={(reason) => onUnlink(link.id, reason)} />
      )}
    </li>
  );
}

/** The flights linked to the incident (ended links struck through, with who ended them and why) and "Link a flight". */
export function LinksSection({ links, onLink, onUnlink }: LinksSectionProps) {
  const [flightId, setFlightId] = useState("");
  const id = Number(flightId);
  const check = () => (Number.isInteger(id) && id > 0 ? null : "type the flight's number (from the flights page)");
  return (
    <section className="incident-section" aria-label="Linked flights">
      <h4>Linked flights <LinkedReplay links={links} /></h4>
      {links.length === 0 ? <p className="empty">No flight linked yet.</p> : (
        <ul className="incident-links" data-testid="incident-links">
          {links.map((l) => <LinkRow key={l.id} link={l} onUnlink={onUnlink} />)}
        </ul>
      )}
      {onLink && (
        <div className="incident-link-form">
          <label>
            Flight
            <input inputMode="numeric" size={6} value={flightId} aria-label="Flight number to link" data-testid="incident-link-flight"
              onChange={(e) => setFlightId(e.target.value.trim())} />
          </label>
          <ReasonButton label="Link a flight" testId="incident-link-by-id" check={check}
            onConfirm={async (reason) => { await onLink(id, reason); setFlightId(""); }} />
        </div>
      )}
    </section>
  );
}
