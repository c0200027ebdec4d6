import { describe, expect, it } from "vitest";
import { fitTarget, pointsBounds, unionBounds } from "./fit";

describe("what a fit shows", () => {
  it("nothing, one place, or the box around everything", () => {
    expect(fitTarget(null)).toBeNull();
    expect(fitTarget([[51.5, -0.1], [51.5, -0.1]])).toEqual({ kind: "point", at: [51.5, -0.1] });
    expect(fitTarget([[51.5, -0.1], [51.6, 0.1]])).toEqual({ kind: "bounds", bounds: [[51.5, -0.1], [51.6, 0.1]] });
  });

  it("a mission's points, skipping ones without a position", () => {
    expect(pointsBounds([{ lat: 51.5, lon: -0.12 }, { lat: 51.51, lon: -0.13 }, { lat: Number.NaN, lon: 0 }]))
      .toEqual([[51.5, -0.13], [51.51, -0.12]]);
    expect(pointsBounds([])).toBeNull();
  });

  it("the vehicles and the mission together", () => {
    const vehicles = [[51.5, -0.1], [51.5, -0.1]] as [[number, number], [number, number]];
    const mission = [[51.49, -0.12], [51.52, -0.09]] as [[number, number], [number, number]];
    expect(unionBounds(vehicles, mission)).toEqual([[51.49, -0.12], [51.52, -0.09]]);
    expect(unionBounds(null, mission)).toBe(mission);
    expect(unionBounds(vehicles, null)).toBe(vehicles);
  });
});
