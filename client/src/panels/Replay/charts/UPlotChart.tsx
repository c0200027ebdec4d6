import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { keyColour } from "../colour";
import type { ChartDef } from "./definitions";
import type { ChartShape } from "./shape";
import { tightRange } from "./shape";

const HEIGHT = 150;
const AXIS_SIZE = 50;
/** Hovering one chart shows the cursor on all of them. */
const SYNC_KEY = "replay-charts";
const NOW_COLOUR = "#ffffff";
const AXIS = { stroke: "#b8c2cc", grid: { stroke: "rgba(255,255,255,0.08)" }, ticks: { stroke: "rgba(255,255,255,0.15)" } };

export interface UPlotChartProps {
  def: ChartDef;
  shape: ChartShape;
  range: { start: number; end: number };
  time: number;
  onSeek(time: number): void;
  onHover(time: number | null): void;
}

/** The replay clock's axis reads UTC, as the banner does: the same moment for every reviewer wherever they are. */
const utc = (ms: number) => uPlot.tzDate(new Date(ms), "Etc/UTC");
/** "09:38:05" (UTC, 24 h): the date is in the banner, and a flight is minutes long. */
const clockText = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function options(p: UPlotChartProps, width: number, refs: { time: () => number; hover: (t: number | null) => void }): uPlot.Options {
  const { def, shape } = p;
  const left = shape.scales[0] ?? "y";
  const axes: uPlot.Axis[] = [
    { ...AXIS, space: 80, values: (_u, ticks) => ticks.map(clockText) },
    { ...AXIS, label: def.unit, scale: left, size: AXIS_SIZE },
    // Every chart keeps a right axis, empty when it has no second scale: the plots then line up, and the session's
    // cursor is at the same place on all of them.
    shape.scales[1]
      ? { ...AXIS, label: def.unit2 ?? "", scale: shape.scales[1], side: 1, size: AXIS_SIZE, grid: { show: false } }
      : { ...AXIS, label: "", scale: left, side: 1, size: AXIS_SIZE, grid: { show: false }, ticks: { show: false }, values: (_u, t) => t.map(() => "") },
  ];
  const scales: uPlot.Scales = { x: { time: true, range: () => [p.range.start, p.range.end] } };
  if (def.tight) scales[left] = { range: (_u, min, max) => tightRange(min, max) };
  return {
    width, height: HEIGHT, ms: 1, tzDate: utc,
    scales,
    legend: { show: true, live: true },
    // No drag-zoom (the span is the session's); and a click that moved a pixel is still a click, not a drag.
    cursor: { sync: { key: SYNC_KEY }, drag: { x: false, y: false, click: () => undefined } },
    series: [
      { label: "UTC", value: "{HH}:{mm}:{ss}.{fff}" },
      ...shape.lines.map((l): uPlot.Series => ({
        label: l.label, scale: l.scale, stroke: keyColour(l.vehicle), width: 1.5, spanGaps: true, points: { show: false },
        ...(l.dash ? { dash: l.dash } : {}),
      })),
    ],
    axes,
    hooks: {
      // The session's moment: the one cursor the charts share with the timeline and the map.
      draw: [(u) => {
        const x = u.valToPos(refs.time(), "x", true);
        if (!Number.isFinite(x) || x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
        u.ctx.save();
        // The last series drawn may have left a dash pattern on the context.
        u.ctx.setLineDash([]);
        u.ctx.strokeStyle = NOW_COLOUR;
        u.ctx.lineWidth = Math.max(1, uPlot.pxRatio);
        u.ctx.beginPath();
        u.ctx.moveTo(x, u.bbox.top);
        u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
        u.ctx.stroke();
        u.ctx.restore();
      }],
      setCursor: [(u) => {
        const left = u.cursor.left;
        refs.hover(left === undefined || left < 0 ? null : Math.round(u.posToVal(left, "x")));
      }],
    },
  };
}

/** One uPlot chart: built when its data or span changes, redrawn (not rebuilt) as the session time moves. */
export function UPlotChart(props: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The callbacks and time change on every render; the chart reads them through refs instead of being rebuilt.
  const live = useRef(props);
  live.current = props;
  const { def, shape, range } = props;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const refs = { time: () => live.current.time, hover: (t: number | null) => live.current.onHover(t) };
    const u = new uPlot(options({ ...live.current, def, shape, range }, el.clientWidth || 600, refs), [shape.x, ...shape.ys], el);
    plot.current = u;
    const click = () => {
      const left = u.cursor.left;
      if (left !== undefined && left >= 0) live.current.onSeek(Math.round(u.posToVal(left, "x")));
    };
    u.over.addEventListener("click", click);
    const resize = typeof ResizeObserver === "undefined" ? null
      : new ResizeObserver(() => u.setSize({ width: el.clientWidth || 600, height: HEIGHT }));
    resize?.observe(el);
    return () => {
      resize?.disconnect();
      u.over.removeEventListener("click", click);
      u.destroy();
      plot.current = null;
    };
  }, [def, shape, range]);

  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [props.time]);

  return (
    <figure className="replay-chart" data-chart={def.id}>
      <figcaption className="replay-chart__title">{def.title}</figcaption>
      <div ref={box} className="replay-chart__plot" />
    </figure>
  );
}
