import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FlightSummary } from "../protocol";
import type { ChartFoldResult } from "./chart-fold";
import type { ChartReader } from "./flight-charts";
import { FlightCharts } from "./flight-charts";

const FIXTURE = new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname;
const log = pino({ level: "silent" });
const T0 = 1_795_234_602_551;

function flight(over: Partial<FlightSummary> = {}): FlightSummary {
  return {
    id: 7, vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null },
    startedAt: T0, endedAt: T0 + 195_000, armedAt: null, disarmedAt: null, durationS: null, distanceM: 0,
    maxAltRelM: null, maxDistHomeM: null, takeoff: null, landing: null, pilot: null, tlogPath: "flights/f.tlog",
    sizeBytes: 1, sha256: "ab".repeat(32), status: "closed", packets: 0, packetsReceived: null, packetsSent: null,
    messageCount: 0, messagesDropped: 0, previousId: null, continuedBy: null,
    integrity: { state: "verified", checkedAt: null, actualSizeBytes: null, actualSha256: null },
    source: "live", notes: [], ...over,
  };
}

interface HeldRead {
  resolve: (r: ChartFoldResult) => void;
  signal: AbortSignal;
}

/** A reader whose reads finish when the test says so; `next()` resolves with the next read it is asked for. */
function heldReader() {
  const calls: HeldRead[] = [];
  const waiters: ((c: HeldRead) => void)[] = [];
  const read: ChartReader = (_req, signal) => new Promise((resolve, reject) => {
    const call = { resolve, signal };
    calls.push(call);
    waiters.shift()?.(call);
    signal.addEventListener("abort", () => reject(new Error("aborted")));
  });
  let taken = 0;
  const next = (): Promise<HeldRead> => {
    const i = taken++;
    return calls[i] ? Promise.resolve(calls[i]) : new Promise((r) => waiters.push(r));
  };
  return { calls, read, next };
}
const RESULT: ChartFoldResult = { t0: T0, series: { voltage: { t: [0], v: [12.5] } }, entries: 1 };

let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-charts-"));
  fs.mkdirSync(path.join(dataDir, "flights"));
  fs.copyFileSync(FIXTURE, path.join(dataDir, "flights/f.tlog"));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("FlightCharts", () => {
  it("reads a sealed flight in a worker thread once, then answers from the kept copy", async () => {
    const charts = new FlightCharts({ dataDir, log });
    const first = await charts.get(flight());
    expect(first).toMatchObject({ ok: true, cached: false, body: { flightId: 7, vehicle: "1:1", t0: T0, entries: 21_259, maxPoints: 2000 } });
    const kept = fs.readdirSync(path.join(dataDir, "derived/charts"));
    expect(kept).toEqual([`${"ab".repeat(32)}-1-1-v1.json`]);
    const again = await charts.get(flight({ id: 8 }));
    expect(again).toMatchObject({ ok: true, cached: true, body: { flightId: 8 } });
    if (!first.ok || !again.ok) throw new Error("unreachable");
    expect(again.body.series).toEqual(first.body.series);
    expect(Math.max(...first.body.series.altRelative!.v)).toBeGreaterThan(29.5);
  });

  it("reads a damaged kept copy again, and never keeps a flight still recording", async () => {
    const { read, next } = heldReader();
    const charts = new FlightCharts({ dataDir, log, read });
    const kept = path.join(dataDir, "derived/charts", `${"ab".repeat(32)}-1-1-v1.json`);
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    fs.writeFileSync(kept, "{\"t0\":");
    const sealed = charts.get(flight());
    (await next()).resolve(RESULT);
    expect(await sealed).toMatchObject({ ok: true, cached: false });
    expect(JSON.parse(fs.readFileSync(kept, "utf8"))).toEqual(RESULT);
    const recording = charts.get(flight({ sha256: null, status: "recording", endedAt: null }));
    (await next()).resolve(RESULT);
    expect(await recording).toMatchObject({ ok: true, cached: false });
    expect(fs.readdirSync(path.dirname(kept))).toHaveLength(1);
  });

  it("answers tlog_missing for a file that is not there or outside the data directory", async () => {
    const charts = new FlightCharts({ dataDir, log });
    expect(await charts.get(flight({ tlogPath: "flights/none.tlog" }))).toMatchObject({ ok: false, status: 404, code: "tlog_missing" });
    expect(await charts.get(flight({ tlogPath: "../../etc/passwd" }))).toMatchObject({ ok: false, status: 404, code: "tlog_missing" });
  });

  it("reads one file once for concurrent requests, runs a bounded number at once and refuses past the queue", async () => {
    const { calls, read, next } = heldReader();
    const charts = new FlightCharts({ dataDir, log, read, maxRunning: 1, maxWaiting: 1 });
    const a1 = charts.get(flight());
    const a2 = charts.get(flight());
    const first = await next();
    const b = charts.get(flight({ sha256: "cd".repeat(32) }));
    while (charts.queued === 0) await new Promise(setImmediate);
    // b waits for the one slot; the next distinct file finds the queue full.
    expect(await charts.get(flight({ sha256: "ef".repeat(32) }))).toMatchObject({ ok: false, status: 503, code: "charts_busy" });
    expect(calls).toHaveLength(1);
    first.resolve(RESULT);
    expect(await a1).toMatchObject({ ok: true });
    expect(await a2).toMatchObject({ ok: true });
    (await next()).resolve(RESULT);
    expect(calls).toHaveLength(2);
    expect(await b).toMatchObject({ ok: true });
  });

  it("ends the reads under way when closed", async () => {
    const { read, next } = heldReader();
    const charts = new FlightCharts({ dataDir, log, read });
    const pending = charts.get(flight());
    const held = await next();
    charts.close();
    expect(held.signal.aborted).toBe(true);
    expect(await pending).toMatchObject({ ok: false, code: "charts_failed" });
    expect(await charts.get(flight({ sha256: "cd".repeat(32) }))).toMatchObject({ ok: false, status: 503 });
  });
});
