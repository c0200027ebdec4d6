import { describe, expect, it } from "vitest";
import { fitTarget, incidentBounds, pointsBounds, unionBounds } from "./fit";

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

describe("incident bounds", () => {
  it("an area's corners and a point's circle", () => {
    expect(incidentBounds([])).toBeNull();
    const b = incidentBounds([
      { id: 1, reference: "CAD 1", title: "a", type: "search", location: { kind: "area", points: [{ lat: 51.5, lon: -0.2 }, { lat: 51.6, lon: -0.1 }, { lat: 51.55, lon: -0.15 }] } },
      { id: 2, reference: "CAD 2", title: "b", type: "search", location: { kind: "point", lat: 51.7, lon: -0.12, radiusM: 1113.2 } },
    ])!;
    expect(b[0][0]).toBeCloseTo(51.5, 6);
    expect(b[0][1]).toBeCloseTo(-0.2, 6);
    expect(b[1][0]).toBeCloseTo(51.71, 6);
    expect(b[1][1]).toBeCloseTo(-0.1, 6);
  });
});
