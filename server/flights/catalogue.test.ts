import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openAppDatabase } from "../storage";
import type { Db } from "../storage";
import { FlightCatalogue } from "./catalogue";
import type { NewFlight } from "./catalogue";

let db: Db | null = null;
afterEach(() => db?.close());

function open(): FlightCatalogue {
  db = openAppDatabase(fs.mkdtempSync(path.join(os.tmpdir(), "dmc-flights-")), pino({ level: "silent" }));
  return new FlightCatalogue(db);
}

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const flight = (sysid: number, startedAt: number, over: Partial<NewFlight> = {}): NewFlight => ({
  vehicle: { key: `${sysid}:1`, sysid, compid: 1, type: "copter", name: null },
  startedAt, tlogPath: `flights/${sysid}-1/${startedAt}.tlog`, status: "recording", pilot: "pia", previousId: null, source: "live",
  ...over,
});
const STATS = {
  armedAt: T0 + 30_000, disarmedAt: T0 + 176_000, distanceM: 812.5, maxAltRelM: 30.2, maxDistHomeM: 180,
  takeoff: { lat: 51.5074, lon: -0.1278 }, landing: { lat: 51.50741, lon: -0.12781 },
  bbox: [-0.1290, 51.5070, -0.1250, 51.5090] as [number, number, number, number], packets: 21_000, endedAt: null,
};

describe("the flight catalogue", () => {
  it("creates, updates and seals a flight; a sealed file, size and hash never change", () => {
    const c = open();
    const id = c.create(flight(1, T0));
    c.updateStats(id, STATS);
    c.seal(id, { endedAt: T0 + 186_000, sizeBytes: 812_345, sha256: "ab".repeat(32) });
    expect(c.get(id)).toMatchObject({
      id, status: "closed", durationS: 146, distanceM: 812.5, maxAltRelM: 30.2, sizeBytes: 812_345, sha256: "ab".repeat(32),
      takeoff: { lat: 51.5074, lon: -0.1278 }, pilot: "pia", endedAt: T0 + 186_000, vehicle: { key: "1:1", type: "copter" },
    });
    expect(() => c.seal(id, { endedAt: T0, sizeBytes: 1, sha256: "cd".repeat(32) })).toThrow(/already sealed/);
    expect(() => db!.prepare("UPDATE flights SET sha256 = 'x' WHERE id = ?").run(id)).toThrow(/cannot change/);
    expect(() => db!.prepare("UPDATE flights SET size_bytes = 1 WHERE id = ?").run(id)).toThrow(/cannot change/);
    expect(() => db!.prepare("DELETE FROM flights WHERE id = ?").run(id)).toThrow(/cannot be deleted/);
    // Notes and statistics may still be added to a sealed flight.
    c.addNote(id, "rita", T0 + 1, "Incident 4711: suspect vehicle followed");
    c.updateStats(id, { ...STATS, distanceM: 813 });
    expect(c.get(id)).toMatchObject({ distanceM: 813, notes: [{ author: "rita", text: "Incident 4711: suspect vehicle followed" }] });
  });

  it("lists newest first, filtered by vehicle, time range and box, paged; finds flights still recording", () => {
    const c = open();
    const a = c.create(flight(1, T0));
    const b = c.create(flight(2, T0 + 3_600_000));
    const d = c.create(flight(1, T0 + 7_200_000, { previousId: a }));
    c.updateStats(a, STATS);
    c.seal(a, { endedAt: T0 + 186_000, sizeBytes: 1, sha256: "00".repeat(32) });
    c.updateStats(b, { ...STATS, bbox: [2.29, 48.85, 2.30, 48.86] });
    expect(c.list({}).flights.map((f) => f.id)).toEqual([d, b, a]);
    expect(c.list({ vehicle: "1:1" }).flights.map((f) => f.id)).toEqual([d, a]);
    expect(c.list({ from: T0 + 3_000_000, to: T0 + 4_000_000 }).flights.map((f) => f.id)).toEqual([b]);
    expect(c.list({ bbox: [-0.2, 51.4, -0.1, 51.6] }).flights.map((f) => f.id)).toEqual([a]);
    expect(c.list({ limit: 2, offset: 1 })).toMatchObject({ total: 3, offset: 1, limit: 2, flights: [{ id: b }, { id: a }] });
    expect(c.recording().map((f) => f.id)).toEqual([b, d]);
    expect(c.get(d)?.previousId).toBe(a);
  });
});
