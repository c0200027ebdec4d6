import { memo, useMemo } from "react";
import type { StatusText } from "../../../../server/protocol";
import { severityTone } from "../../components";
import { formatClock } from "../../format";

const SEVERITY_SHORT: Record<StatusText["severity"], string> = {
  emergency: "EMERG",
  alert: "ALERT",
  critical: "CRIT",
  error: "ERROR",
  warning: "WARN",
  notice: "NOTE",
  info: "INFO",
  debug: "DEBUG",
};

interface FeedRow {
  key: string;
  status: StatusText;
}

/** Newest first; keys stay stable as the bounded list drops its oldest entries (repeats get a counter). */
export function newestFirst(texts: readonly StatusText[]): FeedRow[] {
  const seen = new Map<string, number>();
  const rows = texts.map((status) => {
    const base = `${status.time}|${status.severity}|${status.text}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: `${base}|${n}`, status };
  });
  return rows.reverse();
}

/** The vehicle's STATUSTEXT messages, coloured by severity. Memoised on the array, which changes only when a text arrives. */
export const StatusFeed = memo(function StatusFeed({ texts }: { texts: readonly StatusText[] }) {
  const rows = useMemo(() => newestFirst(texts), [texts]);
  return (
    <div className="inst-group inst-feed">
      <h3 className="inst-group__title">
        Messages <span className="panel-title__count">{texts.length}</span>
      </h3>
      {rows.length === 0 ? (
        <p className="inst-feed__empty">No messages.</p>
      ) : (
        <ol className="inst-feed__list" aria-label="Status messages, newest first" data-testid="inst-feed">
          {rows.map(({ key, status }) => {
            const tone = severityTone(status.severity);
            return (
              <li key={key} className={`inst-feed__item inst-feed__item--${tone}`} data-severity={status.severity}>
                <time className="inst-feed__time" dateTime={Number.isFinite(status.time) ? new Date(status.time).toISOString() : undefined}>{formatClock(status.time)}</time>
                <span className={`inst-feed__sev tone--${tone}`}>{SEVERITY_SHORT[status.severity] ?? status.severity}</span>
                <span className="inst-feed__text" title={status.text}>{status.text}</span>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
});
