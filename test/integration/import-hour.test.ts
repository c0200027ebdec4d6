/**
 * A full hour of a police unit's recording — three ArduCopters booting, flying AUTO missions, landing and swapping
 * batteries, with the ground station's heartbeats and commands — imports as the flights that were flown, each with
 * the statistics of what was generated. The whole hour, not a shortened one: it is what a reviewer uploads after a
 * shift, and on this 2-core machine generating it takes ~2 s and importing it ~1 s.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlightCatalogue, haversineM, importTlog } from "../../server/flights";
import type { ImportReport } from "../../server/flights";
import { readTlogFile } from "../../server/mavlink";
import type { FlightSummary, VehicleKey } from "../../server/protocol";
import { AppSql, openAppDatabase } from "../../server/storage";
import { MIGRATIONS } from "../../server/migrations";
import type { Db } from "../../server/storage";
import { writeGeneratedTlog } from "../../sitl/tlog-gen";

const log = pino({ level: "silent" });
let work: string;
let db: Db;
let catalogue: FlightCatalogue;
let generated: Awaited<ReturnType<typeof writeGeneratedTlog>>;
let report: ImportReport;
let importSeconds: number;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-import-hour-"));
  const file = path.join(work, "shift.tlog");
  generated = await writeGeneratedTlog(file, { durationS: 3600, vehicles: 3 });
  const dataDir = path.join(work, "data");
  db = openAppDatabase(dataDir, log, MIGRATIONS);
  catalogue = new FlightCatalogue(AppSql.sqlite(db));
  const t0 = performance.now();
  report = await importTlog({ catalogue, dataDir, clock: Date.now, log }, { path: file, name: "shift.tlog" });
  importSeconds = (performance.now() - t0) / 1000;
}, 60_000);

afterAll(() => {
  db?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const flightsOf = async (key: VehicleKey): Promise<FlightSummary[]> =>
  (await catalogue.list({ vehicle: key, limit: 500 })).flights.sort((a, b) => a.armedAt! - b.armedAt!);

describe("importing a generated one-hour multi-vehicle .tlog", () => {
  it("reads every packet, finds nothing invalid, and is quick", () => {
    expect(generated.durationS).toBe(3600);
    expect(generated.packets).toBeGreaterThan(400_000);
    expect(report.packets).toBe(generated.packets);
    expect(report.invalid).toEqual({ garbageBytes: 0, crcErrors: 0, unknownMessages: 0, truncated: false });
    expect(report.sizeBytes).toBe(generated.sizeBytes);
    // ~1 s here; the bound leaves room for a loaded CI machine while still catching a quadratic slip.
    expect(importSeconds).toBeLessThan(20);
  });

  it("derives exactly one flight per generated arm/disarm cycle of each vehicle, and none for the ground station", async () => {
    const total = generated.vehicles.reduce((n, v) => n + v.flights.length, 0);
    expect(generated.vehicles.map((v) => v.flights.length).every((n) => n >= 2)).toBe(true);
    expect(report.flights).toHaveLength(total);
    for (const v of generated.vehicles) expect(await flightsOf(`${v.sysid}:${v.compid}`)).toHaveLength(v.flights.length);
    expect(await flightsOf("255:190")).toHaveLength(0);
  });

  it("gives each flight the statistics of what was flown", async () => {
    for (const v of generated.vehicles) {
      const found = await flightsOf(`${v.sysid}:${v.compid}`);
      v.flights.forEach((g, i) => {
        const f = found[i]!;
        expect(f).toMatchObject({ status: "imported", source: "import: shift.tlog", vehicle: { type: "copter", sysid: v.sysid } });
        // Arming and disarming are read from the heartbeats, so they match to the millisecond.
        expect(f.armedAt).toBe(g.armedAt);
        expect(f.disarmedAt).toBe(g.disarmedAt);
        expect(Math.abs(f.durationS! - (g.disarmedAt - g.armedAt) / 1000)).toBeLessThan(1);
        expect(Math.abs(f.maxAltRelM! - g.cruiseAltM)).toBeLessThan(0.5);
        // Positions are sampled at 5 Hz and the generator's flat-earth metres differ from haversine by ~0.1 %.
        expect(Math.abs(f.maxDistHomeM! - g.maxDistHomeM)).toBeLessThan(0.005 * g.maxDistHomeM + 3);
        expect(Math.abs(f.distanceM - g.pathM)).toBeLessThan(0.01 * g.pathM);
        expect(haversineM(f.takeoff!, v.home)).toBeLessThan(1);
        expect(haversineM(f.landing!, v.home)).toBeLessThan(1);
        // The record: 30 s before arming to 10 s after disarm (the next packet after it closes the flight).
        expect(f.startedAt).toBeGreaterThanOrEqual(g.armedAt - 30_000);
        expect(f.startedAt).toBeLessThan(g.armedAt - 29_000);
        expect(f.endedAt! - g.disarmedAt).toBeGreaterThanOrEqual(9_000);
        expect(f.endedAt! - g.disarmedAt).toBeLessThanOrEqual(10_000);
      });
    }
  });

  it("writes each flight's extract as a valid .tlog matching its seal", async () => {
    for (const entry of report.flights) {
      const f = (await catalogue.get(entry.id))!;
      const file = path.join(work, "data", f.tlogPath);
      const bytes = fs.readFileSync(file);
      expect(f.sizeBytes).toBe(bytes.length);
      expect(f.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      const parsed = readTlogFile(file);
      expect(parsed.counters).toMatchObject({ garbageBytes: 0, crcErrors: 0, unknownMessages: 0, truncated: 0 });
      expect(parsed.entries).toHaveLength(f.packets);
      expect(f.packets).toBe(entry.packets);
      // The vehicle's own packets and the ground station's (its heartbeats, the commands to this vehicle), no other's.
      const systems = new Set(parsed.entries.map((e) => e.frame.sysid));
      expect([...systems].sort((a, b) => a - b)).toEqual([f.vehicle.sysid, 255]);
    }
  });
});
