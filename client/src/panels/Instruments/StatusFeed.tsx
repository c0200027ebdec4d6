import { memo, useMemo } from "react";
import type { StatusText, VehicleEvent } from "../../../../server/protocol";
import { SEVERITY_SHORT, severityTone, type Tone } from "../../components";
import { formatClock } from "../../format";

/** One line of the feed: a vehicle message (STATUSTEXT) or an event of its timeline (mode, arming, mission end). */
export interface FeedRow {
  key: string;
  time: number;
  tone: Tone;
  /** "WARN", "MODE"... */
  label: string;
  text: string;
  /** The STATUSTEXT severity, for messages. */
  severity?: StatusText["severity"];
}

/** An event in words: "Mode LOITER → RTL, not commanded here". */
export function eventText(e: VehicleEvent): { label: string; text: string; tone: Tone } {
  switch (e.kind) {
    case "mode_change":
      return e.commanded
        ? { label: "MODE", text: `Mode ${e.from} → ${e.to}`, tone: "neutral" }
        : { label: "MODE", text: `Mode ${e.from} → ${e.to}, not commanded here`, tone: "caution" };
    case "armed": return { label: "ARM", text: "Armed", tone: "neutral" };
    case "disarmed": return { label: "ARM", text: "Disarmed", tone: "neutral" };
    case "mission_complete": return { label: "AUTO", text: "Mission complete", tone: "neutral" };
  }
}

/**
 * Messages and events together, newest first; keys stay stable as the bounded lists drop their oldest entries
 * (repeats get a counter). At equal times a message comes before the event it explains (a failsafe text, then the
 * mode change).
 */
export function newestFirst(texts: readonly StatusText[], events: readonly VehicleEvent[] = []): FeedRow[] {
  const seen = new Map<string, number>();
  const keyOf = (base: string) => {
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}|${n}`;
  };
  const rows: FeedRow[] = texts.map((status) => ({
    key: keyOf(`${status.time}|${status.severity}|${status.text}`), time: status.time, tone: severityTone(status.severity),
    label: SEVERITY_SHORT[status.severity] ?? status.severity, text: status.text, severity: status.severity,
  }));
  for (const e of events) {
    const words = eventText(e);
    rows.push({ key: keyOf(`${e.time}|event|${words.text}`), time: e.time, ...words });
  }
  // Stable sort: texts (oldest first) then events at the same time.
  return rows.map((row, i) => ({ row, i })).sort((a, b) => a.row.time - b.row.time || a.i - b.i).map(({ row }) => row).reverse();
}

/**
 * The vehicle's STATUSTEXT messages coloured by severity, with its timeline events (mode changes, arming, mission
 * end) among them. Memoised on the arrays, which change only when a text or an event arrives.
 */
export const StatusFeed = memo(function StatusFeed({ texts, events = [] }: { texts: readonly StatusText[]; events?: readonly VehicleEvent[] }) {
  const rows = useMemo(() => newestFirst(texts, events), [texts, events]);
  return (
    <div className="inst-group inst-feed">
      <h3 className="inst-group__title">
        Messages <span className="panel-title__count">{rows.length}</span>
      </h3>
      {rows.length === 0 ? (
        <p className="inst-feed__empty">No messages.</p>
      ) : (
        <ol className="inst-feed__list" aria-label="Status messages and events, newest first" data-testid="inst-feed">
          {rows.map((row) => (
            <li key={row.key} className={`inst-feed__item inst-feed__item--${row.tone}${row.severity ? "" : " inst-feed__item--event"}`}
              data-severity={row.severity}>
              <time className="inst-feed__time" dateTime={Number.isFinite(row.time) ? new Date(row.time).toISOString() : undefined}>{formatClock(row.time)}</time>
              <span className={`inst-feed__sev tone--${row.tone}`}>{row.label}</span>
              <span className="inst-feed__text" title={row.text}>{row.text}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
});
