import { useMemo } from "react";
import type { ReplayFlight } from "../../../../../server/protocol";
import { CHARTS } from "./definitions";
import { shapeChart } from "./shape";
import { UPlotChart } from "./UPlotChart";
import { useFlightCharts } from "./useFlightCharts";

export interface ReplayChartsProps {
  /** The session's flights (ids, vehicles, shiftMs). */
  flights: ReplayFlight[];
  /** Session clock now (UTC ms): the shared cursor. */
  time: number;
  /** The session span. */
  range: { start: number; end: number };
  /** Click on a chart. */
  onSeek(time: number): void;
  /** Hover: the view previews that moment's position on the map (null: the pointer left the charts). */
  onHover(time: number | null): void;
  /** How the charts are fetched (tests); the browser's fetch by default. */
  fetchFn?: typeof fetch;
}

const browserFetch: typeof fetch = (input, init) => fetch(input, init);

/**
 * The replay's charts: each flight's series from its .tlog (GET /api/flights/:id/charts), one line per vehicle in
 * its colour, placed on the session clock with the flight's shift. Hover previews, click seeks.
 */
export function ReplayCharts({ flights, time, range, onSeek, onHover, fetchFn = browserFetch }: ReplayChartsProps) {
  const ids = useMemo(() => flights.map((f) => f.id), [flights]);
  const { charts, problems, loading } = useFlightCharts(ids, fetchFn);
  const shapes = useMemo(
    () => CHARTS.flatMap((def) => {
      const shape = shapeChart(def, flights, charts);
      return shape ? [{ def, shape }] : [];
    }),
    [flights, charts],
  );
  // A new object each render would rebuild every chart: only a changed span may.
  const span = useMemo(() => ({ start: range.start, end: range.end }), [range.start, range.end]);
  return (
    <section className="replay-charts" aria-label="Charts" onMouseLeave={() => onHover(null)}>
      {loading && <p className="replay-charts__note" role="status">Reading the flights' charts…</p>}
      {problems.map((p) => <p key={p} className="replay-charts__note replay-charts__note--problem" role="alert">No charts for {p}</p>)}
      {!loading && shapes.length === 0 && problems.length === 0 && <p className="replay-charts__note">These flights have no chart data.</p>}
      {shapes.map(({ def, shape }) => (
        <UPlotChart key={def.id} def={def} shape={shape} range={span} time={time} onSeek={onSeek} onHover={onHover} />
      ))}
    </section>
  );
}
