import type { CommandProgressEvent } from "../../../../server/protocol";
import { formatClock } from "../../format";
import type { CommandEntry } from "./log";

/** The vehicle's IN_PROGRESS percentage, when it reported one for this very command. */
function progressOf(entry: CommandEntry, progress: CommandProgressEvent | null): number | null {
  if (!progress || progress.key !== entry.key || progress.command !== entry.command.kind) return null;
  return progress.progress;
}

/**
 * The last command of this vehicle: waiting, or its answer in words. Always mounted (even empty) so screen
 * readers announce changes: a live region added together with its text is often not read out.
 */
export function CommandStatus({ entry, progress }: { entry: CommandEntry | null; progress: CommandProgressEvent | null }) {
  const percent = entry && !entry.outcome ? progressOf(entry, progress) : null;
  const tone = entry?.outcome?.tone ?? "info";
  return (
    <div className={`cmd-status cmd-status--${entry ? tone : "empty"}`} role="status" aria-live="polite">
      {entry && (
        <>
          <span className="cmd-status__label">{entry.label}: </span>
          {entry.outcome ? (
            <span className={`cmd-status__text tone--${tone}`}>{entry.outcome.text}</span>
          ) : (
            <span className="cmd-status__text">
              <span className="cmd-spinner" aria-hidden="true" />
              Waiting for the vehicle…{percent !== null && ` ${Math.round(percent)}\u202f%`}
            </span>
          )}
          {percent !== null && <progress className="cmd-status__progress" max={100} value={percent} aria-label="Progress" />}
        </>
      )}
    </div>
  );
}

/** Earlier commands of this vehicle, newest first (the newest is also in the status line). */
export function CommandLog({ entries }: { entries: readonly CommandEntry[] }) {
  const done = entries.filter((e) => e.outcome !== null);
  if (done.length === 0) return null;
  return (
    <section className="cmd-log" aria-label="Command log">
      <h3 className="cmd-section__title">Log</h3>
      <ol className="cmd-log__list">
        {done.map((e) => (
          <li key={e.id} className="cmd-log__item">
            <time className="cmd-log__time">{formatClock(e.sentAt)}</time>
            <span className="cmd-log__label">{e.label}</span>
            <span className={`cmd-log__text tone--${e.outcome?.tone ?? "neutral"}`}>{e.outcome?.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
