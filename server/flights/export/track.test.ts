import { describe, expect, it } from "vitest";
import { flightTrack } from "./track";
import { FIXTURE_POSITIONS, fixtureSamples, fromArray, sample } from "../../../test/support/flights/export-fixtures";

const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

/** Distance in metres from p to the segment a-b, on a local plane (as the simplification works). */
function offLine(p: number[], a: number[], b: number[], lat0: number): number {
  const k = Math.cos((lat0 * Math.PI) / 180);
  const [px, py, ax, ay, bx, by] = [p[0]! * k, p[1]!, a[0]! * k, a[1]!, b[0]! * k, b[1]!].map((v) => v * M_PER_DEG) as [number, number, number, number, number, number];
  const dx = bx - ax, dy = by - ay;
  const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

describe("the flight track", () => {
  it("keeps every position at tolerance 0, fewer at a larger one, and none of the dropped further than the tolerance", async () => {
    const full = await flightTrack(fixtureSamples(), 12, 0);
    expect(full.properties).toMatchObject({ flightId: 12, originalPoints: FIXTURE_POSITIONS, points: FIXTURE_POSITIONS });
    const all = full.geometry!.coordinates;
    for (const tolerance of [1, 5]) {
      const track = await flightTrack(fixtureSamples(), 12, tolerance);
      const kept = track.geometry!.coordinates;
      expect(kept.length).toBeLessThan(all.length / (tolerance === 1 ? 2 : 4));
      expect(kept[0]).toEqual(all[0]);
      expect(kept.at(-1)).toEqual(all.at(-1));
      expect(track.properties.times).toHaveLength(kept.length);
      // Every original position lies within the tolerance of the nearest kept segment.
      const worst = Math.max(...all.map((p) => Math.min(...kept.slice(1).map((b, i) => offLine(p, kept[i]!, b, 51.5)))));
      expect(worst).toBeLessThanOrEqual(tolerance + 0.01);
    }
  });

  it("measures the tolerance in metres east-west as north-south (at 60° a degree of longitude is half as long)", async () => {
    // A line north, with a point 3 m east of it; and a line east with a point 3 m north of it.
    const east3 = 3 / (M_PER_DEG * 0.5);
    const north3 = 3 / M_PER_DEG;
    const northward = [sample(0, 60, 10), sample(1, 60.001, 10 + east3), sample(2, 60.002, 10)];
    const eastward = [sample(0, 60, 10), sample(1, 60 + north3, 10.001), sample(2, 60, 10.002)];
    for (const line of [northward, eastward]) {
      expect((await flightTrack(fromArray(line), 1, 2.5)).properties.points).toBe(3);
      expect((await flightTrack(fromArray(line), 1, 3.5)).properties.points).toBe(2);
    }
  });

  it("has no line with fewer than two positions", async () => {
    expect((await flightTrack(fromArray([]), 1, 2)).geometry).toBeNull();
    expect((await flightTrack(fromArray([sample(0, 1, 2)]), 1, 2)).geometry).toBeNull();
    const hover = [sample(0, 1, 2), sample(1, 1, 2), sample(2, 1, 2), sample(3, 1, 2)];
    expect((await flightTrack(fromArray(hover), 1, 2)).geometry?.coordinates).toEqual([[2, 1, 40], [2, 1, 40]]);
  });
});
