import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { readTlogFile } from "../mavlink";
import type { TlogEntry } from "../mavlink";
import { AppSql, openAppDatabase } from "../storage";
import { MIGRATIONS } from "../migrations";
import type { Db } from "../storage";
import { FlightCatalogue } from "./catalogue";
import type { FlightStats } from "./catalogue";
import { ImportRefusedError, importTlog } from "./import";
import { ImportJobs } from "./import-jobs";
import { sweepImports } from "./import-store";
import { rebuildCatalogue } from "./rebuild";
import { fixtureEntries, recorderRig } from "./recorder.testkit";
import { seriesOfEntries } from "./rebuild-series";
import { packetTime } from "./segmenter";
import { SERIES_KINDS, SqliteSeriesStore } from "./series";
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
  const db = openAppDatabase(dataDir, log, MIGRATIONS);
  dbs.push(db);
  const catalogue = new FlightCatalogue(AppSql.sqlite(db));
  return { dataDir, db, catalogue, deps: { catalogue, dataDir, clock: () => 1_800_000_000_000, log } };
}
/** Everything below the data directory but the database, sorted. */
function files(dataDir: string): string[] {
  return (fs.readdirSync(dataDir, { recursive: true }) as string[])
    .filter((f) => !/^(dmc\.sqlite|server\.lock)/.test(f) && fs.statSync(path.join(dataDir, f)).isFile()).sort();
}
function tlogOf(list: readonly TlogEntry[], shiftUs = 0): Buffer {
  return Buffer.concat(list.map((e) => tlogEntry(e.timeUs + shiftUs, e.frame.bytes)));
}
const statsOf = (f: { armedAt: number | null; disarmedAt: number | null; distanceM: number; maxAltRelM: number | null;
  maxDistHomeM: number | null; takeoff: unknown; landing: unknown; packets: number; endedAt: number | null;
  packetsReceived: number | null; packetsSent: number | null; messageCount: number; messagesDropped: number }) => ({
  armedAt: f.armedAt, disarmedAt: f.disarmedAt, distanceM: f.distanceM, maxAltRelM: f.maxAltRelM, maxDistHomeM: f.maxDistHomeM,
  takeoff: f.takeoff, landing: f.landing, packets: f.packets, endedAt: f.endedAt, packetsReceived: f.packetsReceived,
  packetsSent: f.packetsSent, messageCount: f.messageCount, messagesDropped: f.messagesDropped,
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
    const flight = (await s.catalogue.get(report.flights[0]!.id))!;
    expect(flight).toMatchObject({ status: "imported", source: "import: copter_flight_1.tlog", pilot: null, vehicle: { key: "1:1", type: "copter" } });
    const extract = fs.readFileSync(path.join(s.dataDir, flight.tlogPath));
    expect(flight.sha256).toBe(sha(extract));
    // The summary names the uploaded file's hash beside the extract's own, so a reviewer can tell the two apart.
    expect(flight.importedFileSha256).toBe(sha(original));
    expect(flight.sha256).not.toBe(flight.importedFileSha256);
    expect(flight.sizeBytes).toBe(extract.length);
    // The extract is the original's entries from 30 s before arming, byte for byte (timestamps included).
    const from = entries.findIndex((e) => packetTime(e.timeUs) >= flight.armedAt! - 30_000);
    expect(extract.equals(original.subarray(original.length - tlogOf(entries.slice(from)).length))).toBe(true);
    expect(flight.durationS).toBeGreaterThan(145);
    expect(flight.durationS).toBeLessThan(148);

    const again = await importTlog(s.deps, { path: FIXTURE, name: "renamed.tlog" });
    expect(again).toMatchObject({ duplicate: true, flights: report.flights });
    expect((await s.catalogue.list({})).total).toBe(1);
  });

  it("cuts a file of two flights into two extracts", async () => {
    const s = store();
    const file = path.join(s.dataDir, "upload.tlog");
    fs.writeFileSync(file, Buffer.concat([tlogOf(entries), tlogOf(entries, 3600e6)]));
    const report = await importTlog(s.deps, { path: file, name: "two.tlog" });
    expect(report.flights.map((f) => f.tlogPath)).toEqual([
      `imports/${report.sha256}/1-1-1.tlog`, `imports/${report.sha256}/1-1-2.tlog`,
    ]);
    const [a, b] = await Promise.all(report.flights.map(async (f) => (await s.catalogue.get(f.id))!));
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
    await rig.play(entries);
    await rig.advance(packetTime(entries.at(-1)!.timeUs) + 11_000);
    const [live] = (await rig.catalogue.list({})).flights;
    const s = store();
    const report = await importTlog(s.deps, { path: path.join(rig.dataDir, live!.tlogPath), name: "live.tlog" });
    await rig.recorder.close();
    rig.db.close();
    const imported = (await s.catalogue.get(report.flights[0]!.id))!;
    expect(statsOf(imported)).toEqual(statsOf(live!));
    expect(imported.startedAt).toBe(live!.startedAt);
    expect(imported.sha256).toBe(live!.sha256);
  });

  it("rebuild recomputes the same statistics from the files and reports a file that no longer matches its seal", async () => {
    const s = store();
    const report = await importTlog(s.deps, { path: FIXTURE, name: "f.tlog" });
    const before = (await s.catalogue.get(report.flights[0]!.id))!;
    const messages = await s.catalogue.messages(before.id);
    expect(messages.length).toBeGreaterThan(20);
    const wrong: FlightStats = {
      ...(statsOf(before) as Omit<FlightStats, "bbox" | "packetsIn" | "packetsOut" | "messages">),
      distanceM: 0, bbox: null, packetsIn: 0, packetsOut: 0, messages: [], messagesDropped: 0,
    };
    await s.catalogue.updateStats(before.id, wrong);
    expect(await s.catalogue.messages(before.id)).toEqual([]);
    expect((await rebuildCatalogue(s.catalogue, s.dataDir, log)).map((r) => r.outcome)).toEqual(["updated"]);
    expect(statsOf((await s.catalogue.get(before.id))!)).toEqual(statsOf(before));
    expect(await s.catalogue.messages(before.id)).toEqual(messages);
    fs.appendFileSync(path.join(s.dataDir, before.tlogPath), Buffer.from([0]));
    expect((await rebuildCatalogue(s.catalogue, s.dataDir, log)).map((r) => r.outcome)).toEqual(["hash-mismatch"]);
    expect(readTlogFile(FIXTURE).entries).toHaveLength(entries.length);
  });
});

