import { SERIES_FIELDS } from "../protocol";
import type { SeriesKind, VehicleKey } from "../protocol";
import { SERIES_KINDS } from "./series";
import type { SeriesPoint } from "./series";

/**
 * Series points of one flight as three typed arrays, moved (not copied) from the import worker to the main thread:
 * unpacking them costs the event loop far less than structured-cloning as many small objects.
 */
export interface PackedPoints {
  vehicle: VehicleKey;
  flightId: number | null;
  /** Index in SERIES_KINDS, per point. */
  kinds: Uint8Array;
  times: Float64Array;
  /** WIDTH values per point, in SERIES_FIELDS order; NaN where none (null and absent are not stored either). */
  values: Float64Array;
}

const WIDTH = Math.max(...SERIES_KINDS.map((k) => SERIES_FIELDS[k].length));
const KIND_INDEX = new Map<SeriesKind, number>(SERIES_KINDS.map((k, i) => [k, i]));

/** Packs points of one vehicle and flight (a batch of one fold). */
export function packPoints(points: readonly SeriesPoint[]): PackedPoints {
  const first = points[0];
  const out: PackedPoints = {
    vehicle: first?.vehicle ?? "0:0", flightId: first?.flightId ?? null,
    kinds: new Uint8Array(points.length), times: new Float64Array(points.length), values: new Float64Array(points.length * WIDTH).fill(NaN),
  };
  points.forEach((p, i) => {
    if (p.vehicle !== out.vehicle || p.flightId !== out.flightId) throw new Error("packPoints: one vehicle and flight per batch");
    out.kinds[i] = KIND_INDEX.get(p.kind)!;
    out.times[i] = p.time;
    SERIES_FIELDS[p.kind].forEach((field, j) => {
      const v = p.values[field];
      if (typeof v === "number") out.values[i * WIDTH + j] = v;
    });
  });
  return out;
}

export function unpackPoints(packed: PackedPoints): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let i = 0; i < packed.kinds.length; i++) {
    const kind = SERIES_KINDS[packed.kinds[i]!]!;
    const values: Record<string, number> = {};
    SERIES_FIELDS[kind].forEach((field, j) => {
      const v = packed.values[i * WIDTH + j]!;
      if (!Number.isNaN(v)) values[field] = v;
    });
    points.push({ kind, vehicle: packed.vehicle, flightId: packed.flightId, time: packed.times[i]!, values });
  }
  return points;
}

/** The buffers to transfer with a postMessage. */
export const transferOf = (p: PackedPoints): ArrayBuffer[] => [p.kinds.buffer, p.times.buffer, p.values.buffer] as ArrayBuffer[];
