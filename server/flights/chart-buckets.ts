/**
 * Bounded downsampling for the review charts: a series of any length is folded into time buckets holding only
 * their lowest and highest sample, so memory stays fixed however long the file, and a peak (the highest altitude,
 * a vibration spike) survives where averaging would flatten it.
 */
import type { ChartSeries } from "../protocol";

/** [time of min, min, time of max, max]; times in ms after the fold's t0. */
type Bucket = [number, number, number, number];

/** Narrowest bucket: about the fastest stream ArduPilot sends at (10 Hz). */
const MIN_WIDTH_MS = 100;

/**
 * Values are kept to the thousandth: far finer than any chart pixel, and a third of the JSON. `|| 0` turns -0
 * into 0, which JSON writes the same anyway: a kept copy then reads back equal to a fresh read.
 */
const round3 = (v: number) => Math.round(v * 1000) / 1000 || 0;

function merged(a: Bucket, b: Bucket): Bucket {
  const low = b[1] < a[1] ? b : a;
  const high = b[3] > a[3] ? b : a;
  return [low[0], low[1], high[2], high[3]];
}

function rekey(buckets: Map<number, Bucket>, factor: number): Map<number, Bucket> {
  const next = new Map<number, Bucket>();
  for (const [idx, b] of buckets) {
    const k = Math.floor(idx / factor);
    const old = next.get(k);
    next.set(k, old ? merged(old, b) : b);
  }
  return next;
}

export class MinMaxBuckets {
  private buckets = new Map<number, Bucket>();
  private width = MIN_WIDTH_MS;

  /** `target` buckets in the result (two points each at most); twice as many are kept while reading. */
  constructor(private readonly target: number) {}

  add(t: number, v: number): void {
    if (!Number.isFinite(v)) return;
    const idx = Math.floor(t / this.width);
    const b = this.buckets.get(idx);
    if (b === undefined) {
      this.buckets.set(idx, [t, v, t, v]);
      // Wider buckets instead of more of them: a bound that holds whatever the file's length.
      if (this.buckets.size > 2 * this.target) {
        this.buckets = rekey(this.buckets, 2);
        this.width *= 2;
      }
      return;
    }
    if (v < b[1]) { b[0] = t; b[1] = v; }
    if (v > b[3]) { b[2] = t; b[3] = v; }
  }

  get size(): number {
    return this.buckets.size;
  }

  /** The series in time order: at most 2 * target points; null when nothing was added. */
  result(): ChartSeries | null {
    if (this.buckets.size === 0) return null;
    let buckets = this.buckets;
    if (buckets.size > this.target) {
      const keys = [...buckets.keys()];
      const span = Math.max(...keys) - Math.min(...keys) + 1;
      buckets = rekey(buckets, Math.ceil(span / this.target));
    }
    const t: number[] = [];
    const v: number[] = [];
    const push = (time: number, value: number) => {
      t.push(Math.round(time));
      v.push(round3(value));
    };
    for (const idx of [...buckets.keys()].sort((a, b) => a - b)) {
      const [tMin, min, tMax, max] = buckets.get(idx)!;
      if (tMin === tMax && min === max) push(tMin, min);
      else if (tMin <= tMax) { push(tMin, min); push(tMax, max); }
      else { push(tMax, max); push(tMin, min); }
    }
    return { t, v };
  }
}
