import { describe, expect, it } from "vitest";
import { appendTrailPoint, groundDistanceM, TRAIL_MAX_POINTS } from "./trail";
import type { TrailPoint } from "./types";

const METRE_LAT = 1 / 111_195;
const at = (northM: number, time = 0): TrailPoint => ({ lat: 52.5 + northM * METRE_LAT, lon: 13.4, altAmsl: 50, time });

describe("groundDistanceM", () => {
  it("measures metres north and east", () => {
    expect(groundDistanceM(at(0), at(10))).toBeCloseTo(10, 1);
    const east = { lat: 52.5, lon: 13.4 + 0.001 };
    // 0.001 deg of longitude at 52.5 N is ~67.7 m.
    expect(groundDistanceM({ lat: 52.5, lon: 13.4 }, east)).toBeCloseTo(67.7, 0);
  });
});

describe("appendTrailPoint", () => {
  it("starts an empty trail with the first point", () => {
    expect(appendTrailPoint([], at(0))).toEqual([at(0)]);
  });

  it("ignores moves of 0.5 m or less and returns the same array", () => {
    const trail = [at(0)];
    expect(appendTrailPoint(trail, at(0.3))).toBe(trail);
    expect(appendTrailPoint(trail, at(0.49))).toBe(trail);
  });

  it("appends moves beyond 0.5 m without mutating the input", () => {
    const trail = [at(0)];
    const next = appendTrailPoint(trail, at(0.6));
    expect(next).toHaveLength(2);
    expect(trail).toHaveLength(1);
  });

  it("measures the threshold from the last kept point, so slow drift still shows", () => {
    let trail: readonly TrailPoint[] = [at(0)];
    for (let i = 1; i <= 10; i++) trail = appendTrailPoint(trail, at(i * 0.2));
    // 0.2 m steps: a point is kept each time the drift since the last kept one passes 0.5 m.
    expect(trail.map((p) => Math.round((p.lat - 52.5) / METRE_LAT * 10) / 10)).toEqual([0, 0.6, 1.2, 1.8]);
  });

  it("drops the oldest points beyond the bound", () => {
    let trail: readonly TrailPoint[] = [];
    for (let i = 0; i < TRAIL_MAX_POINTS + 50; i++) trail = appendTrailPoint(trail, at(i, i));
    expect(trail).toHaveLength(TRAIL_MAX_POINTS);
    expect(trail[0]?.time).toBe(50);
    expect(trail[trail.length - 1]?.time).toBe(TRAIL_MAX_POINTS + 49);
  });

  it("honours a custom bound", () => {
    let trail: readonly TrailPoint[] = [];
    for (let i = 0; i < 5; i++) trail = appendTrailPoint(trail, at(i * 10, i), 3);
    expect(trail.map((p) => p.time)).toEqual([2, 3, 4]);
  });
});
