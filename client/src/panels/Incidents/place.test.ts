import { describe, expect, it } from "vitest";
import { MAX_AREA_CORNERS } from "./draft";
import { addCorner, closeArea, DEFAULT_RADIUS_M, parseLatLon, placePoint } from "./place";

const a = { lat: 51.5, lon: -0.13 };
const b = { lat: 51.51, lon: -0.13 };
const c = { lat: 51.51, lon: -0.12 };

describe("drawing a place", () => {
  it("adds corners, but not the second click of a double-click (same spot)", () => {
    let corners = addCorner([], a);
    corners = addCorner(corners, b);
    corners = addCorner(corners, c);
    corners = addCorner(corners, c);
    expect(corners).toEqual([a, b, c]);
    expect(closeArea(corners)).toEqual({ ok: true, location: { kind: "area", points: [a, b, c] } });
  });

  it("refuses an area of fewer than 3 corners and stops at the server's limit", () => {
    expect(closeArea([a, b])).toEqual({ ok: false, message: "an area needs 3 corners or more: click on the map to add them" });
    const full = Array.from({ length: MAX_AREA_CORNERS }, (_, i) => ({ lat: i / 1000, lon: 0 }));
    expect(addCorner(full, a)).toHaveLength(MAX_AREA_CORNERS);
  });

  it("moves a point and keeps its radius", () => {
    expect(placePoint(a, null)).toEqual({ kind: "point", ...a, radiusM: DEFAULT_RADIUS_M });
    expect(placePoint(b, { kind: "point", ...a, radiusM: 400 })).toEqual({ kind: "point", ...b, radiusM: 400 });
  });

  it("reads a typed latitude, longitude", () => {
    expect(parseLatLon("51.5074, -0.1278")).toEqual({ lat: 51.5074, lon: -0.1278 });
    expect(parseLatLon("51.5074 -0.1278")).toEqual({ lat: 51.5074, lon: -0.1278 });
    expect(parseLatLon("91, 0")).toBeNull();
    expect(parseLatLon("London")).toBeNull();
  });
});
