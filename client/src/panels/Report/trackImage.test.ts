import { describe, expect, it } from "vitest";
import { labelPositions, pathData, projection, scaleBar } from "./trackImage";

const BOX = { width: 600, height: 400, padding: 20 };
// The four 100 m waypoints of the recorded flight (copter_flight_1) around home in London.
const SQUARE: [number, number][] = [[-0.1278, 51.5082981], [-0.1263567, 51.5073998], [-0.1278, 51.5065015], [-0.1292433, 51.5073998]];

describe("the track drawing", () => {
  it("draws north up with one scale for both axes, inside the padding", () => {
    const p = projection(SQUARE, BOX);
    const [north, east, south, west] = SQUARE.map((q) => p.point(q));
    expect(north![1]).toBeLessThan(south![1]);
    expect(east![0]).toBeGreaterThan(west![0]);
    // 200 m across both ways: a square stays square.
    expect(east![0] - west![0]).toBeCloseTo(south![1] - north![1], 0);
    for (const [x, y] of [north!, east!, south!, west!]) {
      expect(x).toBeGreaterThanOrEqual(BOX.padding - 0.01);
      expect(y).toBeGreaterThanOrEqual(BOX.padding - 0.01);
      expect(x).toBeLessThanOrEqual(BOX.width - BOX.padding + 0.01);
      expect(y).toBeLessThanOrEqual(BOX.height - BOX.padding + 0.01);
    }
    expect(p.pxPerM).toBeCloseTo((BOX.height - 2 * BOX.padding) / 200, 1);
    expect(pathData(SQUARE, p)).toMatch(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+){3}$/);
  });

  it("shows at least 60 m of ground for a hover, so GPS noise does not fill the page", () => {
    const p = projection([[-0.1278, 51.5074], [-0.12780001, 51.50740001]], BOX);
    expect(p.pxPerM).toBeCloseTo((BOX.height - 2 * BOX.padding) / 60, 3);
  });

  it("chooses a round scale bar length no wider than asked", () => {
    expect(scaleBar(1.8, 150)).toMatchObject({ metres: 50, label: "50 m" });
    expect(scaleBar(1.8, 150).px).toBeCloseTo(90);
    expect(scaleBar(0.05, 150)).toMatchObject({ metres: 2000, label: "2 km" });
    expect(scaleBar(10, 150)).toMatchObject({ metres: 10, label: "10 m" });
  });
});

describe("the marks' labels", () => {
  it("stay on their points when apart, and move clear of each other when at the same spot", () => {
    expect(labelPositions([[10, 10], [100, 100]], 18)).toEqual([[10, 10], [100, 100]]);
    const [a, b, c] = labelPositions([[50, 50], [50, 50], [52, 50]], 18);
    expect(a).toEqual([50, 50]);
    expect(Math.hypot(b![0] - a![0], b![1] - a![1])).toBeGreaterThanOrEqual(18);
    for (const [p, q] of [[a!, c!], [b!, c!]] as const) expect(Math.hypot(p[0] - q[0], p[1] - q[1])).toBeGreaterThanOrEqual(18);
  });
});
