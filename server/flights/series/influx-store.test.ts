import { InfluxDB } from "influx";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Influxd } from "../../../test/helpers/influxd";
import { InfluxSeriesStore, RETENTION_POLICY } from "./influx-store";
import type { InfluxSeriesOptions } from "./influx-store";
import { seriesStoreSuite } from "../../../test/support/flights/series-store-suite";
import type { SeriesPoint, SeriesStore } from "./types";

// A real influxd (Debian's influxdb 1.6), never a mock; when it is missing the suite fails, it does not skip.
const log = pino({ level: "silent" });
let databases = 0;

function options(server: Influxd, extra: Partial<InfluxSeriesOptions> = {}): InfluxSeriesOptions {
  databases += 1;
  return {
    protocol: "http", host: "127.0.0.1", port: server.port, database: `dmc_test_${databases}`,
    username: null, password: null, retention: null, requestTimeoutMs: 5000, ...extra,
  };
}

// Recent: InfluxDB refuses points older than a retention policy's duration ("points beyond retention policy").
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 3600_000;
const points = (from: number, n: number): SeriesPoint[] => Array.from({ length: n }, (_, i) => ({
  kind: "position", vehicle: "1:1", flightId: 4, time: T0 + (from + i) * 200, values: { lat: 51, lon: -1, altRelative: from + i },
}));

