import type { MouseEvent } from "react";
import { formatUtcMs } from "./format";
import { spanOf, type ReplayFootageItem } from "./useReplayFootage";

const percent = (t: number, span: { start: number; end: number }) =>
  span.end > span.start ? Math.min(100, Math.max(0, ((t - span.start) / (span.end - span.start)) * 100)) : 0;

/** Where footage exists on the replay's clock: a bar per file on a lane of its own; a click seeks to that moment. */
export function FootageLane({ items, span, time, onSeek }: { items: readonly ReplayFootageItem[]; span: { start: number; end: number }; time: number; onSeek(time: number): void }) {
  if (items.length === 0) return null;
  const seekHere = (e: MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width > 0) onSeek(span.start + ((e.clientX - box.left) / box.width) * (span.end - span.start));
  };
  return (
    <section className="replay-timeline footage-lane" aria-label="Footage on the timeline" data-testid="footage-lane">
      <div className="replay-lane">
        <span className="replay-lane__label">Footage</span>
        <div className="replay-lane__track" onClick={seekHere}>
          {items.map((item) => {
            const { from, to } = spanOf(item);
            const left = percent(from, span);
            return (
              <button key={`${item.flight.id}-${item.footage.id}`} type="button" className="footage-lane__bar"
                style={{ left: `${left}%`, width: `${Math.max(0.4, percent(to, span) - left)}%` }}
                title={`${item.footage.originalName} (flight ${item.flight.id}): ${formatUtcMs(from)} – ${formatUtcMs(to)}`}
                data-testid={`footage-bar-${item.footage.id}`} data-from={from} data-to={to}
                onClick={(e) => { e.stopPropagation(); onSeek(Math.max(from, Math.min(time, to))); }}>
                {item.footage.originalName}
              </button>
            );
          })}
          <span className="footage-lane__cursor" style={{ left: `${percent(time, span)}%` }} />
        </div>
      </div>
    </section>
  );
}
