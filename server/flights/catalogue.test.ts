import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { AppSql, migrate, openDatabase } from "../storage";
import { MIGRATIONS } from "../migrations";
import type { Db } from "../storage";
import { describeOnEngines } from "../../test/support/storage/engines";
import { FlightCatalogue } from "./catalogue";
import type { NewFlight } from "./catalogue";

let db: Db | null = null;
afterEach(() => db?.close());

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const flight = (sysid: number, startedAt: number, over: Partial<NewFlight> = {}): NewFlight => ({
  vehicle: { key: `${sysid}:1`, sysid, compid: 1, type: "copter", name: null },
  startedAt, tlogPath: `flights/${sysid}-1/${startedAt}.tlog`, status: "recording", pilot: "pia", previousId: null, source: "live",
  ...over,
});
const STATS = {
  armedAt: T0 + 30_000, disarmedAt: T0 + 176_000, distanceM: 812.5, maxAltRelM: 30.2, maxDistHomeM: 180,
  takeoff: { lat: 51.5074, lon: -0.1278 }, landing: { lat: 51.50741, lon: -0.12781 },
  bbox: [-0.1290, 51.5070, -0.1250, 51.5090] as [number, number, number, number], packets: 21_000, packetsIn: 20_500, packetsOut: 500,
  messages: [], messagesDropped: 0, endedAt: null,
};

describeOnEngines("the flight catalogue", ({ open, exec }) => {
  it("creates, updates and seals a flight; a sealed file, size and hash never change", async () => {
    const sql = await open();
    const c = new FlightCatalogue(sql);
    const id = await c.create(flight(1, T0));
    await c.updateStats(id, STATS);
    await c.seal(id, { endedAt: T0 + 186_000, sizeBytes: 812_345, sha256: "ab".repeat(32) });
    expect(await c.get(id)).toMatchObject({
      id, status: "closed", durationS: 146, distanceM: 812.5, maxAltRelM: 30.2, sizeBytes: 812_345, sha256: "ab".repeat(32),
      takeoff: { lat: 51.5074, lon: -0.1278 }, pilot: "pia", endedAt: T0 + 186_000, vehicle: { key: "1:1", type: "copter" },
    });
    await expect(c.seal(id, { endedAt: T0, sizeBytes: 1, sha256: "cd".repeat(32) })).rejects.toThrow(/already sealed/);
    await expect(exec(sql, `UPDATE flights SET sha256 = 'x' WHERE id = ${id}`)).rejects.toThrow(/cannot change/);
    await expect(exec(sql, `UPDATE flights SET size_bytes = 1 WHERE id = ${id}`)).rejects.toThrow(/cannot change/);
    await expect(exec(sql, `DELETE FROM flights WHERE id = ${id}`)).rejects.toThrow(/cannot be deleted/);
    // Notes and statistics may still be added to a sealed flight.
    await c.addNote(id, "rita", T0 + 1, "Incident 4711: suspect vehicle followed");
    await c.updateStats(id, { ...STATS, distanceM: 813 });
    expect(await c.get(id)).toMatchObject({ distanceM: 813, notes: [{ author: "rita", text: "Incident 4711: suspect vehicle followed" }] });
  });

  it("lists newest first, filtered by vehicle, time range and box, paged; finds flights still recording", async () => {
    const c = new FlightCatalogue(await open());
    const a = await c.create(flight(1, T0));
    const b = await c.create(flight(2, T0 + 3_600_000));
    const d = await c.create(flight(1, T0 + 7_200_000, { previousId: a }));
    await c.updateStats(a, STATS);
    await c.seal(a, { endedAt: T0 + 186_000, sizeBytes: 1, sha256: "00".repeat(32) });
    await c.updateStats(b, { ...STATS, bbox: [2.29, 48.85, 2.30, 48.86] });
    expect((await c.list({})).flights.map((f) => f.id)).toEqual([d, b, a]);
    expect((await c.list({ vehicle: "1:1" })).flights.map((f) => f.id)).toEqual([d, a]);
    expect((await c.list({ from: T0 + 3_000_000, to: T0 + 4_000_000 })).flights.map((f) => f.id)).toEqual([b]);
    expect((await c.list({ bbox: [-0.2, 51.4, -0.1, 51.6] })).flights.map((f) => f.id)).toEqual([a]);
    expect(await c.list({ limit: 2, offset: 1 })).toMatchObject({ total: 3, offset: 1, limit: 2, flights: [{ id: b }, { id: a }] });
    expect((await c.recording()).map((f) => f.id)).toEqual([b, d]);
    expect((await c.get(d))?.previousId).toBe(a);
  });
});

