import { describe, expect, it } from "vitest";
import { bboxFromView, trackBounds, trackEnds, trackLines } from "./geo";

describe("bboxFromView", () => {
  it("orders the edges minLon,minLat,maxLon,maxLat, rounded", () => {
    expect(bboxFromView({ west: -0.12345678, south: 51.5, east: -0.1, north: 51.52 })).toEqual([-0.123457, 51.5, -0.1, 51.52]);
  });

  it("brings a wrapped view back to ±180", () => {
    expect(bboxFromView({ west: 359, south: 0, east: 360, north: 1 })).toEqual([-1, 0, 0, 1]);
  });

  it("asks for every longitude across the antimeridian or the whole world, and clamps latitudes", () => {
    expect(bboxFromView({ west: 170, south: -10, east: 190, north: 10 })).toEqual([-180, -10, 180, 10]);
    expect(bboxFromView({ west: -400, south: -95, east: 400, north: 95 })).toEqual([-180, -90, 180, 90]);
  });

  it("refuses a view with no size yet", () => {
    expect(bboxFromView({ west: Number.NaN, south: 0, east: 0, north: 0 })).toBeNull();
  });
});

const line = { type: "LineString", coordinates: [[-0.1, 51.5, 10], [-0.11, 51.51, 20], ["x", 1]] };

describe("trackLines", () => {
  it("reads a Feature, swapping to [lat, lon]", () => {
    expect(trackLines({ type: "Feature", properties: {}, geometry: line })).toEqual([[[51.5, -0.1], [51.51, -0.11]]]);
  });

  it("reads a FeatureCollection, skipping points", () => {
    const fc = { type: "FeatureCollection", features: [
      { type: "Feature", geometry: { type: "Point", coordinates: [0, 0] } },
      { type: "Feature", geometry: line },
      { type: "Feature", geometry: { type: "MultiLineString", coordinates: [[[1, 2], [3, 4]]] } },
    ] };
    expect(trackLines(fc)).toEqual([[[51.5, -0.1], [51.51, -0.11]], [[2, 1], [4, 3]]]);
  });

  it("gives no track for anything else", () => {
    expect(trackLines(null)).toEqual([]);
    expect(trackLines({ type: "Feature", geometry: null })).toEqual([]);
    expect(trackLines({ type: "LineString", coordinates: [] })).toEqual([]);
  });
});

describe("trackBounds and trackEnds", () => {
  const lines: [number, number][][] = [[[51.5, -0.1], [51.51, -0.11]], [[51.49, -0.12]]];

  it("boxes the lines and places", () => {
    expect(trackBounds(lines, [{ lat: 51.6, lon: 0 }, null])).toEqual([[51.49, -0.12], [51.6, 0]]);
    expect(trackBounds([])).toBeNull();
  });

  it("takes the catalogue's places, else the track's ends", () => {
    expect(trackEnds(lines, null, null)).toEqual({ takeoff: { lat: 51.5, lon: -0.1 }, landing: { lat: 51.49, lon: -0.12 } });
    expect(trackEnds(lines, { lat: 1, lon: 2 }, null).takeoff).toEqual({ lat: 1, lon: 2 });
    expect(trackEnds([], null, null)).toEqual({ takeoff: null, landing: null });
  });
});
