import { describe, expect, it } from "vitest";
import type { FlightChartsResponse, ReplayFlight } from "../../../../../server/protocol";
import { CHARTS } from "./definitions";
import { DASHES, shapeChart, tightRange, unionSorted } from "./shape";

const T0 = Date.UTC(2026, 10, 21, 9, 36, 42, 551);
const altitude = CHARTS.find((c) => c.id === "altitude")!;
const link = CHARTS.find((c) => c.id === "link")!;

function flight(id: number, vehicle: ReplayFlight["vehicle"], shiftMs = 0): ReplayFlight {
  return {
    id, vehicle, vehicleType: "copter", startedAt: T0, endedAt: T0 + 195_000, shiftMs,
    integrity: "verified", sha256: null,
  };
}

function charts(id: number, t0: number, series: FlightChartsResponse["series"]): FlightChartsResponse {
  return { flightId: id, vehicle: "1:1", t0, series, entries: 100, maxPoints: 2000 };
}

describe("unionSorted", () => {
  it("merges ascending arrays without repeats", () => {
    expect(unionSorted([[1, 3, 5], [2, 3, 6], []])).toEqual([1, 2, 3, 5, 6]);
    expect(unionSorted([])).toEqual([]);
  });
});

describe("shapeChart", () => {
  it("places one flight's series on the session clock, one y array per line, the second dashed", () => {
    const data = new Map([[12, charts(12, T0, {
      altRelative: { t: [0, 250, 500], v: [0, 15.5, 30.01] },
      altAmsl: { t: [0, 500], v: [10.06, 40.1] },
    })]]);
    const shape = shapeChart(altitude, [flight(12, "1:1")], data)!;
    expect(shape.x).toEqual([T0, T0 + 250, T0 + 500]);
    expect(shape.ys).toEqual([[0, 15.5, 30.01], [10.06, null, 40.1]]);
    expect(shape.lines.map((l) => [l.label, l.dash, l.scale])).toEqual([["above home", DASHES[0], "y"], ["AMSL", DASHES[1], "y"]]);
    expect(shape.scales).toEqual(["y"]);
  });

  it("gives several flights a line each, named by vehicle and flight, the shifted one moved by its shift", () => {
    const data = new Map([
      [1, charts(1, T0, { altRelative: { t: [0, 1000], v: [0, 30] } })],
      [2, charts(2, T0 - 86_400_000, { altRelative: { t: [0, 1000], v: [0, 20] } })],
    ]);
    const flights = [flight(1, "1:1"), flight(2, "2:1", 86_400_000 + 500)];
    const shape = shapeChart(altitude, flights, data)!;
    expect(shape.x).toEqual([T0, T0 + 500, T0 + 1000, T0 + 1500]);
    expect(shape.ys).toEqual([[0, null, 30, null], [null, 0, null, 20]]);
    expect(shape.lines.map((l) => [l.label, l.vehicle, l.flightId])).toEqual([
      ["above home · 1:1 #1", "1:1", 1], ["above home · 2:1 #2", "2:1", 2],
    ]);
  });

  it("leaves out a chart none of whose series the files have, and puts a second scale on the right", () => {
    const data = new Map([[1, charts(1, T0, { packetLoss: { t: [500], v: [0] } })]]);
    expect(shapeChart(altitude, [flight(1, "1:1")], data)).toBeNull();
    expect(shapeChart(altitude, [flight(1, "1:1")], new Map())).toBeNull();
    expect(shapeChart(link, [flight(1, "1:1")], data)!.scales).toEqual(["y"]);
    const radio = new Map([[1, charts(1, T0, { rssi: { t: [0], v: [200] }, packetLoss: { t: [500], v: [2.5] } })]]);
    expect(shapeChart(link, [flight(1, "1:1")], radio)!.scales).toEqual(["y", "rssi"]);
  });

  it("keeps a bucket's two points at one moment without losing the later one", () => {
    const data = new Map([[1, charts(1, T0, { altRelative: { t: [0, 0, 100], v: [1, 2, 3] } })]]);
    expect(shapeChart(altitude, [flight(1, "1:1")], data)!.ys[0]).toEqual([2, 3]);
  });
});

describe("tightRange", () => {
  it("fits the data with a tenth of its span either side, at least 0.1", () => {
    expect(tightRange(11, 13)).toEqual([10.8, 13.2]);
    expect(tightRange(12.6, 12.6)).toEqual([12.5, 12.7]);
    expect(tightRange(null, 3)).toEqual([null, null]);
  });
});
