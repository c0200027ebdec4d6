import { describe, expect, it } from "vitest";
import { describeLocation, formatHistoryValue, formatMetres, formatUtc, markerLabel } from "./format";
import { labelPosition, locationBounds } from "./geometry";

describe("incident wording", () => {
  it("writes history values by field", () => {
    expect(formatHistoryValue("start", Date.UTC(2026, 10, 21, 10, 5))).toBe("2026-11-21 10:05:00 UTC");
    expect(formatHistoryValue("end", null)).toBe("ongoing");
    expect(formatHistoryValue("type", "missing_person")).toBe("Missing person");
    expect(formatHistoryValue("location", { kind: "area", points: [{ lat: 0, lon: 0 }, { lat: 1, lon: 0 }, { lat: 1, lon: 1 }] })).toBe("Area of 3 corners");
    expect(formatHistoryValue("notes", "")).toBe("(empty)");
    expect(formatHistoryValue("status", "closed")).toBe("closed");
  });

  it("describes places and distances", () => {
    expect(describeLocation({ kind: "point", lat: 51.50741, lon: -0.12779, radiusM: 1500 })).toBe("Point 51.50741, -0.12779, radius 1.50 km");
    expect(describeLocation(null)).toBe("No place set");
    expect(formatMetres(42.4)).toBe("42 m");
    expect(formatUtc(null)).toBe("—");
    expect(markerLabel({ reference: "CAD 1", title: "Fire" })).toBe("CAD 1 · Fire");
  });

  it("puts the label in the middle of an area and bounds a point's circle", () => {
    expect(labelPosition({ kind: "area", points: [{ lat: 0, lon: 0 }, { lat: 2, lon: 0 }, { lat: 2, lon: 4 }, { lat: 0, lon: 4 }] })).toEqual([1, 2]);
    const [[s, w], [n, e]] = locationBounds({ kind: "point", lat: 0, lon: 0, radiusM: 111_320 });
    expect([s, w, n, e].map((v) => Math.round(v * 1000) / 1000)).toEqual([-1, -1, 1, 1]);
  });
});
