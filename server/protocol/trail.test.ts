import { describe, expect, it } from "vitest";
import { addTrailPoint, packTrail, trailColumns, unpackTrail } from "./trail";
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

describe("packTrail / unpackTrail", () => {
  it("round-trips a trail to within 1e-7°, 1 cm and 1 ms, without the rounding adding up along it", () => {
    const trail: TrailPoint[] = [];
    for (let i = 0; i < 2_000; i++) {
      // Steps that are not whole units of 1e-7°: each rounds, and 2,000 differences must not drift.
      trail.push({ lat: 51.5 + i * 3.33333e-6, lon: -0.12 - i * 1.77777e-6, altAmsl: 40.004 + i * 0.0133, time: 1_700_000_000_000.4 + i * 200.3 });
    }
    const packed = packTrail(trailColumns(trail));
    expect(packed).toHaveLength(8_000);
    expect(packed.every((n) => Number.isInteger(n))).toBe(true);
    const back = unpackTrail(packed);
    expect(back).toHaveLength(trail.length);
    for (const [i, p] of back.entries()) {
      const q = trail[i]!;
      expect(Math.abs(p.lat - q.lat)).toBeLessThanOrEqual(0.5e-7 + 1e-12);
      expect(Math.abs(p.lon - q.lon)).toBeLessThanOrEqual(0.5e-7 + 1e-12);
      expect(Math.abs(p.altAmsl - q.altAmsl)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(p.time - q.time)).toBeLessThanOrEqual(0.5);
    }
    // The point of packing: a fifth of the JSON of the same points as objects, or less.
    expect(JSON.stringify(packed).length * 5).toBeLessThan(JSON.stringify(trail).length);
  });

  it("packs only the points asked for, in order, and unpacks nothing from nothing", () => {
    const trail: TrailPoint[] = [0, 1, 2, 3, 4].map((i) => ({ lat: 10 + i, lon: 20 - i, altAmsl: i, time: i * 1000 }));
    expect(unpackTrail(packTrail(trailColumns(trail), [0, 2, 4]))).toEqual([trail[0], trail[2], trail[4]]);
    expect(packTrail(trailColumns([]))).toEqual([]);
    expect(unpackTrail([])).toEqual([]);
    // A cut-off point (never packed so) is left out rather than made up.
    expect(unpackTrail([...packTrail(trailColumns(trail.slice(0, 2))), 5, 5])).toEqual(trail.slice(0, 2));
  });
});
