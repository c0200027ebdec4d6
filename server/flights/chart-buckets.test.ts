import { describe, expect, it } from "vitest";
import { MinMaxBuckets } from "./chart-buckets";

describe("MinMaxBuckets", () => {
  it("folds a long series into at most two points per bucket, keeping its peak and trough exactly", () => {
    const b = new MinMaxBuckets(1000);
    let largest = 0;
    // An hour at 50 Hz: a slow sine with one spike and one dip.
    for (let t = 0; t < 3_600_000; t += 20) {
      const v = t === 1_234_560 ? 99.5 : t === 2_000_000 ? -42.25 : Math.sin(t / 60_000);
      b.add(t, v);
      largest = Math.max(largest, b.size);
    }
    const s = b.result()!;
    expect(largest).toBeLessThanOrEqual(2000);
    expect(s.t.length).toBe(s.v.length);
    expect(s.t.length).toBeLessThanOrEqual(2000);
    expect(s.t.length).toBeGreaterThan(1000);
    expect(Math.max(...s.v)).toBe(99.5);
    expect(s.t[s.v.indexOf(99.5)]).toBe(1_234_560);
    expect(Math.min(...s.v)).toBe(-42.25);
    for (let i = 1; i < s.t.length; i++) expect(s.t[i]!).toBeGreaterThanOrEqual(s.t[i - 1]!);
  });

  it("keeps a short series as it is, rounded to the thousandth, and has nothing for no samples", () => {
    const b = new MinMaxBuckets(1000);
    b.add(0, 12.34567);
    b.add(250, 12.3);
    b.add(500, Number.NaN);
    expect(b.result()).toEqual({ t: [0, 250], v: [12.346, 12.3] });
    expect(new MinMaxBuckets(10).result()).toBeNull();
  });

  it("puts a bucket's minimum and maximum in the order they happened", () => {
    const b = new MinMaxBuckets(1);
    b.add(0, 5);
    b.add(10, 9);
    b.add(20, 1);
    b.add(30, 5);
    expect(b.result()).toEqual({ t: [10, 20], v: [9, 1] });
  });
});
