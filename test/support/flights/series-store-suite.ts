import { describe, expect, it } from "vitest";
import type { VehicleKey } from "../../../server/protocol";
import { SeriesQueryError } from "../../../server/flights/series";
import type { SeriesPoint, SeriesStore } from "../../../server/flights/series";

/**
 * The one suite every SeriesStore adapter passes (run by sqlite-store.test.ts and influx-store.test.ts). Each test
 * gets an empty store from `create`; `reopen` closes a store and opens the same storage again.
 */
export interface StoreFixture {
  create(): Promise<SeriesStore>;
  reopen(store: SeriesStore): Promise<SeriesStore>;
}

const T0 = Date.UTC(2024, 5, 1, 12, 0, 0);
const A: VehicleKey = "1:1";
const B: VehicleKey = "2:1";

function position(vehicle: VehicleKey, flightId: number | null, time: number, i: number): SeriesPoint {
  return {
    kind: "position", vehicle, flightId, time,
    values: { lat: 51.5 + i * 1e-5, lon: -0.12, altAmsl: 100 + i, altRelative: i, heading: 90, groundSpeed: 5.5, climb: null },
  };
}

function battery(vehicle: VehicleKey, time: number, voltage: number, current: number | null = null): SeriesPoint {
  return { kind: "battery", vehicle, flightId: null, time, values: { voltage, current, remaining: null } };
}

async function written(store: SeriesStore, points: SeriesPoint[]): Promise<void> {
  store.write(points);
  const status = await store.flush();
  expect(status).toMatchObject({ state: "ok", pending: 0, dropped: 0, rejected: 0 });
}

