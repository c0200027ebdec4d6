import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlAlertStore } from "../alerts";
import { MIGRATIONS } from "../migrations";
import type { FlightSummary } from "../protocol";
import { AppSql, migrate, openDatabase } from "../storage";
import { fileChunks } from "./export";
import { flightReport, imageTrack, reportAlerts } from "./report";
import { ReportFold, reportFacts } from "./report-facts";
import type { ReportFacts } from "./report-facts";
import { FlightReports } from "./report-service";
import { factsInWorker } from "./report-thread";

const FIXTURE = new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname;
const log = pino({ level: "silent" });
const VEHICLE = { sysid: 1, compid: 1 };
// copter_flight_1_summary.json: connected at 1795234602.433 s, armed 41.945 s later, home 51.5073998,-0.1278.
const ARMED_MS = 1795234602433 + 41945;

function flight(over: Partial<FlightSummary> = {}): FlightSummary {
  return {
    id: 7, vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: "Alpha" }, startedAt: ARMED_MS - 30_000,
    endedAt: ARMED_MS + 160_000, armedAt: ARMED_MS, disarmedAt: ARMED_MS + 147_000, durationS: 147, distanceM: 600,
    maxAltRelM: 30, maxDistHomeM: 100, takeoff: null, landing: null, pilot: "pat", tlogPath: "flights/copter_flight_1.tlog",
    sizeBytes: 1000, sha256: "ab".repeat(32), status: "closed", packets: 21259, packetsReceived: 21259, packetsSent: 0,
    messageCount: 0, messagesDropped: 0, previousId: null, continuedBy: null,
    integrity: { state: "verified", checkedAt: ARMED_MS, actualSizeBytes: null, actualSha256: null }, source: "live", notes: [],
    ...over,
  };
}

let facts: ReportFacts;
beforeAll(async () => {
  facts = await reportFacts(fileChunks(FIXTURE), VEHICLE);
});

describe("the facts of a flight report, from the real ArduCopter recording", () => {
  it("finds lift-off after arming and touch-down back at home", () => {
    expect(facts.reference).toMatchObject({ lat: 51.5073998, lon: -0.1278 });
    expect(facts.reference!.time - ARMED_MS).toBeGreaterThanOrEqual(0);
    expect(facts.reference!.time - ARMED_MS).toBeLessThan(1000);
    // GUIDED take-off command a few seconds after arming; 1 m is reached within the climb.
    expect(facts.takeoff!.time - ARMED_MS).toBeGreaterThan(1000);
    expect(facts.takeoff!.time - ARMED_MS).toBeLessThan(10_000);
    expect(facts.landing!.time).toBeGreaterThan(facts.takeoff!.time + 120_000);
    expect(Math.abs(facts.landing!.lat - 51.5073998)).toBeLessThan(1e-5);
  });

  it("proves the maximum height (30 m mission altitude) and distance (the 100 m waypoints) with time and place", () => {
    expect(facts.maxHeight!.heightM).toBeCloseTo(30, 0);
    expect(facts.maxHeight!.time).toBeGreaterThan(facts.takeoff!.time);
    expect(facts.maxDistance!.distanceM).toBeGreaterThan(95);
    expect(facts.maxDistance!.distanceM).toBeLessThan(110);
    expect(facts.maxDistance!.heightM).toBeCloseTo(30, 0);
    expect(facts.autopilot).toBe("ArduPilot");
    expect(facts.positions).toBeGreaterThan(500);
    expect(facts.track.length).toBeGreaterThan(100);
  });

  it("reads the same facts in a worker thread, off the event loop", async () => {
    expect(await factsInWorker({ file: FIXTURE, vehicle: VEHICLE })).toEqual(facts);
  });

  it("takes the firmware from AUTOPILOT_VERSION and ignores a ground station's heartbeat", () => {
    const fold = new ReportFold();
    fold.message({ kind: "autopilotVersion", firmware: "4.7.0-dev" }, 1);
    fold.message({ kind: "heartbeat", mavType: 6, vehicleClass: "other", isVehicle: false, autopilot: "Invalid", autopilotId: 8,
      baseMode: 0, customMode: 0, armed: true, mode: "MODE(0)", systemStatus: "active" } as never, 2);
    expect(fold.facts()).toMatchObject({ firmware: "4.7.0-dev", autopilot: null, positions: 0, maxHeight: null });
  });
});