describe("importTlog, refusing what is not MAVLink", () => {
  it("refuses an empty file, a PNG and random bytes with the reason, and keeps nothing of them", async () => {
    const s = store();
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 7)]);
    let x = 12345;
    const noise = Buffer.from(Array.from({ length: 200_000 }, () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x >> 16 & 0xff;
    }));
    const cases: [string, Buffer, RegExp][] = [
      ["empty.tlog", Buffer.alloc(0), /the file is empty/],
      ["photo.tlog", png, /no valid MAVLink packet in 3008 bytes: it looks like a PNG image/],
      ["noise.tlog", noise, /no valid MAVLink packet in 200000 bytes/],
    ];
    for (const [name, bytes, reason] of cases) {
      const file = path.join(os.tmpdir(), `dmc-refused-${process.pid}-${name}`);
      fs.writeFileSync(file, bytes);
      const refused = await importTlog(s.deps, { path: file, name }).catch((err: unknown) => err);
      fs.rmSync(file);
      expect(refused).toBeInstanceOf(ImportRefusedError);
      expect((refused as ImportRefusedError).code).toBe("not_mavlink");
      expect((refused as Error).message).toMatch(reason);
    }
    expect((await s.catalogue.list({})).total).toBe(0);
    expect(files(s.dataDir)).toEqual([]);
  });
});

describe("importTlog, series", () => {
  it("writes each imported flight's telemetry series, the points a rebuild derives from its extract", async () => {
    const s = store();
    const series = new SqliteSeriesStore(s.db, { log });
    const file = path.join(s.dataDir, "upload.tlog");
    fs.writeFileSync(file, Buffer.concat([tlogOf(entries), tlogOf(entries, 3600e6)]));
    const progress: string[] = [];
    const report = await importTlog({ ...s.deps, series }, { path: file, name: "two.tlog" }, (p) => progress.push(p.phase));
    expect(progress.at(-1)).toBe("series");
    expect(new Set(progress)).toEqual(new Set(["reading", "saving", "series"]));
    let total = 0;
    for (const f of report.flights) {
      const flight = (await s.catalogue.get(f.id))!;
      const expected = seriesOfEntries(readTlogFile(path.join(s.dataDir, f.tlogPath)).entries, flight.vehicle, f.id, log);
      expect(expected.length).toBeGreaterThan(1000);
      total += expected.length;
      for (const kind of SERIES_KINDS) {
        const got = await series.query({ kind, flightId: f.id, from: flight.startedAt, to: flight.endedAt! });
        const want = expected.filter((p) => p.kind === kind);
        expect(got.samples.map((x) => x.time)).toEqual(want.map((p) => p.time));
        expect(got.samples.at(-1)?.values).toEqual(expect.objectContaining(
          // -0 is stored as 0.
          Object.fromEntries(Object.entries(want.at(-1)!.values).flatMap(([k, v]) => (typeof v === "number" ? [[k, v + 0]] : [])))));
      }
    }
    expect(report.series).toEqual({ points: total, problem: null });
    // The report kept for a repeat upload says so too.
    const again = await importTlog({ ...s.deps, series }, { path: file, name: "again.tlog" });
    expect(again).toMatchObject({ duplicate: true, series: { points: total, problem: null } });
  });
});

