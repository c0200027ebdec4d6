import { describe, expect, it } from "vitest";
import { ardupilotHome, DEFAULT_HOME, homeFor, parseHome, SPACING_M } from "./homes";

function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const north = (b.lat - a.lat) * 111_320;
  const east = (b.lon - a.lon) * 111_320 * Math.cos((a.lat * Math.PI) / 180);
  return Math.hypot(north, east);
}

describe("parseHome", () => {
  it("reads LAT,LON,ALT and LAT,LON", () => {
    expect(parseHome("51.5074,-0.1278,10")).toEqual({ lat: 51.5074, lon: -0.1278, altAmsl: 10 });
    expect(parseHome(" 51.5, -0.12 ")).toEqual({ lat: 51.5, lon: -0.12, altAmsl: 0 });
  });

  it("refuses what is not a position", () => {
    expect(() => parseHome("london")).toThrow(/LAT,LON,ALT/);
    expect(() => parseHome("51.5")).toThrow(/LAT,LON,ALT/);
    expect(() => parseHome("1,2,3,4")).toThrow(/LAT,LON,ALT/);
    expect(() => parseHome("95,0,0")).toThrow(/not on the map/);
  });
});

describe("homeFor", () => {
  it("keeps vehicle 0 at the base and puts the others about 150 m apart", () => {
    expect(homeFor(DEFAULT_HOME, 0)).toEqual(DEFAULT_HOME);
    const homes = Array.from({ length: 12 }, (_, i) => homeFor(DEFAULT_HOME, i));
    for (let i = 0; i < homes.length; i++) {
      for (let j = i + 1; j < homes.length; j++) {
        expect(metresBetween(homes[i]!, homes[j]!)).toBeGreaterThan(SPACING_M * 0.95);
      }
    }
    expect(metresBetween(homes[0]!, homes[1]!)).toBeCloseTo(SPACING_M, -1);
  });

  it("formats ArduPilot's --home", () => {
    expect(ardupilotHome(DEFAULT_HOME)).toBe("51.5074,-0.1278,10,0");
  });
});
