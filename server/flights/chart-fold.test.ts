import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parseTlog } from "../mavlink";
import { CHART_MAX_POINTS } from "../protocol";
import { ChartFold } from "./chart-fold";
import { readCharts } from "./chart-read";

const FIXTURE = new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname;
const VEHICLE = { sysid: 1, compid: 1 };
const ANY_TIME = { from: 0, to: Number.MAX_SAFE_INTEGER };

describe("the review charts of the recorded ArduCopter flight", async () => {
  const charts = await readCharts({ file: FIXTURE, vehicle: VEHICLE, window: ANY_TIME });
  const s = charts.series;
  const max = (name: keyof typeof s) => Math.max(...s[name]!.v);
  const min = (name: keyof typeof s) => Math.min(...s[name]!.v);

  it("reads every entry of the vehicle and starts at its first", () => {
    expect(charts.entries).toBe(21_259);
    // First entry of the file: 2026-11-21T09:36:42.551Z.
    expect(charts.t0).toBe(1_795_234_602_551);
  });

  it("has the altitudes of a take-off to 30 m over a field about 10 m above sea level", () => {
    expect(max("altRelative")).toBeGreaterThan(29.5);
    expect(max("altRelative")).toBeLessThan(31);
    expect(min("altRelative")).toBeGreaterThan(-1);
    expect(max("altAmsl") - max("altRelative")).toBeCloseTo(10.1, 0);
    expect(max("groundSpeed")).toBeGreaterThan(5);
    expect(max("climb")).toBeGreaterThan(1);
    expect(min("climb")).toBeLessThan(-1);
  });

  it("has a plausible 3S battery draining, a GPS lock, and quiet vibration and EKF", () => {
    expect(min("voltage")).toBeGreaterThan(10);
    expect(max("voltage")).toBeLessThan(12.7);
    expect(max("current")).toBeGreaterThan(5);
    expect(max("remaining")).toBe(100);
    expect(min("remaining")).toBeLessThan(100);
    expect(max("satellites")).toBe(10);
    expect(min("hdop")).toBeGreaterThan(0);
    expect(max("vibeX")).toBeLessThan(3);
    expect(s.ekfPosHoriz!.v.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it("sees no loss on a TCP link, and no radio (SITL has none)", () => {
    expect(max("packetLoss")).toBe(0);
    expect(s.rssi).toBeUndefined();
  });

  it("keeps every series within the point budget and in time order", () => {
    for (const series of Object.values(s)) {
      expect(series.t.length).toBe(series.v.length);
      expect(series.t.length).toBeLessThanOrEqual(CHART_MAX_POINTS);
      for (let i = 1; i < series.t.length; i++) expect(series.t[i]!).toBeGreaterThanOrEqual(series.t[i - 1]!);
    }
  });
});

describe("ChartFold", () => {
  const entries = parseTlog(fs.readFileSync(FIXTURE)).entries;

  it("counts packets lost from the vehicle's sequence numbers", () => {
    const fold = new ChartFold(VEHICLE, ANY_TIME);
    // Every 10th packet dropped, as a lossy radio would.
    entries.forEach((e, i) => { if (i % 10 !== 9) fold.push(e.timeUs, e.frame); });
    const loss = fold.finish().series.packetLoss!.v;
    const mean = loss.reduce((a, b) => a + b, 0) / loss.length;
    expect(mean).toBeGreaterThan(7);
    expect(mean).toBeLessThan(13);
  });

  it("leaves out entries stamped outside the flight's span and other vehicles' packets", () => {
    const first = entries[0]!.timeUs / 1000;
    const inSpan = new ChartFold(VEHICLE, { from: first, to: first + 60_000 });
    const otherVehicle = new ChartFold({ sysid: 2, compid: 1 }, ANY_TIME);
    for (const e of entries) {
      inSpan.push(e.timeUs, e.frame);
      otherVehicle.push(e.timeUs, e.frame);
    }
    const minute = inSpan.finish();
    expect(minute.entries).toBeGreaterThan(5000);
    expect(minute.entries).toBeLessThan(8000);
    expect(Math.max(...minute.series.voltage!.t)).toBeLessThanOrEqual(60_000);
    expect(otherVehicle.finish()).toMatchObject({ entries: 0, series: {} });
  });
});
