import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { SERIES_FIELDS } from "../../protocol";
import { openDatabase } from "../../storage";
import type { Db } from "../../storage";
import { SqliteSeriesStore } from "./sqlite-store";
import { SERIES_TABLES, columnOf, seriesMigrations } from "./sqlite-schema";
import { seriesStoreSuite } from "../../../test/support/flights/series-store-suite";
import type { SeriesPoint, SeriesStore } from "./types";
import { SERIES_KINDS } from "./types";

const log = pino({ level: "silent" });
const dirs: string[] = [];
const dbs = new Map<SeriesStore, { db: Db; file: string }>();

afterEach(() => {
  for (const { db } of dbs.values()) if (db.open) db.close();
  dbs.clear();
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

/** The series tables alone: the app's full migration list belongs to storage/ (where version 7 is registered). */
function openSeriesDb(file: string, busyTimeoutMs?: number): Db {
  const db = openDatabase(file, log, busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
  const exists = db.prepare("SELECT name FROM sqlite_master WHERE name = 'series_position'").get();
  if (!exists) for (const m of seriesMigrations) m.up(db);
  return db;
}

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-series-"));
  dirs.push(dir);
  return path.join(dir, "dmc.sqlite");
}

function storeOn(file: string, busyTimeoutMs?: number): SeriesStore {
  const db = openSeriesDb(file, busyTimeoutMs);
  const store = new SqliteSeriesStore(db, { log });
  dbs.set(store, { db, file });
  return store;
}

describe("SqliteSeriesStore", () => {
  seriesStoreSuite(() => ({
    create: async () => storeOn(tempFile()),
    async reopen(store) {
      const { db, file } = dbs.get(store)!;
      await store.close();
      db.close();
      return storeOn(file);
    },
  }));

  it("migration 7 has a column per field of each kind, and indexes by vehicle and by flight", () => {
    expect(seriesMigrations.map((m) => m.version)).toEqual([7]);
    const db = openSeriesDb(":memory:");
    for (const kind of SERIES_KINDS) {
      const table = SERIES_TABLES[kind];
      const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name);
      expect(columns).toEqual(["vehicle_key", "flight_id", "time", ...SERIES_FIELDS[kind].map(columnOf)]);
      const byFlight = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM ${table} WHERE flight_id = 1 AND time BETWEEN 0 AND 9`).all();
      expect(JSON.stringify(byFlight)).toContain(`${table}_flight`);
      const byVehicle = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM ${table} WHERE vehicle_key = '1:1' AND time BETWEEN 0 AND 9`).all();
      expect(JSON.stringify(byVehicle)).toMatch(/PRIMARY KEY/);
    }
    db.close();
  });

  it("holds points while the database is locked, says so, and writes them once it is free", async () => {
    const file = tempFile();
    // No busy wait: the lock held by the other connection fails the write at once.
    const store = storeOn(file, 0);
    const other = openSeriesDb(file);
    const point = (time: number): SeriesPoint => ({ kind: "status", vehicle: "1:1", flightId: 2, time, values: { armed: 1, customMode: 4, heartbeatAgeMs: 10 } });
    store.write([point(1000)]);
    other.exec("BEGIN IMMEDIATE");
    store.write([point(2000), point(3000)]);
    expect(store.status()).toMatchObject({ state: "buffering", buffered: 2, reason: expect.stringMatching(/SQLITE_BUSY/) });
    store.write([point(4000)]);
    expect(store.status()).toMatchObject({ state: "buffering", buffered: 3 });
    other.exec("COMMIT");
    other.close();
    expect(await store.flush()).toEqual({ state: "ok", pending: 0, dropped: 0, rejected: 0 });
    const r = await store.query({ kind: "status", flightId: 2, from: 0, to: 10_000, fields: ["armed"] });
    expect(r.samples.map((s) => s.time)).toEqual([1000, 2000, 3000, 4000]);
  });

  it("drops the oldest held points beyond its bound, and counts them", async () => {
    const file = tempFile();
    const db = openSeriesDb(file, 0);
    const store = new SqliteSeriesStore(db, { log, maxBuffer: 3 });
    dbs.set(store, { db, file });
    const other = openSeriesDb(file);
    other.exec("BEGIN IMMEDIATE");
    store.write([1, 2, 3, 4, 5].map((t) => ({ kind: "attitude", vehicle: "1:1", flightId: null, time: t, values: { roll: t } })));
    expect(store.status()).toMatchObject({ state: "buffering", buffered: 3, dropped: 2 });
    other.exec("COMMIT");
    other.close();
    expect(await store.flush()).toMatchObject({ state: "ok", dropped: 2 });
    const r = await store.query({ kind: "attitude", vehicle: "1:1", from: 0, to: 10 });
    expect(r.samples.map((s) => s.time)).toEqual([3, 4, 5]);
  });
});