export function seriesStoreSuite(fixture: () => StoreFixture): void {
  const open = () => fixture().create();

  describe("SeriesStore contract", () => {
    it("gives back what was written: every field of the kind, null where unknown, oldest first", async () => {
      const store = await open();
      await written(store, [position(A, 7, T0 + 200, 2), position(A, 7, T0, 0), battery(A, T0 + 100, 16.2, 1.5)]);
      const r = await store.query({ kind: "position", vehicle: A, from: T0, to: T0 + 1000 });
      expect(r).toMatchObject({ kind: "position", resolutionMs: 0,
        fields: ["lat", "lon", "altAmsl", "altRelative", "heading", "groundSpeed", "climb"] });
      expect(r.samples.map((s) => s.time)).toEqual([T0, T0 + 200]);
      expect(r.samples[1]!.values).toEqual({ lat: 51.5 + 2e-5, lon: -0.12, altAmsl: 102, altRelative: 2, heading: 90,
        groundSpeed: 5.5, climb: null });
      const b = await store.query({ kind: "battery", vehicle: A, from: T0, to: T0 + 1000 });
      expect(b.samples).toEqual([{ time: T0 + 100, values: { voltage: 16.2, current: 1.5, remaining: null } }]);
      expect((await store.query({ kind: "gps", vehicle: A, from: T0, to: T0 + 1000 })).samples).toEqual([]);
      await store.close();
    });

    it("answers an empty series before anything was ever written", async () => {
      const store = await open();
      const r = await store.query({ kind: "attitude", flightId: 1, from: T0, to: T0 + 1000, resolutionMs: 100 });
      expect(r).toEqual({ kind: "attitude", fields: ["roll", "pitch", "yaw"], resolutionMs: 100, samples: [] });
      expect(store.status()).toMatchObject({ state: "ok", pending: 0 });
      await store.close();
    });

    it("keeps values exactly as floats, small, large and integral alike", async () => {
      const store = await open();
      const values = { fix: 3, satellites: 1e-7, hdop: 123456789.125 };
      await written(store, [{ kind: "gps", vehicle: A, flightId: null, time: T0, values }]);
      const r = await store.query({ kind: "gps", vehicle: A, from: T0, to: T0 });
      expect(r.samples).toEqual([{ time: T0, values }]);
      await store.close();
    });

    it("answers an inclusive time range, for the asked vehicle only", async () => {
      const store = await open();
      const points = Array.from({ length: 10 }, (_, i) => position(A, null, T0 + i * 100, i));
      await written(store, [...points, position(B, null, T0 + 300, 99)]);
      const r = await store.query({ kind: "position", vehicle: A, from: T0 + 200, to: T0 + 500 });
      expect(r.samples.map((s) => s.time)).toEqual([T0 + 200, T0 + 300, T0 + 400, T0 + 500]);
      expect(r.samples.map((s) => s.values.altRelative)).toEqual([2, 3, 4, 5]);
      await store.close();
    });

    it("answers a subset of fields in the kind's order, leaving out samples that know none of them", async () => {
      const store = await open();
      await written(store, [battery(A, T0, 16.1, 2), battery(A, T0 + 100, 16.0), battery(A, T0 + 200, 15.9, 3)]);
      const r = await store.query({ kind: "battery", vehicle: A, from: T0, to: T0 + 1000, fields: ["current", "voltage", "current"] });
      expect(r.fields).toEqual(["voltage", "current"]);
      expect(r.samples[1]).toEqual({ time: T0 + 100, values: { voltage: 16.0, current: null } });
      const current = await store.query({ kind: "battery", vehicle: A, from: T0, to: T0 + 1000, fields: ["current"] });
      expect(current.samples).toEqual([{ time: T0, values: { current: 2 } }, { time: T0 + 200, values: { current: 3 } }]);
      await store.close();
    });

    it("aggregates server-side: the mean per bucket, buckets aligned on the epoch, empty ones left out", async () => {
      const store = await open();
      // 10 Hz for 2 s, a gap, then 1 s more: buckets of 1 s.
      const times = [...Array.from({ length: 20 }, (_, i) => T0 + i * 100), ...Array.from({ length: 10 }, (_, i) => T0 + 5000 + i * 100)];
      await written(store, times.map((t, i) => battery(A, t + 50, 10 + i)));
      const r = await store.query({ kind: "battery", vehicle: A, from: T0, to: T0 + 10_000, fields: ["voltage", "current"], resolutionMs: 1000 });
      expect(r.resolutionMs).toBe(1000);
      expect(r.samples.map((s) => s.time)).toEqual([T0, T0 + 1000, T0 + 5000]);
      const means = r.samples.map((s) => s.values.voltage ?? NaN);
      [14.5, 24.5, 34.5].forEach((m, i) => expect(means[i]).toBeCloseTo(m, 9));
      expect(r.samples.map((s) => s.values.current)).toEqual([null, null, null]);
      await store.close();
    });

    it("answers per flight (across vehicles) and per vehicle (across flights and between them)", async () => {
      const store = await open();
      await written(store, [
        position(A, null, T0, 0), position(A, 7, T0 + 100, 1), position(A, 7, T0 + 200, 2),
        position(A, 8, T0 + 300, 3), position(B, 7, T0 + 150, 4), position(B, null, T0 + 250, 5),
      ]);
      const range = { kind: "position" as const, from: T0, to: T0 + 1000, fields: ["altRelative"] };
      const flight7 = await store.query({ ...range, flightId: 7 });
      expect(flight7.samples.map((s) => [s.time, s.values.altRelative])).toEqual([[T0 + 100, 1], [T0 + 150, 4], [T0 + 200, 2]]);
      const aIn7 = await store.query({ ...range, flightId: 7, vehicle: A });
      expect(aIn7.samples.map((s) => s.values.altRelative)).toEqual([1, 2]);
      const a = await store.query({ ...range, vehicle: A });
      expect(a.samples.map((s) => s.values.altRelative)).toEqual([0, 1, 2, 3]);
      const flight8 = await store.query({ ...range, flightId: 8, resolutionMs: 1000 });
      expect(flight8.samples).toEqual([{ time: T0, values: { altRelative: 3 } }]);
      await store.close();
    });

    it("removes one flight's points, and only those (a rebuild writes them again)", async () => {
      const store = await open();
      await written(store, [position(A, 7, T0 + 100, 1), { ...battery(A, T0 + 120, 16), flightId: 7 }, position(A, 8, T0 + 300, 3), position(A, null, T0 + 400, 4)]);
      await store.deleteFlight(7);
      const range = { kind: "position" as const, from: T0, to: T0 + 1000, fields: ["altRelative"] };
      expect((await store.query({ ...range, flightId: 7 })).samples).toEqual([]);
      expect((await store.query({ kind: "battery", from: T0, to: T0 + 1000, flightId: 7 })).samples).toEqual([]);
      expect((await store.query({ ...range, vehicle: A })).samples.map((x) => x.values.altRelative)).toEqual([3, 4]);
      await store.close();
    });

    it("stores a sample written twice once, with the later values", async () => {
      const store = await open();
      await written(store, [battery(A, T0, 16)]);
      await written(store, [battery(A, T0, 15)]);
      const r = await store.query({ kind: "battery", vehicle: A, from: T0, to: T0, fields: ["voltage"] });
      expect(r.samples).toEqual([{ time: T0, values: { voltage: 15 } }]);
      await store.close();
    });

    it("skips what cannot be stored (no known value, NaN, unknown fields) and refuses bad queries", async () => {
      const store = await open();
      await written(store, [
        { kind: "battery", vehicle: A, flightId: null, time: T0, values: { voltage: null, current: Number.NaN, bogus: 3 } },
        { kind: "battery", vehicle: A, flightId: null, time: T0 + 1, values: { voltage: 12, current: Infinity, bogus: 3 } },
      ]);
      const r = await store.query({ kind: "battery", vehicle: A, from: T0, to: T0 + 10 });
      expect(r.samples).toEqual([{ time: T0 + 1, values: { voltage: 12, current: null, remaining: null } }]);
      await expect(store.query({ kind: "battery", vehicle: A, from: T0, to: T0, fields: ["lat"] })).rejects.toThrow(SeriesQueryError);
      await expect(store.query({ kind: "battery", vehicle: A, from: T0 + 1, to: T0 })).rejects.toThrow(/to: must not be before from/);
      await expect(store.query({ kind: "battery", from: T0, to: T0 + 1 })).rejects.toThrow(/give a vehicle or a flight/);
      await store.close();
    });

    it("writes many points in batches and counts them all", async () => {
      const store = await open();
      const n = 30_000;
      for (let start = 0; start < n; start += 1000) {
        store.write(Array.from({ length: 1000 }, (_, i) => {
          const k = start + i;
          return { kind: "attitude" as const, vehicle: A, flightId: 3, time: T0 + k * 10, values: { roll: k % 2, pitch: 0.1, yaw: k } };
        }));
      }
      expect(await store.flush()).toMatchObject({ state: "ok", pending: 0 });
      const raw = await store.query({ kind: "attitude", flightId: 3, from: T0, to: T0 + n * 10 });
      expect(raw.samples).toHaveLength(n);
      expect(raw.samples[n - 1]).toEqual({ time: T0 + (n - 1) * 10, values: { roll: 1, pitch: 0.1, yaw: n - 1 } });
      const perMinute = await store.query({ kind: "attitude", flightId: 3, from: T0, to: T0 + n * 10, fields: ["roll"], resolutionMs: 60_000 });
      expect(perMinute.samples).toHaveLength(5);
      for (const s of perMinute.samples) expect(s.values.roll).toBeCloseTo(0.5, 9);
      await store.close();
    });

    it("keeps the series across a close and a reopen", async () => {
      const f = fixture();
      const store = await f.create();
      await written(store, [position(A, 5, T0, 1), position(A, 5, T0 + 100, 2)]);
      const again = await f.reopen(store);
      const r = await again.query({ kind: "position", flightId: 5, from: T0, to: T0 + 100, fields: ["altRelative"] });
      expect(r.samples.map((s) => s.values.altRelative)).toEqual([1, 2]);
      await again.close();
    });
  });
}