describeOnEngines("a flight's messages and packet counts", ({ open }) => {
  const msg = (n: number) => ({ time: T0 + n * 1000, severity: n % 2 === 0 ? "info" as const : "critical" as const, text: `text ${n}` });
  const list = (n: number) => Array.from({ length: n }, (_, i) => msg(i));

  it("appends what is new while recording, replaces the list from a whole record, and counts each direction", async () => {
    const c = new FlightCatalogue(await open());
    const id = await c.create(flight(1, T0));
    await c.updateStats(id, { ...STATS, messages: list(2) }, "append");
    await c.updateStats(id, { ...STATS, messages: list(5), messagesDropped: 3 }, "append");
    expect(await c.messages(id)).toEqual(list(5).map((m, seq) => ({ seq, ...m })));
    expect(await c.get(id)).toMatchObject({ packets: 21_000, packetsReceived: 20_500, packetsSent: 500, messageCount: 5, messagesDropped: 3 });
    // A rebuild from the file is the whole list, whatever was appended before.
    await c.updateStats(id, { ...STATS, messages: [msg(7)] });
    expect(await c.messages(id)).toEqual([{ seq: 0, ...msg(7) }]);
    expect(await c.get(id)).toMatchObject({ messageCount: 1, messagesDropped: 0 });
    // Another flight's list is its own.
    expect(await c.messages(await c.create(flight(2, T0)))).toEqual([]);
  });

});

describeOnEngines("interrupted flights", ({ open }) => {
  it("are sealed as interrupted, armed until their last packet, and name the segment that continues them", async () => {
    const c = new FlightCatalogue(await open());
    const a = await c.create(flight(1, T0));
    await c.updateStats(a, { ...STATS, disarmedAt: null, endedAt: T0 + 90_000 });
    await c.seal(a, { endedAt: T0 + 90_000, sizeBytes: 10, sha256: "ab".repeat(32) }, "interrupted");
    const b = await c.create(flight(1, T0 + 102_400, { previousId: a }));
    expect(await c.get(a)).toMatchObject({ status: "interrupted", disarmedAt: null, durationS: 60, continuedBy: { id: b, gapMs: 12_400 } });
    expect(await c.get(b)).toMatchObject({ status: "recording", continuedBy: null, integrity: { state: "recording" } });
    // An interrupted flight is listed with the others, whatever the filter.
    expect((await c.list({ vehicle: "1:1", from: T0, to: T0 + 60_000 })).flights.map((f) => f.id)).toEqual([a]);
    // Only a flight being recorded takes its ending from the seal.
    const imported = await c.create(flight(2, T0, { status: "imported" }));
    await c.seal(imported, { endedAt: T0 + 1, sizeBytes: 1, sha256: "cd".repeat(32) }, "interrupted");
    expect(await c.get(imported)).toMatchObject({ status: "imported", integrity: { state: "unchecked", checkedAt: null } });
  });
});


describeOnEngines("flights written whole, and the recorder's batches", ({ open }) => {
  const SEAL = { endedAt: T0 + 186_000, sizeBytes: 812_345, sha256: "ab".repeat(32) };

  it("creates and seals a whole record's flights in one transaction, rolled back with what runs before its commit", async () => {
    const c = new FlightCatalogue(await open());
    const whole = [
      { flight: flight(1, T0, { status: "imported" }), stats: { ...STATS, messages: [{ time: T0, severity: "info" as const, text: "armed" }] }, seal: SEAL },
      { flight: flight(2, T0), stats: STATS, seal: { ...SEAL, sha256: "cd".repeat(32) } },
    ];
    await expect(c.createSealed(whole, () => {
      throw new Error("the report could not be written");
    })).rejects.toThrow(/report could not be written/);
    expect((await c.list({})).total).toBe(0);
    let seen: number[] = [];
    const ids = await c.createSealed(whole, (inside) => {
      seen = inside;
    });
    expect(seen).toEqual(ids);
    expect(await c.get(ids[0]!)).toMatchObject({ status: "imported", sha256: "ab".repeat(32), distanceM: 812.5, messageCount: 1 });
    // Created as being recorded, it is closed by its seal.
    expect(await c.get(ids[1]!)).toMatchObject({ status: "closed", sha256: "cd".repeat(32), durationS: 146 });
  });

  it("writes several flights' statistics and pilots at once, appending messages, never replacing a named pilot", async () => {
    const c = new FlightCatalogue(await open());
    const a = await c.create(flight(1, T0, { pilot: null }));
    const b = await c.create(flight(2, T0));
    const msg = (n: number) => ({ time: T0 + n, severity: "info" as const, text: `m${n}` });
    await c.updateMany([{ id: a, stats: { ...STATS, messages: [msg(1)] }, pilot: "rita" }, { id: b, stats: null, pilot: "paul" }]);
    await c.updateMany([{ id: a, stats: { ...STATS, packets: 22_000, messages: [msg(1), msg(2)] }, pilot: "paul" }]);
    expect(await c.get(a)).toMatchObject({ pilot: "rita", packets: 22_000, messageCount: 2 });
    expect(await c.get(b)).toMatchObject({ pilot: "pia", packets: 0 });
    expect((await c.messages(a)).map((m) => m.text)).toEqual(["m1", "m2"]);
  });

  it("gives each server the flights it left recording, and those no server is named for, never another server's", async () => {
    const c = new FlightCatalogue(await open());
    const mine = await c.create(flight(1, T0, { recordedBy: "server-a" }));
    await c.create(flight(2, T0, { recordedBy: "server-b" }));
    const old = await c.create(flight(3, T0));
    expect((await c.recording("server-a")).map((f) => f.id)).toEqual([mine, old]);
    // One server, no ids: all of them.
    expect(await c.recording()).toHaveLength(3);
    expect(await c.get(mine)).toMatchObject({ recordedBy: "server-a" });
  });

  it("seals a flight a crash interrupted with the statistics of its file, in one go", async () => {
    const c = new FlightCatalogue(await open());
    const a = await c.create(flight(1, T0));
    await c.sealInterrupted(a, { stats: { ...STATS, disarmedAt: null, endedAt: T0 + 90_000 }, seal: { ...SEAL, endedAt: T0 + 90_000 } });
    expect(await c.get(a)).toMatchObject({ status: "interrupted", durationS: 60, endedAt: T0 + 90_000, sha256: "ab".repeat(32) });
    expect(await c.recording()).toEqual([]);
  });
});

