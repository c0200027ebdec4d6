import type { IncidentHistoryEntry } from "../../../../server/protocol";
import { ACTION_LABELS, fieldLabel, formatHistoryValue, formatUtc } from "./format";

/** Every change of the incident, newest first: who, when, what, before -> after, and the reason given. */
export function HistoryList({ history }: { history: readonly IncidentHistoryEntry[] }) {
  const entries = [...history].sort((a, b) => b.version - a.version);
  return (
    <section className="incident-section" aria-label="History">
      <h4>History</h4>
      <ol className="incident-history" data-testid="incident-history">
        {entries.map((h) => (
          <li key={h.id} data-testid={`incident-history-${h.version}`}>
            <div className="incident-history__head">
              <strong>{ACTION_LABELS[h.action]}</strong> by {h.by}, {formatUtc(h.at)} <span className="muted">(version {h.version})</span>
            </div>
            {h.reason && <div className="incident-history__reason">Reason: {h.reason}</div>}
            {h.action !== "created" && h.changes.length > 0 && (
              <ul className="incident-history__changes">
                {h.changes.map((c) => (
                  <li key={c.field}>
                    {fieldLabel(c.field)}: <span className="incident-history__before">{formatHistoryValue(c.field, c.before)}</span>
                    {" -> "}
                    <span className="incident-history__after">{formatHistoryValue(c.field, c.after)}</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
