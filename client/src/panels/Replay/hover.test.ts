import { describe, expect, it } from "vitest";
import type { TrailPoint } from "../../../../server/protocol";
import { hoverPoints, pointAt } from "./hover";

const trail: TrailPoint[] = [0, 1000, 2000, 3000].map((t, i) => ({ lat: 52 + i * 0.001, lon: 13, altAmsl: 40, time: t }));

describe("pointAt", () => {
  it("finds the point at or just before a time", () => {
    expect(pointAt(trail, 1500)?.time).toBe(1000);
    expect(pointAt(trail, 2000)?.time).toBe(2000);
    expect(pointAt(trail, -1)).toBeNull();
    expect(pointAt([], 5)).toBeNull();
  });
});

describe("hoverPoints", () => {
  it("previews played moments only", () => {
    expect(hoverPoints({ "1:1": trail }, 2500)).toEqual([{ key: "1:1", lat: 52.002, lon: 13 }]);
    expect(hoverPoints({ "1:1": trail }, 3500)).toEqual([]);
  });
});
