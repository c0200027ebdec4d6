/**
 * Pure shaping of the charts' data: each flight's series placed on the session clock (t0 + t + shiftMs) and joined
 * on one x axis, as uPlot wants it (one x array, one y array per line, null where a line has no sample).
 */
import type { FlightChartsResponse, ReplayFlight, VehicleKey } from "../../../../../server/protocol";
import type { ChartDef } from "./definitions";

/** The line style of a chart's n-th series: a chart's series differ by dash, its vehicles by colour. */
export const DASHES: readonly (number[] | undefined)[] = [undefined, [6, 4], [2, 3], [10, 3, 2, 3], [1, 5]];

export interface ChartLine {
  flightId: number;
  vehicle: VehicleKey;
  label: string;
  dash: number[] | undefined;
  /** "y", or the line's own scale (drawn against the right axis). */
  scale: string;
}

export interface ChartShape {
  /** Session clock, UTC ms, ascending, no repeats. */
  x: number[];
  /** One per line, as long as x. */
  ys: (number | null)[][];
  lines: ChartLine[];
  /** The scales used, "y" first when used. */
  scales: string[];
}

interface Placed {
  line: ChartLine;
  xs: number[];
  vs: number[];
}

/** Sorted union of ascending arrays, without repeats. */
export function unionSorted(arrays: readonly number[][]): number[] {
  const all = arrays.flat().sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of all) if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  return out;
}

/** A line's values laid on x (which holds every one of its times), null elsewhere. */
function aligned(x: number[], xs: number[], vs: number[]): (number | null)[] {
  const y: (number | null)[] = new Array<number | null>(x.length).fill(null);
  let j = 0;
  for (let i = 0; i < xs.length; i++) {
    while (x[j] !== xs[i]) j++;
    y[j] = vs[i]!;
  }
  return y;
}

/** "altitude above home", or with several flights "above home · 1:1 #12" (one vehicle may fly twice). */
export function lineLabel(label: string, flight: ReplayFlight, several: boolean): string {
  return several ? `${label} · ${flight.vehicle} #${flight.id}` : label;
}

/**
 * The chart's lines for the flights whose charts have arrived, or null when none of them has any of its series.
 * Times outside a session's x range are kept: the x scale's range clips them.
 */
export function shapeChart(def: ChartDef, flights: readonly ReplayFlight[], charts: ReadonlyMap<number, FlightChartsResponse>): ChartShape | null {
  const placed: Placed[] = [];
  const several = flights.length > 1;
  for (const flight of flights) {
    const data = charts.get(flight.id);
    if (!data) continue;
    def.lines.forEach((lineDef, n) => {
      const s = data.series[lineDef.series];
      if (!s || s.t.length === 0) return;
      const offset = data.t0 + flight.shiftMs;
      placed.push({
        line: { flightId: flight.id, vehicle: flight.vehicle, label: lineLabel(lineDef.label, flight, several), dash: DASHES[n % DASHES.length], scale: lineDef.scale ?? "y" },
        xs: s.t.map((t) => t + offset),
        vs: s.v,
      });
    });
  }
  if (placed.length === 0) return null;
  const x = unionSorted(placed.map((p) => p.xs));
  const scales = [...new Set(placed.map((p) => p.line.scale))].sort((a, b) => (a === "y" ? -1 : b === "y" ? 1 : 0));
  return { x, ys: placed.map((p) => aligned(x, p.xs, p.vs)), lines: placed.map((p) => p.line), scales };
}

/** The data's span with a tenth of it (at least 0.1) either side: a scale fitted to the data, not reaching to 0. */
export function tightRange(min: number | null, max: number | null): [number | null, number | null] {
  if (min === null || max === null) return [null, null];
  const pad = Math.max(0.1, (max - min) / 10);
  return [min - pad, max + pad];
}
