import { describe, expect, it } from "vitest";
import { flightIdOf, reportUrl } from "./api";
import { formatLatLon, formatMetres, formatSeconds, formatUtc } from "./format";

describe("the report's wording", () => {
  it("writes times in UTC, places to six decimals, lengths in m or km", () => {
    expect(formatUtc(Date.UTC(2026, 10, 21, 10, 14, 3, 250))).toBe("2026-11-21 10:14:03 UTC");
    expect(formatLatLon({ lat: 51.5073998, lon: -0.1278 })).toBe("51.507400, -0.127800");
    expect(formatMetres(30.014)).toBe("30.0 m");
    expect(formatMetres(1250)).toBe("1.25 km");
    expect(formatSeconds(138)).toBe("2 min 18 s");
    expect(formatSeconds(3725)).toBe("1 h 02 min 05 s");
    expect(formatSeconds(null)).toBe("—");
  });

  it("reads the flight from the address and asks for printing with print=1", () => {
    expect(flightIdOf("?flight=12")).toBe(12);
    expect(flightIdOf("?flight=0")).toBeNull();
    expect(flightIdOf("?flight=1e3")).toBeNull();
    expect(reportUrl(12, true)).toBe("/api/flights/12/report?print=1");
    expect(reportUrl(12, false)).toBe("/api/flights/12/report");
  });
});
