import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { readTlogFile } from "../mavlink";
import type { TlogEntry } from "../mavlink";
import { openAppDatabase } from "../storage";
import type { Db } from "../storage";
import { FlightCatalogue } from "./catalogue";
import type { FlightStats } from "./catalogue";
import { importTlog } from "./import";
import { rebuildCatalogue } from "./rebuild";
import { fixtureEntries, recorderRig } from "./recorder-test-kit";
import { packetTime } from "./segmenter";
import { tlogEntry } from "./tlog-writer";

const log = pino({ level: "silent" });
const entries = fixtureEntries();
const FIXTURE = new URL("../../test/fixtures/copter_flight_1.tlog", import.meta.url).pathname;
const sha = (buf: Buffer) => createHash("sha256").update(buf).digest("hex");

let dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs) if (db.open) db.close();
  dbs = [];
});
function store() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-import-"));
  const db = openAppDatabase(dataDir, log);
  dbs.push(db);
  const catalogue = new FlightCatalogue(db);
  return { dataDir, catalogue, deps: { catalogue, dataDir, clock: () => 1_800_000_000_000, log } };
}
function tlogOf(list: readonly TlogEntry[], shiftUs = 0): Buffer {
  return Buffer.concat(list.map((e) => tlogEntry(e.timeUs + shiftUs, e.frame.bytes)));
}
const statsOf = (f: { armedAt: number | null; disarmedAt: number | null; distanceM: number; maxAltRelM: number | null;
  maxDistHomeM: number | null; takeoff: unknown; landing: unknown; packets: number; endedAt: number | null }) => ({
  armedAt: f.armedAt, disarmedAt: f.disarmedAt, distanceM: f.distanceM, maxAltRelM: f.maxAltRelM, maxDistHomeM: f.maxDistHomeM,
  takeoff: f.takeoff, landing: f.landing, packets: f.packets, endedAt: f.endedAt,
});

describe("importTlog", () => {
  it("keeps the file as is, derives its one flight, and seals an extract of it", async () => {
    const s = store();
    const report = await importTlog(s.deps, { path: FIXTURE, name: "copter_flight_1.tlog" });
    const original = fs.readFileSync(FIXTURE);
    expect(report).toMatchObject({
      sha256: sha(original), sizeBytes: original.length, packets: entries.length, duplicate: false,
      invalid: { garbageBytes: 0, crcErrors: 0, unknownMessages: 0, truncated: false },
    });
    expect(fs.readFileSync(path.join(s.dataDir, report.storedAs)).equals(original)).toBe(true);
    expect(report.flights).toHaveLength(1);
    const flight = s.catalogue.get(report.flights[0]!.id)!;
    expect(flight).toMatchObject({ status: "imported", source: "import: copter_flight_1.tlog", pilot: null, vehicle: { key: "1:1", type: "copter" } });
    const extract = fs.readFileSync(path.join(s.dataDir, flight.tlogPath));
    expect(flight.sha256).toBe(sha(extract));
    expect(flight.sizeBytes).toBe(extract.length);
    // The extract is the original's entries from 30 s before arming, byte for byte (timestamps included).
    const from = entries.findIndex((e) => packetTime(e.timeUs) >= flight.armedAt! - 30_000);
    expect(extract.equals(original.subarray(original.length - tlogOf(entries.slice(from)).length))).toBe(true);
    expect(flight.durationS).toBeGreaterThan(145);
    expect(flight.durationS).toBeLessThan(148);

    const again = await importTlog(s.deps, { path: FIXTURE, name: "renamed.tlog" });
    expect(again).toMatchObject({ duplicate: true, flights: report.flights });
    expect(s.catalogue.list({}).total).toBe(1);
  });

  it("cuts a file of two flights into two extracts", async () => {
    const s = store();
    const file = path.join(s.dataDir, "upload.tlog");
    fs.writeFileSync(file, Buffer.concat([tlogOf(entries), tlogOf(entries, 3600e6)]));
    const report = await importTlog(s.deps, { path: file, name: "two.tlog" });
    expect(report.flights.map((f) => f.tlogPath)).toEqual([
      `imports/${report.sha256}/1-1-1.tlog`, `imports/${report.sha256}/1-1-2.tlog`,
    ]);
    const [a, b] = report.flights.map((f) => s.catalogue.get(f.id)!);
    expect(b!.armedAt! - a!.armedAt!).toBe(3_600_000);
    expect(b!.distanceM).toBeCloseTo(a!.distanceM, 9);
  });

  it("imports what is valid of a damaged file and says what was not", async () => {
    const s = store();
    const good = tlogOf(entries);
    const half = Math.floor(good.length / 2);
    const damaged = Buffer.concat([good.subarray(0, half), Buffer.from("not mavlink at all"), good.subarray(half, good.length - 7)]);
    // A flipped byte in one packet's payload (entry 100) makes a bad checksum.
    let offset = 0;
    for (let i = 0; i < 100; i++) offset += 8 + entries[i]!.frame.bytes.length;
    const at = offset + 8 + 12;
    damaged.writeUInt8(damaged.readUInt8(at) ^ 0xff, at);
    const file = path.join(s.dataDir, "damaged.tlog");
    fs.writeFileSync(file, damaged);
    const report = await importTlog(s.deps, { path: file, name: "damaged.tlog" });
    expect(report.invalid.crcErrors).toBeGreaterThanOrEqual(1);
    expect(report.invalid.garbageBytes).toBeGreaterThan(0);
    expect(report.invalid.truncated).toBe(true);
    expect(report.packets).toBeGreaterThan(entries.length - 10);
    expect(report.flights).toHaveLength(1);
  });

  it("gives exactly the live recording's flight and statistics when importing what the recorder wrote", async () => {
    const rig = await recorderRig();
    rig.play(entries);
    rig.advance(packetTime(entries.at(-1)!.timeUs) + 11_000);
    const [live] = rig.catalogue.list({}).flights;
    const s = store();
    const report = await importTlog(s.deps, { path: path.join(rig.dataDir, live!.tlogPath), name: "live.tlog" });
    await rig.recorder.close();
    rig.db.close();
    const imported = s.catalogue.get(report.flights[0]!.id)!;
    expect(statsOf(imported)).toEqual(statsOf(live!));
    expect(imported.startedAt).toBe(live!.startedAt);
    expect(imported.sha256).toBe(live!.sha256);
  });

  it("rebuild recomputes the same statistics from the files and reports a file that no longer matches its seal", async () => {
    const s = store();
    const report = await importTlog(s.deps, { path: FIXTURE, name: "f.tlog" });
    const before = s.catalogue.get(report.flights[0]!.id)!;
    s.catalogue.updateStats(before.id, { ...statsOf(before), distanceM: 0, bbox: null } as FlightStats);
    expect((await rebuildCatalogue(s.catalogue, s.dataDir, log)).map((r) => r.outcome)).toEqual(["updated"]);
    expect(statsOf(s.catalogue.get(before.id)!)).toEqual(statsOf(before));
    fs.appendFileSync(path.join(s.dataDir, before.tlogPath), Buffer.from([0]));
    expect((await rebuildCatalogue(s.catalogue, s.dataDir, log)).map((r) => r.outcome)).toEqual(["hash-mismatch"]);
    expect(readTlogFile(FIXTURE).entries).toHaveLength(entries.length);
  });
});