describe("the report", () => {
  it("says VLOS under 500 m with its rule, and how to check the .tlog's SHA-256 by its export name", () => {
    const r = flightReport({ flight: flight(), facts, alerts: { source: "none", items: [], more: 0 }, generatedAt: 5, generatedBy: "rev" });
    expect(r.operation.kind).toBe("VLOS");
    expect(r.operation.rule).toMatch(/500 m/);
    expect(r.date).toBe("2026-11-21");
    expect(r.flightTimeS).toBeGreaterThan(120);
    expect(r.evidence.fileName).toMatch(/^flight-7-1-\d{8}T\d{6}Z\.tlog$/);
    expect(r.evidence.howToCheck.join("\n")).toContain(`sha256sum ${r.evidence.fileName}`);
    expect(r.aircraft).toMatchObject({ vehicleType: "copter", name: "Alpha", sysid: 1, compid: 1, autopilot: "ArduPilot", firmware: null });
    const far = { ...facts, maxDistance: { ...facts.maxDistance!, distanceM: 501 } };
    expect(flightReport({ flight: flight(), facts: far, alerts: r.alerts, generatedAt: 5, generatedBy: "rev" }).operation.kind).toBe("BVLOS");
  });

  it("draws a long track with a bounded number of points", () => {
    // A survey's worth of circles widening over a few kilometres.
    const spiral: [number, number][] = Array.from({ length: 20_000 }, (_, i) => {
      const t = i / 50;
      return [-0.1 + t * 1e-4 * Math.cos(t), 51.5 + t * 1e-4 * Math.sin(t)];
    });
    const { points, toleranceM } = imageTrack(spiral, 1);
    expect(points.length).toBeLessThanOrEqual(1500);
    expect(points.length).toBeGreaterThan(10);
    expect(toleranceM).toBeGreaterThan(2);
  });

  it("lists the vehicle's alerts raised during the flight from the alert history", async () => {
    const db = openDatabase(":memory:", log);
    migrate(db, MIGRATIONS, log);
    const store = new SqlAlertStore(AppSql.sqlite(db));
    const base = { severity: "warning", count: 1, clearedAt: null, clearReason: null, acknowledgedBy: null, acknowledgedAt: null } as const;
    await store.save([
      { ...base, id: 1, key: "1:1", rule: "battery_low", text: "Battery low", raisedAt: ARMED_MS + 60_000, updatedAt: ARMED_MS + 60_000 },
      { ...base, id: 2, key: "2:1", rule: "battery_low", text: "other vehicle", raisedAt: ARMED_MS + 60_000, updatedAt: ARMED_MS },
      { ...base, id: 3, key: "1:1", rule: "link_lost", text: "before", raisedAt: ARMED_MS - 3_600_000, updatedAt: ARMED_MS },
    ]);
    const alerts = await reportAlerts(store, flight(), ARMED_MS + 999_999);
    expect(alerts.source).toBe("history");
    expect(alerts.items.map((a) => a.text)).toEqual(["Battery low"]);
    expect((await reportAlerts(store, flight({ status: "imported", vehicle: { ...flight().vehicle, key: "3:1" } }), 0)).source).toBe("none");
    db.close();
  });
});

describe("FlightReports", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-report-"));
    fs.mkdirSync(path.join(dataDir, "flights"));
    fs.copyFileSync(FIXTURE, path.join(dataDir, "flights/copter_flight_1.tlog"));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("reads a file once, refuses past its bound of concurrent reads, and names a missing file", async () => {
    let reads = 0;
    const pending: Array<() => void> = [];
    const reports = new FlightReports({
      dataDir, alerts: null, log, maxReads: 1,
      read: async () => {
        reads++;
        await new Promise<void>((resolve) => pending.push(resolve));
        return facts;
      },
    });
    const first = reports.report(flight(), "rev", 1);
    await expect.poll(() => pending.length).toBe(1);
    const busy = await reports.report(flight({ id: 8 }), "rev", 1);
    expect(busy).toMatchObject({ ok: false, error: { code: "report_busy" } });
    pending[0]!();
    expect((await first).ok).toBe(true);
    const again = await reports.report(flight(), "rev2", 2);
    expect(again.ok && again.value.generatedBy).toBe("rev2");
    expect(reads).toBe(1);
    const missing = await reports.report(flight({ tlogPath: "flights/none.tlog" }), "rev", 1);
    expect(missing).toMatchObject({ ok: false, error: { code: "tlog_missing" } });
  });
});
