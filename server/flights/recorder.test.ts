import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { frameOf, readTlogFile, withIds } from "../mavlink";
import type { TlogEntry } from "../mavlink";
import { failingFs, fixtureEntries, recorderRig } from "./recorder.testkit";
import type { Rig } from "./recorder.testkit";
import { packetTime } from "./segmenter";

const entries = fixtureEntries();
const t = (e: TlogEntry) => packetTime(e.timeUs);
const armIndex = entries.findIndex((e) => e.frame.msgid === 0 && (e.frame.payload[6]! & 128) !== 0);
const ARMED_AT = t(entries[armIndex]!);
const sha = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const hex = (list: readonly TlogEntry[]) => list.map((e) => e.frame.bytes.toString("hex"));
const fromVehicle = (list: readonly TlogEntry[]) => list.filter((e) => e.frame.sysid === 1);

let rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs) {
    // A "crashed" rig's database is closed already: it is left as a crash leaves it.
    if (!r.db.open) continue;
    await r.recorder.close();
    r.db.close();
  }
  rigs = [];
});
async function rig(...args: Parameters<typeof recorderRig>): Promise<Rig> {
  const r = await recorderRig(...args);
  rigs.push(r);
  return r;
}

describe("FlightRecorder", () => {
  it("records the flight with 30 s of pre-roll, every packet byte for byte, and seals it with the file's SHA-256", async () => {
    const r = await rig();
    await r.play(entries);
    const open = await r.catalogue.recording();
    expect(open).toHaveLength(1);
    expect(open[0]!).toMatchObject({ pilot: "pia", source: "live", status: "recording", previousId: null });
    await r.advance(t(entries[entries.length - 1]!) + 11_000);
    const [flight] = (await r.catalogue.list({})).flights;
    expect(flight!.status).toBe("closed");
    const file = path.join(r.dataDir, flight!.tlogPath);
    expect(flight!.sha256).toBe(sha(file));
    expect(flight!.sizeBytes).toBe(fs.statSync(file).size);
    const recorded = readTlogFile(file);
    expect(recorded.counters).toMatchObject({ garbageBytes: 0, crcErrors: 0, truncated: 0 });
    const expected = entries.filter((e) => t(e) >= ARMED_AT - 30_000);
    expect(hex(fromVehicle(recorded.entries))).toEqual(hex(expected));
    expect(t(recorded.entries[0]!)).toBeGreaterThanOrEqual(ARMED_AT - 30_000);
    // Our heartbeats (broadcast on the vehicle's link) are in the record too.
    expect(recorded.entries.filter((e) => e.frame.sysid === 255).length).toBeGreaterThan(150);
    expect(flight!.packets).toBe(recorded.entries.length);
    expect(flight!.durationS).toBeGreaterThan(145);
    expect(flight!.maxAltRelM).toBeGreaterThan(29);
  });

  it("keeps its own copy of each packet: a link reusing its buffer right after changes nothing recorded", async () => {
    const r = await rig();
    const record = r.recorder.packet.bind(r.recorder);
    r.recorder.packet = (p) => {
      record(p);
      // What a link reusing its receive buffer does to a frame once the packet event is over.
      if (p.direction === "in") p.frame.buf.fill(0);
    };
    await r.play(entries.map((e) => ({ timeUs: e.timeUs, frame: frameOf(Buffer.from(e.frame.bytes)) })));
    await r.advance(t(entries[entries.length - 1]!) + 11_000);
    const [flight] = (await r.catalogue.list({})).flights;
    const recorded = readTlogFile(path.join(r.dataDir, flight!.tlogPath));
    expect(hex(fromVehicle(recorded.entries))).toEqual(hex(entries.filter((e) => t(e) >= ARMED_AT - 30_000)));
    // The statistics come from the frames as decoded after the event, not from the bytes alone.
    expect(flight!.durationS).toBeGreaterThan(145);
    expect(flight!.maxAltRelM).toBeGreaterThan(29);
  });

  it("names as pilot the first person to take control after arming, and never replaces a named pilot", async () => {
    let holder: string | null = null;
    const r = await rig({ pilotOf: () => holder });
    const armedPlus20s = entries.findIndex((e) => t(e) >= ARMED_AT + 20_000);
    await r.play(entries.slice(0, armedPlus20s));
    expect((await r.catalogue.recording())[0]!.pilot).toBeNull();
    holder = "pia";
    const armedPlus40s = entries.findIndex((e) => t(e) >= ARMED_AT + 40_000);
    await r.play(entries.slice(armedPlus20s, armedPlus40s));
    expect((await r.catalogue.recording())[0]!.pilot).toBe("pia");
    // Control changing hands later leaves the flight's pilot as it was: the audit log has every hand-over.
    holder = "paul";
    await r.play(entries.slice(armedPlus40s));
    await r.advance(t(entries[entries.length - 1]!) + 11_000);
    expect((await r.catalogue.list({})).flights[0]!.pilot).toBe("pia");
  });

  it("keeps 10 s after disarming, then writes to the hourly session log", async () => {
    const r = await rig();
    await r.play(entries);
    const disarmedAt = r.recorder.recordingNow().size === 1 ? (await r.catalogue.recording())[0] : null;
    expect(disarmedAt).not.toBeNull();
    const last = entries[entries.length - 1]!;
    const beat = entries.filter((e) => e.frame.msgid === 0).at(-1)!;
    // The vehicle keeps talking after the fixture ends: heartbeats at +1 s ... +15 s after its last packet.
    const later = Array.from({ length: 15 }, (_, i) => ({ timeUs: last.timeUs + (i + 1) * 1_000_000, frame: beat.frame }));
    await r.play(later);
    await r.advance(t(later.at(-1)!) + 2000);
    const [flight] = (await r.catalogue.list({})).flights;
    expect(flight!.status).toBe("closed");
    expect(flight!.endedAt! - flight!.disarmedAt!).toBeLessThanOrEqual(10_000);
    expect(flight!.endedAt! - flight!.disarmedAt!).toBeGreaterThan(9_000);
    const inFlight = readTlogFile(path.join(r.dataDir, flight!.tlogPath)).entries;
    expect(t(inFlight.at(-1)!)).toBeLessThanOrEqual(flight!.disarmedAt! + 10_000);
    const sessionDir = path.join(r.dataDir, "sessions", "link1");
    const session = fs.readdirSync(sessionDir).flatMap((f) => readTlogFile(path.join(sessionDir, f)).entries);
    const after = session.filter((e) => t(e) > flight!.disarmedAt! + 10_000);
    expect(after.length).toBeGreaterThan(0);
    // Before arming, every packet went to the session log (the pre-roll is in both).
    expect(fromVehicle(session).filter((e) => t(e) < ARMED_AT).length).toBe(armIndex);
    // Our heartbeats, broadcast on the link, are in the link's log once each, not once per vehicle.
    const ours = session.filter((e) => e.frame.sysid === 255).map((e) => e.timeUs);
    expect(new Set(ours).size).toBe(ours.length);
  });

  it("keeps one session log per link, whatever the number of vehicles on it, and quarantines apart", async () => {
    const r = await rig({ heartbeats: false });
    const beat = entries.find((e) => e.frame.msgid === 0)!;
    const base = Date.UTC(2026, 10, 20, 6, 0, 0);
    for (let sysid = 1; sysid <= 50; sysid++) {
      const bytes = withIds(beat.frame.bytes, sysid, 1);
      await r.play([{ timeUs: (base + sysid) * 1000, frame: { ...beat.frame, sysid, bytes } }]);
    }
    r.recorder.quarantine("link1", base + 100, beat.frame.bytes);
    await r.advance(base + 2000);
    expect(fs.readdirSync(path.join(r.dataDir, "sessions"))).toEqual(["link1"]);
    const session = fs.readdirSync(path.join(r.dataDir, "sessions", "link1"));
    expect(session).toHaveLength(1);
    expect(new Set(readTlogFile(path.join(r.dataDir, "sessions", "link1", session[0]!)).entries.map((e) => e.frame.sysid)).size).toBe(50);
    const quarantined = fs.readdirSync(path.join(r.dataDir, "quarantine", "link1"));
    expect(readTlogFile(path.join(r.dataDir, "quarantine", "link1", quarantined[0]!)).entries).toHaveLength(1);
  });

  it("flushes every second: the file holds everything up to the last tick", async () => {
    const r = await rig();
    const upTo = entries.findIndex((e) => t(e) > ARMED_AT + 20_500);
    await r.play(entries.slice(0, upTo));
    const [flight] = await r.catalogue.recording();
    const onDisk = readTlogFile(path.join(r.dataDir, flight!.tlogPath)).entries;
    const lastTick = Math.floor((r.clock.now - 0) / 1000);
    expect(onDisk.length).toBeGreaterThan(1000);
    // Nothing older than the last tick (at most ~1 s back) is missing.
    const missing = fromVehicle(entries.slice(0, upTo)).filter((e) => t(e) >= ARMED_AT - 30_000)
      .filter((e) => !onDisk.some((d) => d.timeUs === t(e) * 1000 && d.frame.bytes.equals(e.frame.bytes)));
    for (const m of missing) expect(r.clock.now - t(m)).toBeLessThanOrEqual(1000);
    expect(lastTick).toBeGreaterThan(0);
    // Statistics reach the catalogue while recording (every 5 s).
    expect((await r.catalogue.get(flight!.id))!.maxAltRelM).toBeGreaterThan(5);
  });

  it("applies the session retention: age and size per link", async () => {
    const beat = entries.find((e) => e.frame.msgid === 0)!;
    const hour = 3_600_000;
    const base = Date.UTC(2026, 10, 20, 6, 0, 0);
    const kept = async (limits: { sessionMaxAgeMs: number; sessionMaxBytes: number }) => {
      const r = await rig({ heartbeats: false, tickMs: 60_000, options: { ...limits, retentionEveryMs: 60_000 } });
      // A heartbeat every 10 minutes for 5 hours: 5 hourly files of 6 entries (174 bytes each).
      for (let m = 0; m < 300; m += 10) await r.play([{ timeUs: (base + m * 60_000) * 1000, frame: beat.frame }]);
      await r.advance(base + 5 * hour + 61_000);
      return fs.readdirSync(path.join(r.dataDir, "sessions", "link1")).sort();
    };
    expect(await kept({ sessionMaxAgeMs: 2 * hour, sessionMaxBytes: 1e9 })).toEqual(["2026-11-20T09.tlog", "2026-11-20T10.tlog"]);
    expect(await kept({ sessionMaxAgeMs: 1e9, sessionMaxBytes: 400 })).toEqual(["2026-11-20T09.tlog", "2026-11-20T10.tlog"]);
    expect(await kept({ sessionMaxAgeMs: 1e9, sessionMaxBytes: 200 })).toEqual(["2026-11-20T10.tlog"]);
  });

  it("survives a full disk: reports once, keeps packets in memory, writes them when the disk is back", async () => {
    const disk = failingFs();
    const r = await rig({ fs: disk });
    const mid = entries.findIndex((e) => t(e) > ARMED_AT + 30_000);
    const end = entries.findIndex((e) => t(e) > ARMED_AT + 60_000);
    await r.play(entries.slice(0, mid));
    disk.failWith = "ENOSPC";
    await r.play(entries.slice(mid, end));
    expect(r.problems.map((p) => p.kind)).toEqual(["disk-full"]);
    disk.failWith = null;
    await r.play(entries.slice(end));
    expect(r.problems.map((p) => p.kind)).toEqual(["disk-full", "recovered"]);
    await r.advance(t(entries.at(-1)!) + 11_000);
    const [flight] = (await r.catalogue.list({})).flights;
    const file = path.join(r.dataDir, flight!.tlogPath);
    expect(flight!.sha256).toBe(sha(file));
    expect(hex(fromVehicle(readTlogFile(file).entries))).toEqual(hex(entries.filter((e) => t(e) >= ARMED_AT - 30_000)));
  });

  it("with the memory buffer full too, reports the packets lost and resumes", async () => {
    const disk = failingFs();
    // Room for the pre-roll (~30 s, ~130 kB) and then some, not for a minute of a failing disk.
    const r = await rig({ fs: disk, options: { maxBufferedBytes: 250_000 } });
    const mid = entries.findIndex((e) => t(e) > ARMED_AT + 10_000);
    const end = entries.findIndex((e) => t(e) > ARMED_AT + 70_000);
    await r.play(entries.slice(0, mid));
    disk.failWith = "EACCES";
    await r.play(entries.slice(mid, end));
    disk.failWith = null;
    await r.play(entries.slice(end));
    await r.advance(t(entries.at(-1)!) + 11_000);
    const kinds = r.problems.map((p) => p.kind);
    expect(kinds).toEqual(["unwritable", "dropped", "recovered"]);
    const [flight] = (await r.catalogue.list({})).flights;
    const file = path.join(r.dataDir, flight!.tlogPath);
    expect(flight!.sha256).toBe(sha(file));
    expect(readTlogFile(file).counters).toMatchObject({ garbageBytes: 0, crcErrors: 0, truncated: 0 });
  });

  it("after a crash, seals the interrupted flight as it is on disk and links the new segment to it", async () => {
    const first = await rig();
    const cut = entries.findIndex((e) => t(e) > ARMED_AT + 60_000);
    await first.play(entries.slice(0, cut));
    // Crash: no close(). What the last tick flushed is on disk.
    const [interrupted] = await first.catalogue.recording();
    const second = await first.reopen();
    rigs.push(second);
    const sealed = (await second.catalogue.get(interrupted!.id))!;
    // Not "closed": it ended at the crash, at the last packet written, not at a disarm.
    expect(sealed).toMatchObject({ status: "interrupted", disarmedAt: null, continuedBy: null });
    const file = path.join(second.dataDir, sealed.tlogPath);
    expect(sealed.sha256).toBe(sha(file));
    expect(sealed.endedAt).toBe(t(readTlogFile(file).entries.at(-1)!));
    expect(sealed.durationS).toBe((sealed.endedAt! - sealed.armedAt!) / 1000);
    expect(sealed.packets).toBe(readTlogFile(file).entries.length);
    const onDisk = fromVehicle(readTlogFile(file).entries).length;
    expect(fromVehicle(entries.slice(0, cut)).filter((e) => t(e) >= ARMED_AT - 30_000).length - onDisk).toBeLessThan(150);
    await second.play(entries.slice(cut));
    await second.advance(t(entries.at(-1)!) + 11_000);
    const flights = (await second.catalogue.list({})).flights;
    expect(flights).toHaveLength(2);
    const segment = flights.find((f) => f.id !== interrupted!.id)!;
    expect(segment).toMatchObject({ previousId: interrupted!.id, status: "closed" });
    expect(segment.disarmedAt).not.toBeNull();
    expect((await second.catalogue.get(interrupted!.id))!.continuedBy).toEqual({ id: segment.id, gapMs: segment.startedAt - sealed.endedAt! });
  });
});

