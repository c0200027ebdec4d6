/**
 * The series route against stores that answer, refuse or are down (or absent): its handler with a fake store,
 * as the real stores have their own suite and an empty store only answers "no samples".
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Request, Response } from "express";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlightCatalogue } from "../../server/flights";
import { SeriesQueryError } from "../../server/flights/series";
import type { SeriesQuery } from "../../server/flights/series";
import { ROUTES } from "../../server/http";
import type { ApiSource } from "../../server/http";
import type { SeriesResponse } from "../../server/protocol";
import { AppSql, openAppDatabase } from "../../server/storage";
import { MIGRATIONS } from "../../server/migrations";
import type { Db } from "../../server/storage";

const T0 = 1_795_234_604_877;
const HOUR = 3_600_000;
let db: Db;
let sql: AppSql;
let dataDir: string;
let flightId: number;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-series-route-"));
  db = openAppDatabase(dataDir, pino({ level: "silent" }), MIGRATIONS);
  sql = AppSql.sqlite(db);
  flightId = await new FlightCatalogue(sql).create({
    vehicle: { key: "2:1", sysid: 2, compid: 1, type: "copter", name: null }, startedAt: T0 + HOUR, tlogPath: "flights/2-1/a.tlog",
    status: "recording", pilot: null, previousId: null, source: "live",
  });
});
afterAll(() => db?.close());

/** Calls the series route's handler with a source whose series store is `series`; returns status and body. */
async function seriesWith(series: ApiSource["flights"]["series"], query: Record<string, string>, id = flightId): Promise<{ status: number; body: unknown }> {
  const route = ROUTES.find((r) => r.method === "get" && r.path === "/api/flights/:id/series")!;
  const source = { now: () => T0 + 10 * HOUR, flights: {
    catalogue: new FlightCatalogue(sql), dataDir, series, integrity: { current: (f: unknown) => Promise.resolve(f) },
  } } as unknown as ApiSource;
  const out = { status: 200, body: null as unknown };
  const res = {
    set() {
      return res;
    },
    status(code: number) {
      out.status = code;
      return res;
    },
    json(body: unknown) {
      out.body = body;
      return res;
    },
  };
  expect(route.query.safeParse(query).success).toBe(true);
  await route.handle(source, { params: { id: String(id) }, query } as unknown as Request, res as unknown as Response, undefined);
  return out;
}

describe("the series route and its store", () => {
  it("asks the store for the flight's vehicle and time range, with the fields and resolution given", async () => {
    const asked: SeriesQuery[] = [];
    const store = {
      query(q: SeriesQuery): Promise<SeriesResponse> {
        asked.push(q);
        return Promise.resolve({ kind: q.kind, fields: q.fields ?? [], resolutionMs: q.resolutionMs ?? 0, samples: [] });
      },
    };
    expect(await seriesWith(store, { kind: "battery", fields: "voltage", resolution: "500" })).toMatchObject({ status: 200, body: { kind: "battery" } });
    await seriesWith(store, { kind: "position", from: String(T0), resolution: "0" });
    await seriesWith(store, { kind: "gps", from: "2026-11-21T04:00:00Z", to: "2026-11-21T05:00:00+01:00" });
    // The flight is still recording: its range runs to now.
    expect(asked).toEqual([
      { kind: "battery", flightId, vehicle: "2:1", from: T0 + HOUR, to: T0 + 10 * HOUR, fields: ["voltage"], resolutionMs: 500 },
      { kind: "position", flightId, vehicle: "2:1", from: T0, to: T0 + 10 * HOUR },
      { kind: "gps", flightId, vehicle: "2:1", from: Date.UTC(2026, 10, 21, 4), to: Date.UTC(2026, 10, 21, 4) },
    ]);
  });

  it("is 503 with a reason without a store or when it cannot answer, 400 when it refuses the query", async () => {
    expect(await seriesWith(null, { kind: "battery" })).toMatchObject({ status: 503, body: { error: { code: "series_unavailable" } } });
    const down = { query: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:8086")) };
    expect(await seriesWith(down, { kind: "battery" }))
      .toMatchObject({ status: 503, body: { error: { code: "series_unavailable", message: expect.stringMatching(/ECONNREFUSED/) as unknown } } });
    const picky = { query: () => Promise.reject(new SeriesQueryError("to: must not be before from")) };
    expect(await seriesWith(picky, { kind: "battery" })).toMatchObject({ status: 400, body: { error: { code: "bad_series_query" } } });
    expect(await seriesWith(null, { kind: "battery" }, 999_999)).toMatchObject({ status: 404, body: { error: { code: "flight_not_found" } } });
  });
});