describe("an interrupted import", () => {
  it("shows nothing when its commit fails, and keeps none of its files", async () => {
    const s = store();
    // The transaction fails at its last statement, the seal: its rows and report are rolled back with it.
    s.db.exec("CREATE TEMP TRIGGER refuse_seal BEFORE UPDATE OF sha256 ON flights BEGIN SELECT RAISE(ABORT, 'disk I/O error at commit'); END");
    await expect(importTlog(s.deps, { path: FIXTURE, name: "f.tlog" })).rejects.toThrow(/disk I\/O error/);
    expect((await s.catalogue.list({})).total).toBe(0);
    expect(files(s.dataDir)).toEqual([]);
    // The same file imports afterwards.
    s.db.exec("DROP TRIGGER temp.refuse_seal");
    const report = await importTlog(s.deps, { path: FIXTURE, name: "f.tlog" });
    expect(report.flights).toHaveLength(1);
  });

  it("stopped while reading leaves nothing; what a crash left is swept at start, and nothing a row names", async () => {
    const s = store();
    const stop = new AbortController();
    const big = path.join(s.dataDir, "big.tlog");
    fs.writeFileSync(big, Buffer.concat(Array.from({ length: 8 }, (_, i) => tlogOf(entries, i * 3600e6))));
    const stopped = importTlog(s.deps, { path: big, name: "big.tlog" }, (p) => { if (p.bytes > 0) stop.abort(); }, stop.signal);
    await expect(stopped).rejects.toThrow(/stopped/);
    fs.rmSync(big);
    expect((await s.catalogue.list({})).total).toBe(0);
    expect(files(s.dataDir)).toEqual([]);

    // A completed import stays; the leftovers of a crash (an upload, a staging directory, files moved into place
    // whose rows never committed, with the report written in that transaction) go.
    const kept = await importTlog(s.deps, { path: FIXTURE, name: "kept.tlog" });
    const before = files(s.dataDir);
    const ghost = "ab".repeat(32);
    const imports = path.join(s.dataDir, "imports");
    fs.mkdirSync(path.join(imports, ".staging-x1", "extracts"), { recursive: true });
    fs.writeFileSync(path.join(imports, ".staging-x1", "extracts", "1-1-1.tlog"), "x");
    fs.mkdirSync(path.join(imports, ghost));
    fs.writeFileSync(path.join(imports, ghost, "1-1-1.tlog"), "x");
    fs.writeFileSync(path.join(imports, `${ghost}.tlog`), "x");
    fs.writeFileSync(path.join(imports, `${ghost}.pending`), "");
    fs.writeFileSync(path.join(imports, `${ghost}.json`), JSON.stringify({ ...kept, sha256: ghost,
      flights: [{ ...kept.flights[0]!, id: 99, tlogPath: `imports/${ghost}/1-1-1.tlog` }] }));
    fs.mkdirSync(path.join(s.dataDir, "tmp"), { recursive: true });
    fs.writeFileSync(path.join(s.dataDir, "tmp", "upload-0123abcd.part"), "x");
    // The marker of the completed import, as if the server stopped right after its commit.
    fs.writeFileSync(path.join(imports, `${kept.sha256}.pending`), "");
    const swept = await sweepImports(s.deps, log);
    // Imported here without a series store: its series are still to be written, by the server that has one.
    expect(swept.seriesPending.map((r) => r.sha256)).toEqual([kept.sha256]);
    expect(files(s.dataDir)).toEqual(before);
    expect(await s.catalogue.get(kept.flights[0]!.id)).toMatchObject({ tlogPath: kept.flights[0]!.tlogPath });
  });
});

describe("an import whose series were not written", () => {
  it("gets them at the next start, and its report says so", async () => {
    const s = store();
    // Committed, then the server stopped before the series: the report says `series: null`.
    const report = await importTlog(s.deps, { path: FIXTURE, name: "f.tlog" });
    expect(report.series).toBeNull();
    const series = new SqliteSeriesStore(s.db, { log });
    const jobs = new ImportJobs({ ...s.deps, series }, 1024 ** 3);
    const recovered = await jobs.recover();
    expect(recovered.resumed).toBe(1);
    // Uploads wait while it runs.
    expect(jobs.claim()).toBeNull();
    await recovered.done;
    const flight = (await s.catalogue.get(report.flights[0]!.id))!;
    const got = await series.query({ kind: "position", flightId: flight.id, from: flight.startedAt, to: flight.endedAt! });
    expect(got.samples.length).toBeGreaterThan(100);
    const again = await importTlog({ ...s.deps, series }, { path: FIXTURE, name: "f.tlog" });
    expect(again.series).toMatchObject({ problem: null });
    expect(again.series!.points).toBeGreaterThan(got.samples.length);
    expect((await jobs.recover()).resumed).toBe(0);
    expect(jobs.claim()).not.toBeNull();
    await jobs.close();
  });
});