describe("the flight's catalogue row", () => {
  const last = () => t(entries.at(-1)!) + 11_000;

  it("exists before the file: the file is held until its row is written, and takes the next name when a row has it", async () => {
    const first = await rig();
    await first.play(entries);
    await first.advance(last());
    const [recorded] = (await first.catalogue.list({})).flights;
    // Another data directory whose catalogue has a row for that very name (its file gone, as under retention).
    const r = await rig();
    const [taken] = await r.catalogue.createSealed([{
      flight: { ...recorded!, status: "imported", pilot: null, previousId: null, source: "test" },
      stats: { armedAt: null, disarmedAt: null, distanceM: 0, maxAltRelM: null, maxDistHomeM: null, takeoff: null, landing: null,
        bbox: null, packets: 0, packetsIn: 0, packetsOut: 0, messages: [], messagesDropped: 0, endedAt: null },
      seal: { endedAt: recorded!.startedAt, sizeBytes: 0, sha256: "00".repeat(32) },
    }]);
    const armed = entries.findIndex((e) => t(e) > ARMED_AT + 5_000);
    await r.play(entries.slice(0, armed));
    const id = r.recorder.flightOf("1:1");
    expect(id).not.toBeNull();
    const flight = (await r.catalogue.get(id!))!;
    expect(flight.tlogPath).toBe(recorded!.tlogPath.replace(/\.tlog$/, "-2.tlog"));
    expect(fs.existsSync(path.join(r.dataDir, flight.tlogPath))).toBe(true);
    expect(fs.existsSync(path.join(r.dataDir, recorded!.tlogPath))).toBe(false);
    await r.play(entries.slice(armed));
    await r.advance(last());
    const sealed = (await r.catalogue.get(id!))!;
    expect(sealed).toMatchObject({ status: "closed", sha256: recorded!.sha256, packets: recorded!.packets });
    expect(await r.catalogue.get(taken!)).toMatchObject({ tlogPath: recorded!.tlogPath, sha256: "00".repeat(32) });
  });

  it("is written when the database takes it again; meanwhile the flight is recorded, and the trouble reported once", async () => {
    const r = await rig();
    r.db.exec("CREATE TEMP TRIGGER refuse_flights BEFORE INSERT ON flights BEGIN SELECT RAISE(ABORT, 'database refused the row'); END");
    const mid = entries.findIndex((e) => t(e) > ARMED_AT + 40_000);
    await r.play(entries.slice(0, mid));
    expect(r.problems.map((p) => p.kind)).toEqual(["catalogue"]);
    expect(r.problems[0]!.message).toMatch(/database refused the row.*still recorded/);
    expect(r.recorder.flightOf("1:1")).toBeNull();
    expect(r.recorder.catalogueBacklog).toBe(1);
    expect((await r.catalogue.list({})).total).toBe(0);
    // The record does not wait for its row.
    const dir = path.join(r.dataDir, "flights", "1-1");
    const [file] = fs.readdirSync(dir);
    expect(readTlogFile(path.join(dir, file!)).entries.length).toBeGreaterThan(1000);
    r.db.exec("DROP TRIGGER temp.refuse_flights");
    // Tried again every 2 s of the server's own time.
    await vi.waitFor(() => expect(r.recorder.flightOf("1:1")).not.toBeNull(), { timeout: 5_000, interval: 50 });
    await r.play(entries.slice(mid));
    await r.advance(last());
    expect(r.problems.map((p) => p.kind)).toEqual(["catalogue", "catalogue-recovered"]);
    const [flight] = (await r.catalogue.list({})).flights;
    expect(flight).toMatchObject({ status: "closed", tlogPath: `flights/1-1/${file}` });
    expect(flight!.sha256).toBe(sha(path.join(dir, file!)));
    expect(hex(fromVehicle(readTlogFile(path.join(dir, file!)).entries))).toEqual(hex(entries.filter((e) => t(e) >= ARMED_AT - 30_000)));
    expect(flight!.maxAltRelM).toBeGreaterThan(29);
    expect(r.recorder.catalogueBacklog).toBe(0);
  });

  it("keeps the seal of a flight that ended while the database refused it, and writes it when it is back", async () => {
    const r = await rig();
    await r.play(entries);
    r.db.exec("CREATE TEMP TRIGGER refuse_seal BEFORE UPDATE OF sha256 ON flights BEGIN SELECT RAISE(ABORT, 'database refused the seal'); END");
    await r.advance(last());
    const [open] = await r.catalogue.recording();
    expect(open).toMatchObject({ status: "recording", sha256: null });
    expect(r.recorder.catalogueBacklog).toBe(1);
    r.db.exec("DROP TRIGGER temp.refuse_seal");
    await vi.waitFor(async () => expect(await r.catalogue.get(open!.id)).toMatchObject({ status: "closed" }), { timeout: 5_000, interval: 50 });
    expect((await r.catalogue.get(open!.id))!.sha256).toBe(sha(path.join(r.dataDir, open!.tlogPath)));
  });
});