async function until(ok: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("InfluxSeriesStore", () => {
  let server: Influxd;
  const opened = new Map<SeriesStore, InfluxSeriesOptions>();
  beforeAll(async () => {
    // A row limit far below the suite's 30k-point series: a store that read a cut answer would fail it.
    server = await Influxd.create({ maxRowLimit: 1000 });
  }, 30_000);
  afterAll(async () => {
    await Promise.all([...opened.keys()].map((s) => s.close()));
    await server?.dispose();
  });

  seriesStoreSuite(() => ({
    async create() {
      const opts = options(server);
      const store = new InfluxSeriesStore(opts, { log });
      opened.set(store, opts);
      return store;
    },
    async reopen(store) {
      const opts = opened.get(store)!;
      await store.close();
      const again = new InfluxSeriesStore(opts, { log });
      opened.set(again, opts);
      return again;
    },
  }));

  it("creates the database and its retention policy (made the default), and follows a changed retention", async () => {
    const opts = options(server, { retention: "90d" });
    const store = new InfluxSeriesStore(opts, { log });
    store.write(points(0, 3));
    expect(await store.flush()).toMatchObject({ state: "ok", pending: 0 });
    await store.close();
    const admin = new InfluxDB({ host: "127.0.0.1", port: server.port });
    expect(await admin.getDatabaseNames()).toContain(opts.database);
    const ours = () => admin.showRetentionPolicies(opts.database).then((all) => all.find((p) => p.name === RETENTION_POLICY));
    expect(await ours()).toMatchObject({ duration: "2160h0m0s", default: true });
    const shorter = new InfluxSeriesStore({ ...opts, retention: "2w" }, { log });
    expect(await shorter.flush()).toMatchObject({ state: "ok" });
    expect(await ours()).toMatchObject({ duration: "336h0m0s", default: true });
    const r = await shorter.query({ kind: "position", flightId: 4, from: T0, to: T0 + 10_000, fields: ["altRelative"] });
    expect(r.samples.map((s) => s.values.altRelative)).toEqual([0, 1, 2]);
    // An old flight (an import) beyond the retention is refused by InfluxDB: counted, not silently lost.
    shorter.write([{ ...points(0, 1)[0]!, time: T0 - 30 * 24 * 3600_000 }]);
    expect(await shorter.flush()).toMatchObject({ state: "failing", rejected: 1, reason: expect.stringMatching(/retention/) });
    await shorter.close();
  });

  it("counts a batch InfluxDB refuses (field type conflict) and goes on with the next ones", async () => {
    const opts = options(server);
    const store = new InfluxSeriesStore(opts, { log });
    expect(await store.flush()).toMatchObject({ state: "ok" });
    // Someone else wrote an integer into our float field: every later float there is a conflict.
    const res = await fetch(`${server.url}/write?db=${opts.database}&precision=ms`, { method: "POST", body: `gps,vehicle=9:1 satellites=5i ${T0}` });
    expect(res.status).toBe(204);
    store.write([{ kind: "gps", vehicle: "1:1", flightId: null, time: T0, values: { satellites: 12 } }]);
    expect(await store.flush()).toMatchObject({ state: "failing", rejected: 1, buffered: 0, reason: expect.stringMatching(/field type conflict/) });
    store.write(points(0, 2));
    expect(await store.flush()).toEqual({ state: "ok", pending: 0, dropped: 0, rejected: 1 });
    await store.close();
  });
});

describe("InfluxSeriesStore with authentication", () => {
  const admin = { user: "dmc", password: "s3cret p@ss" };
  let server: Influxd;
  beforeAll(async () => {
    server = await Influxd.create({ admin });
  }, 30_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it("writes and reads with the user of the URL, and says 'failing' (keeping the points) for a wrong password", async () => {
    const opts = options(server, { username: admin.user, password: "wrong", retention: "30d" });
    const refused = new InfluxSeriesStore(opts, { log });
    refused.write(points(0, 5));
    expect(await refused.flush()).toMatchObject({ state: "failing", buffered: 5, reason: expect.stringMatching(/401|authorization/) });
    await refused.close();
    const store = new InfluxSeriesStore({ ...opts, password: admin.password }, { log });
    store.write(points(0, 5));
    expect(await store.flush()).toMatchObject({ state: "ok", pending: 0 });
    const r = await store.query({ kind: "position", vehicle: "1:1", from: T0, to: T0 + 10_000, fields: ["altRelative"] });
    expect(r.samples).toHaveLength(5);
    await store.close();
  });
});

describe("InfluxSeriesStore during an InfluxDB outage", () => {
  let server: Influxd;
  beforeAll(async () => {
    server = await Influxd.create();
  }, 30_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it("buffers while influxd is down, says so, and catches up by itself when it is back", async () => {
    const store = new InfluxSeriesStore(options(server, { flushIntervalMs: 100, retention: "30d" }), { log });
    store.write(points(0, 100));
    expect(await store.flush()).toMatchObject({ state: "ok", pending: 0 });

    await server.stop();
    store.write(points(100, 200));
    expect(await store.flush()).toMatchObject({ state: "buffering", buffered: 200, dropped: 0, reason: expect.stringMatching(/ECONNREFUSED/) });
    store.write(points(300, 100));
    await new Promise((r) => setTimeout(r, 300)); // the timer keeps trying meanwhile
    expect(store.status()).toMatchObject({ state: "buffering", buffered: 300 });

    await server.start();
    await until(() => { const s = store.status(); return s.state === "ok" && s.pending === 0; }, 10_000);
    const r = await store.query({ kind: "position", vehicle: "1:1", from: T0, to: T0 + 400 * 200, fields: ["altRelative"] });
    expect(r.samples.map((s) => s.values.altRelative)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    await store.close();
  });

  it("keeps the newest points when the outage outlasts its buffer, counting the dropped ones", async () => {
    const store = new InfluxSeriesStore(options(server, { flushIntervalMs: 100, maxBuffer: 50 }), { log });
    expect(await store.flush()).toMatchObject({ state: "ok" });
    await server.stop();
    store.write(points(0, 80));
    expect(await store.flush()).toMatchObject({ state: "buffering", buffered: 50, dropped: 30 });
    await server.start();
    expect(await store.flush()).toEqual({ state: "ok", pending: 0, dropped: 30, rejected: 0 });
    const r = await store.query({ kind: "position", flightId: 4, from: T0, to: T0 + 100 * 200, fields: ["altRelative"] });
    expect(r.samples.map((s) => s.values.altRelative)).toEqual(Array.from({ length: 50 }, (_, i) => i + 30));
    await store.close();
  });
});
