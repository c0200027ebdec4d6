import { memo, useMemo, type MouseEvent } from "react";
import type { ReplayFlight, ReplayMark } from "../../../../server/protocol";
import { ColourDot } from "../../components";
import { keyColour } from "./colour";
import { layoutLanes, markTitle, percentOf, timeAtFraction, type Lane, type PlacedMark, type Span } from "./marks";

export interface TimelineProps {
  flights: readonly ReplayFlight[];
  marks: readonly ReplayMark[];
  span: Span;
  time: number;
  loop: { from: number; to: number } | null;
  onSeek(time: number): void;
}

const MarkView = memo(function MarkView({ mark, onSeek }: { mark: PlacedMark; onSeek(time: number): void }) {
  const ranged = mark.width !== undefined;
  const cls = `replay-mark replay-mark--${mark.kind} bg--${mark.tone}${ranged ? " replay-mark--range" : ""}${mark.uncommanded ? " replay-mark--uncommanded" : ""}`;
  return (
    <button type="button" className={cls} style={{ left: `${mark.left}%`, ...(ranged ? { width: `${mark.width}%` } : {}) }}
      title={markTitle(mark)} aria-label={mark.text.split("\n")[0]} data-testid="timeline-mark" data-kind={mark.kind} data-time={mark.time}
      data-uncommanded={mark.uncommanded || undefined}
      onClick={(e) => { e.stopPropagation(); onSeek(mark.time); }} />
  );
});

function LaneView({ lane, span, played, onSeek }: { lane: Lane; span: Span; played: number; onSeek(time: number): void }) {
  const seekHere = (e: MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width > 0) onSeek(timeAtFraction((e.clientX - box.left) / box.width, span));
  };
  return (
    <div className="replay-lane" data-testid={`timeline-lane-${lane.vehicle}`}>
      <span className="replay-lane__label"><ColourDot colour={keyColour(lane.vehicle)} /> {lane.vehicle}</span>
      <div className="replay-lane__track" onClick={seekHere}>
        {lane.present.map((p, i) => (
          <span key={i} className="replay-lane__present" style={{ left: `${p.left}%`, width: `${p.width}%`, borderColor: keyColour(lane.vehicle) }} />
        ))}
        <span className="replay-lane__played" style={{ width: `${played}%` }} />
        {lane.marks.map((m) => <MarkView key={m.id} mark={m} onSeek={onSeek} />)}
      </div>
    </div>
  );
}

/**
 * One lane per vehicle: where its flights exist, the part already played, and its marks (hover for the text,
 * click to seek there). A click elsewhere on a lane seeks to that moment.
 */
export function Timeline({ flights, marks, span, time, loop, onSeek }: TimelineProps) {
  const lanes = useMemo(() => layoutLanes(flights, marks, span), [flights, marks, span]);
  const played = percentOf(time, span);
  return (
    <section className="replay-timeline" aria-label="Timeline" data-testid="replay-timeline">
      {loop && (
        <span className="replay-timeline__loop"
          style={{ left: `calc(var(--lane-label) + (100% - var(--lane-label)) * ${percentOf(loop.from, span) / 100})`,
            width: `calc((100% - var(--lane-label)) * ${(percentOf(loop.to, span) - percentOf(loop.from, span)) / 100})` }} />
      )}
      {lanes.map((lane) => <LaneView key={lane.vehicle} lane={lane} span={span} played={played} onSeek={onSeek} />)}
      <span className="replay-timeline__cursor" style={{ left: `calc(var(--lane-label) + (100% - var(--lane-label)) * ${played / 100})` }} />
    </section>
  );
}
