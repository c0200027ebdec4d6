import { describe, expect, it } from "vitest";
import { bearingDeg, bearingToHomeDeg, distanceToHomeM, haversineM } from "./distance";

describe("haversineM", () => {
  it("is zero for the same point and symmetric", () => {
    const a = { lat: 52.52, lon: 13.405 };
    const b = { lat: 52.53, lon: 13.42 };
    expect(haversineM(a, a)).toBe(0);
    expect(haversineM(a, b)).toBeCloseTo(haversineM(b, a), 6);
  });

  it("measures one degree of latitude as about 111.2 km and shrinks longitude with latitude", () => {
    expect(haversineM({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(111_195, -1);
    expect(haversineM({ lat: 60, lon: 0 }, { lat: 60, lon: 1 })).toBeCloseTo(55_597, -2);
  });

  it("matches a known distance (Berlin TV tower to Brandenburg Gate, about 2.2 km)", () => {
    const d = haversineM({ lat: 52.520817, lon: 13.40945 }, { lat: 52.516275, lon: 13.377704 });
    expect(d).toBeGreaterThan(2_150);
    expect(d).toBeLessThan(2_250);
  });

  it("crosses the antimeridian the short way", () => {
    expect(haversineM({ lat: 0, lon: 179.999 }, { lat: 0, lon: -179.999 })).toBeCloseTo(222.4, 0);
  });
});

describe("distanceToHomeM", () => {
  it("is null, not zero, when the position or home is unknown", () => {
    expect(distanceToHomeM(null, { lat: 1, lon: 2 })).toBeNull();
    expect(distanceToHomeM({ lat: 1, lon: 2 }, null)).toBeNull();
    expect(distanceToHomeM({ lat: Number.NaN, lon: 2 }, { lat: 1, lon: 2 })).toBeNull();
  });

  it("ignores altitude: 100 m north of home is 100 m", () => {
    const home = { lat: 52.52, lon: 13.404, altAmsl: 34 };
    const position = { lat: 52.52 + 100 / 111_195, lon: 13.404, altAmsl: 134, altRelative: 100 };
    expect(distanceToHomeM(position, home)).toBeCloseTo(100, 0);
  });
});

describe("bearingDeg", () => {
  it("points along the compass", () => {
    const o = { lat: 0, lon: 0 };
    expect(bearingDeg(o, { lat: 1, lon: 0 })).toBeCloseTo(0, 6);
    expect(bearingDeg(o, { lat: 0, lon: 1 })).toBeCloseTo(90, 6);
    expect(bearingDeg(o, { lat: -1, lon: 0 })).toBeCloseTo(180, 6);
    expect(bearingDeg(o, { lat: 0, lon: -1 })).toBeCloseTo(270, 6);
  });

  it("has no direction for an unknown or identical point", () => {
    expect(bearingToHomeDeg(null, { lat: 0, lon: 0 })).toBeNull();
    expect(bearingToHomeDeg({ lat: 1, lon: 1 }, { lat: 1, lon: 1 })).toBeNull();
    expect(bearingToHomeDeg({ lat: 1, lon: 0 }, { lat: 0, lon: 0 })).toBeCloseTo(180, 6);
  });
});