describe("flights counted before packet directions were told apart (SQLite, migrations 11 to 12)", () => {
  it("are unknown (null), not zero, for a flight counted before directions were told apart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-flights-m12-"));
    const log = pino({ level: "silent" });
    db = openDatabase(path.join(dir, "app.db"), log);
    migrate(db, MIGRATIONS.slice(0, 11), log);
    const id = Number(db.prepare(`INSERT INTO flights (vehicle_key, sysid, compid, vehicle_type, started_at, tlog_path, status, packets, source)
      VALUES ('1:1', 1, 1, 'copter', ?, 'f/old.tlog', 'closed', 1234, 'live')`).run(T0).lastInsertRowid);
    migrate(db, MIGRATIONS, log);
    expect(await new FlightCatalogue(AppSql.sqlite(db)).get(id)).toMatchObject({ packets: 1234, packetsReceived: null, packetsSent: null, messageCount: 0, messagesDropped: 0 });
  });
});

describe("migration 10", () => {
  it("rebuilds flights to allow \"interrupted\", keeping rows, notes, links, ids, indexes and triggers", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-flights-m10-"));
    const log = pino({ level: "silent" });
    db = openDatabase(path.join(dir, "app.db"), log);
    migrate(db, MIGRATIONS.slice(0, 9), log);
    // Written with the SQL of version 9 (the catalogue of today reads columns it does not have yet).
    const insert = (sysid: number, startedAt: number, previousId: number | null) => Number(db!.prepare(`INSERT INTO flights
      (vehicle_key, sysid, compid, vehicle_type, started_at, tlog_path, status, previous_id, source)
      VALUES (?, ?, 1, 'copter', ?, ?, 'recording', ?, 'live')`).run(`${sysid}:1`, sysid, startedAt, `f/${startedAt}.tlog`, previousId).lastInsertRowid);
    const a = insert(1, T0, null);
    db.prepare("UPDATE flights SET ended_at = ?, size_bytes = 5, sha256 = ?, status = 'closed' WHERE id = ?").run(T0 + 1000, "ab".repeat(32), a);
    const b = insert(1, T0 + 5000, a);
    db.prepare("INSERT INTO flight_notes (flight_id, author, time, text) VALUES (?, 'rita', ?, 'kept')").run(b, T0);
    const gone = insert(2, T0 + 9000, null);
    db.prepare("DELETE FROM flights WHERE id = ?").run(gone);
    migrate(db, MIGRATIONS, log);
    const c = new FlightCatalogue(AppSql.sqlite(db));
    expect(await c.get(a)).toMatchObject({ status: "closed", sha256: "ab".repeat(32), continuedBy: { id: b, gapMs: 4000 } });
    expect(await c.get(b)).toMatchObject({ previousId: a, notes: [{ author: "rita", text: "kept" }] });
    expect(db.pragma("foreign_key_check")).toEqual([]);
    const names = (db.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'flights' AND type IN ('index', 'trigger')").all() as { name: string }[])
      .map((r) => r.name).sort();
    expect(names).toEqual(expect.arrayContaining(["flights_no_delete", "flights_previous", "flights_sealed", "flights_time", "flights_vehicle_time"]));
    expect(() => db!.prepare("UPDATE flights SET sha256 = 'x' WHERE id = ?").run(a)).toThrow(/cannot change/);
    expect(() => db!.prepare("DELETE FROM flights WHERE id = ?").run(a)).toThrow(/cannot be deleted/);
    expect(() => db!.prepare("INSERT INTO flight_notes (flight_id, author, time, text) VALUES (999, 'x', 0, 'x')").run()).toThrow(/FOREIGN KEY/);
    // The id of the deleted row is not reused; the new status is accepted, an unknown one still is not.
    const next = await c.create(flight(3, T0 + 20_000));
    expect(next).toBeGreaterThan(gone);
    await c.seal(next, { endedAt: T0 + 21_000, sizeBytes: 1, sha256: "ef".repeat(32) }, "interrupted");
    expect((await c.get(next))?.status).toBe("interrupted");
    expect(() => db!.prepare("UPDATE flights SET status = 'lost' WHERE id = ?").run(b)).toThrow(/CHECK/);
  });
});
