import { describe, expect, it } from "vitest";
import { addTrailPoint } from "./trail";
import type { TrailPoint } from "./trail";

describe("addTrailPoint", () => {
  it("keeps at most maxPoints, dropping the oldest tenth at once, newest last and in order", () => {
    const trail: TrailPoint[] = [];
    const lengths: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      // About 11 m apart: every point extends the trail.
      expect(addTrailPoint(trail, { lat: 51.5 + i * 1e-4, lon: -0.1, altAmsl: 40 }, i, 100)).toBe(true);
      lengths.push(trail.length);
    }
    // Full at the 100th point; the 101st drops the oldest ten and is added: 91.
    expect(lengths.slice(98, 103)).toEqual([99, 100, 91, 92, 93]);
    expect(Math.max(...lengths)).toBe(100);
    expect(Math.min(...lengths.slice(100))).toBe(91);
    expect(trail.at(-1)).toEqual({ lat: 51.5 + 999 * 1e-4, lon: -0.1, altAmsl: 40, time: 999 });
    expect(trail.map((p) => p.time)).toEqual(Array.from({ length: trail.length }, (_, i) => 1_000 - trail.length + i));
  });

  it("leaves a hovering vehicle's trail alone (GPS jitter under half a metre)", () => {
    const trail: TrailPoint[] = [];
    expect(addTrailPoint(trail, { lat: 51.5, lon: -0.1, altAmsl: 40 }, 0)).toBe(true);
    expect(addTrailPoint(trail, { lat: 51.500001, lon: -0.1, altAmsl: 40 }, 1)).toBe(false);
    expect(trail).toHaveLength(1);
  });
});
