import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { AppSql, openAppDatabase } from "../storage";
import { MIGRATIONS } from "../migrations";
import type { Db } from "../storage";
import { FlightCatalogue } from "./catalogue";
import { rebuildCatalogue } from "./rebuild";
import { SqliteSeriesStore } from "./series";

const log = pino({ level: "silent" });
const FIXTURE = new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname;
// As the recorder names it: flights/<sysid>-<compid>/<start>.tlog.
const FLIGHT_FILE = "flights/1-1/2026-11-20T14-03-00.000Z.tlog";

let dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs) if (db.open) db.close();
  dbs = [];
});

/** A data directory holding the fixture as a flight file, and a catalogue that lost its row. */
function lostCatalogue(rateHz?: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-rebuild-"));
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.copyFileSync(FIXTURE, path.join(dataDir, FLIGHT_FILE));
  const db = openAppDatabase(dataDir, log, MIGRATIONS);
  dbs.push(db);
  const catalogue = new FlightCatalogue(AppSql.sqlite(db));
  const store = new SqliteSeriesStore(db, { log });
  const rebuild = () => rebuildCatalogue(catalogue, dataDir, log, {
    series: { store, rateHz },
  });
  return { dataDir, db, catalogue, store, rebuild };
}

describe("rebuild from the files", () => {
  it("adds a closed row for a flight file without one: stats as recorded, sealed with the file's size and hash", async () => {
    const s = lostCatalogue();
    const results = await s.rebuild();
    expect(results).toEqual([expect.objectContaining({ outcome: "added", tlogPath: FLIGHT_FILE, id: expect.any(Number) })]);
    const flight = (await s.catalogue.get(results[0]!.id!))!;
    const bytes = fs.readFileSync(FIXTURE);
    expect(flight).toMatchObject({
      status: "closed", source: "rebuild", tlogPath: FLIGHT_FILE, sizeBytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter" },
    });
    expect(flight.durationS).toBeGreaterThan(140);
    expect(flight.durationS).toBeLessThan(152);
    expect(flight.maxAltRelM).toBeGreaterThan(28);
    expect(flight.maxAltRelM).toBeLessThan(32);
    // Lands near home (the mission returns to launch).
    expect(Math.abs(flight.landing!.lat - 51.5074)).toBeLessThan(0.0005);
    expect(Math.abs(flight.landing!.lon + 0.1278)).toBeLessThan(0.0005);
  });

  it("rebuilds the flight's series on the file's clock at ~5 Hz, and a second run changes nothing", async () => {
    const s = lostCatalogue();
    const [added] = await s.rebuild();
    const flight = (await s.catalogue.get(added!.id!))!;
    const range = { kind: "position" as const, flightId: flight.id, from: flight.startedAt, to: flight.endedAt! };
    const first = await s.store.query(range);
    const times = first.samples.map((p) => p.time);
    // Dated by the recording, not by when the rebuild ran.
    expect(times[0]).toBeGreaterThanOrEqual(flight.startedAt);
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    // Ticks at 5 Hz; this recording's telemetry comes in bursts 4 times a second (GLOBAL_POSITION_INT at 4 Hz),
    // and a tick with nothing new writes nothing: ~4 samples a second, never more than 5.
    const spanS = (times[times.length - 1]! - times[0]!) / 1000;
    expect(times.length / spanS).toBeGreaterThan(3.8);
    expect(times.length / spanS).toBeLessThanOrEqual(5);
    const gaps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(200);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThanOrEqual(260);
    const maxAlt = Math.max(...first.samples.map((p) => p.values.altRelative ?? -Infinity));
    expect(maxAlt).toBeGreaterThan(28);
    expect(maxAlt).toBeLessThan(32);
    expect(added!.seriesPoints).toBeGreaterThan(first.samples.length);

    const counts = () => Object.fromEntries(["position", "attitude", "battery", "gps", "status"].map((t) => [t,
      (s.db.prepare(`SELECT COUNT(*) AS n FROM series_${t}`).get() as { n: number }).n]));
    const before = counts();
    const again = await s.rebuild();
    expect(again).toEqual([expect.objectContaining({ outcome: "updated", id: flight.id, seriesPoints: added!.seriesPoints })]);
    expect((await s.catalogue.list({})).total).toBe(1);
    expect(counts()).toEqual(before);
    expect(await s.catalogue.get(flight.id)).toEqual(flight);
  });

  it("reports a file that no longer matches its seal and leaves its row and series alone", async () => {
    const s = lostCatalogue();
    const [added] = await s.rebuild();
    fs.appendFileSync(path.join(s.dataDir, FLIGHT_FILE), Buffer.from([0]));
    expect(await s.rebuild()).toEqual([expect.objectContaining({ id: added!.id, outcome: "hash-mismatch", seriesPoints: 0 })]);
    expect((await s.catalogue.list({})).total).toBe(1);
  });

  it("reports a file under flights/ in which no vehicle arms, and catalogues nothing", async () => {
    const s = lostCatalogue();
    fs.writeFileSync(path.join(s.dataDir, "flights/1-1/empty.tlog"), Buffer.alloc(0));
    const results = await s.rebuild();
    expect(results.map((r) => [r.tlogPath, r.outcome])).toEqual([[FLIGHT_FILE, "added"], ["flights/1-1/empty.tlog", "unrecognised"]]);
    expect((await s.catalogue.list({})).total).toBe(1);
  });

  it("follows the configured series rate", async () => {
    const s = lostCatalogue(1);
    const [added] = await s.rebuild();
    const flight = (await s.catalogue.get(added!.id!))!;
    const r = await s.store.query({ kind: "position", flightId: flight.id, from: flight.startedAt, to: flight.endedAt! });
    const spanS = (r.samples[r.samples.length - 1]!.time - r.samples[0]!.time) / 1000;
    expect(r.samples.length / spanS).toBeGreaterThan(0.9);
    expect(r.samples.length / spanS).toBeLessThanOrEqual(1.01);
  });
});
