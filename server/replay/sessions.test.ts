import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Alert } from "../protocol";
import type { ReplayHandle } from "./sessions";
import type { ReplaySessions } from "./sessions";
import { FIXTURE, RecordingSink, flightOf, rewrittenFixture, sessionsOn, tempDataDir } from "./sessions.testkit";

const open: { sessions: ReplaySessions }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.sessions.stop();
});

function setup(files: { name: string; sysid: number }[], opts: { checkpointMs?: number } = {}) {
  const dataDir = tempDataDir();
  const flights = files.map((f, i) => flightOf(i + 1, f.name, f.sysid));
  const sessions = sessionsOn(dataDir, flights, opts);
  open.push({ sessions });
  return { dataDir, sessions };
}

async function openOne(sessions: ReplaySessions, ids: number[], extra: { alignTakeoff?: boolean; at?: number } = {}, user = "reviewer") {
  const sink = new RecordingSink();
  const r = await sessions.open(user, { flights: ids, ...extra }, sink);
  if (!r.ok) throw new Error(r.error.message);
  return { sink, handle: r.value };
}

async function seekSnapshot(h: { sink: RecordingSink; handle: ReplayHandle }, time: number) {
  const n = h.sink.snapshots.length;
  h.handle.control({ action: "seek", time });
  return h.sink.snapshotAfter(n);
}

const seek = async (h: { sink: RecordingSink; handle: ReplayHandle }, time: number) => (await seekSnapshot(h, time)).vehicles;

const BATTERY = new URL("../../test/fixtures/battery_failsafe_land.tlog", import.meta.url).pathname;

/** The alerts a screen holds at `time` after receiving `emitted` in order: each id's last version at or before it. */
function heldAt(emitted: readonly Alert[], time: number): Alert[] {
  const byId = new Map<number, Alert>();
  for (const a of emitted) if (Math.max(a.raisedAt, a.updatedAt, a.clearedAt ?? -Infinity) <= time) byId.set(a.id, a);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

describe("replay sessions on the real ArduCopter flight (copter_flight_1.tlog)", () => {
  it("a seek restores a checkpoint and plays forward: the same state as playing there from the start, forwards and backwards", async () => {
    const a = setup([{ name: "a.tlog", sysid: 1 }], { checkpointMs: 30_000 });
    fs.copyFileSync(FIXTURE, path.join(a.dataDir, "a.tlog"));
    // Checkpoints further apart than the flight: every seek plays from the first packet.
    const b = setup([{ name: "a.tlog", sysid: 1 }], { checkpointMs: 3_600_000 });
    fs.copyFileSync(FIXTURE, path.join(b.dataDir, "a.tlog"));
    const sa = await openOne(a.sessions, [1]);
    const sb = await openOne(b.sessions, [1]);
    const start = sa.handle.info.start;
    for (const s of [60_000, 90_000, 95_500, 150_000, 40_000, 60_000]) {
      const [va, vb] = [await seekSnapshot(sa, start + s), await seekSnapshot(sb, start + s)];
      expect(va.vehicles.length).toBe(1);
      expect(va.vehicles).toEqual(vb.vehicles);
      if (s >= 90_000) expect(va.trails!["1:1"]!.length).toBeGreaterThan(10);
      expect(va.trails).toEqual(vb.trails);
    }
  });

  it("seek to 60 s then play to the end gives the same state as seeking to the end", async () => {
    const a = setup([{ name: "a.tlog", sysid: 1 }]);
    fs.copyFileSync(FIXTURE, path.join(a.dataDir, "a.tlog"));
    const s = await openOne(a.sessions, [1]);
    await seek(s, s.handle.info.start + 60_000);
    s.handle.control({ action: "speed", speed: "max" });
    s.handle.control({ action: "play" });
    await s.sink.until(() => s.sink.states.some((st) => st.ended));
    const played = s.sink.latest.get("1:1");
    expect(played?.armed).toBe(false);
    expect(played?.mission?.reached.length).toBe(6);
    const seeked = (await seek(s, s.handle.info.end))[0];
    expect(played).toEqual(seeked);
  });

  it("alerts after a seek are those of playing there from the start (battery_failsafe_land.tlog): episodes already open stay open", async () => {
    const a = setup([{ name: "b.tlog", sysid: 1 }], { checkpointMs: 10_000 });
    fs.copyFileSync(BATTERY, path.join(a.dataDir, "b.tlog"));
    const s = await openOne(a.sessions, [1]);
    const start = s.handle.info.start;
    s.handle.control({ action: "speed", speed: "max" });
    s.handle.control({ action: "play" });
    await s.sink.until(() => s.sink.states.some((st) => st.ended));
    const played = [...(s.sink.snapshots[0]!.alerts ?? []), ...s.sink.alerts];
    expect(new Set(played.map((x) => x.rule))).toEqual(new Set(["statustext", "vehicle_mode_change", "battery_low", "battery_critical"]));
    // 95 s: the critical episode began at 90 s, between two checkpoints; the low one was superseded then.
    for (const t of [60_000, 78_000, 95_000, 112_000, 40_000, s.handle.info.end - start]) {
      const snap = await seekSnapshot(s, start + t);
      expect(snap.alerts).toEqual(heldAt(played, start + t));
    }
    const at95 = (await seekSnapshot(s, start + 95_000)).alerts ?? [];
    expect(at95.find((x) => x.rule === "battery_critical")?.clearedAt).toBeNull();
    expect(at95.find((x) => x.rule === "battery_low")?.clearReason).toBe("superseded");
    // Playing on from the seek clears the failsafe's mode-change alert exactly once, with the same id.
    const before = s.sink.alerts.length;
    s.handle.control({ action: "play" });
    await s.sink.until(() => s.sink.states.filter((st) => st.ended).length >= 2);
    const after = s.sink.alerts.slice(before);
    const takeover = at95.find((x) => x.rule === "vehicle_mode_change")!;
    expect(after.filter((x) => x.id === takeover.id && x.clearedAt !== null)).toHaveLength(1);
    expect(after.filter((x) => x.rule === "vehicle_mode_change" && x.id !== takeover.id)).toEqual([]);
  });

  it("the mission on the vehicle comes from the recorded transfers: none before the upload, the downloaded plan after", async () => {
    const a = setup([{ name: "a.tlog", sysid: 1 }]);
    fs.copyFileSync(FIXTURE, path.join(a.dataDir, "a.tlog"));
    const s = await openOne(a.sessions, [1]);
    const start = s.handle.info.start;
    expect((await seekSnapshot(s, start + 30_000)).missions).toEqual({});
    const later = (await seekSnapshot(s, start + 100_000)).missions?.["1:1"];
    expect(later?.source).toBe("download");
    expect(later?.plan?.items.map((i) => i.command)).toEqual([22, 16, 16, 16, 16, 20]);
    expect(later?.plan?.home).toMatchObject({ lat: 51.5073998 });
    // Played through the transfers: the upload (its items are not in this vehicle-side recording) makes the plan
    // unknown, then the read-back shows it.
    await seekSnapshot(s, start + 50_000);
    s.handle.control({ action: "speed", speed: "max" });
    s.handle.control({ action: "play" });
    await s.sink.until(() => s.sink.states.some((st) => st.ended));
    expect(s.sink.missions.map((m) => [m.source, m.plan?.items.length ?? null])).toEqual([[null, null], ["download", 6], ["download", 6]]);
  });

  it("marks: arming, take-off, commanded mode changes, messages, items reached, landing, the bookmark", async () => {
    const a = setup([{ name: "a.tlog", sysid: 1 }]);
    fs.copyFileSync(FIXTURE, path.join(a.dataDir, "a.tlog"));
    const { sink, handle } = await openOne(a.sessions, [1]);
    const kinds = handle.info.marks.map((m) => m.kind);
    for (const k of ["armed", "takeoff", "mode", "message", "mission_item", "landing", "disarmed", "bookmark"]) expect(kinds).toContain(k);
    const modes = handle.info.marks.filter((m) => m.kind === "mode").map((m) => m.text);
    expect(modes).toEqual(["STABILIZE → GUIDED", "GUIDED → AUTO"]);
    // The vehicle events agree: the recording's acknowledgements stand for the command gate a replay does not have.
    const events = (await seekSnapshot({ sink, handle }, handle.info.end)).events ?? [];
    expect(events.filter((e) => e.kind === "mode_change").map((e) => e.kind === "mode_change" && [e.to, e.commanded])).toEqual([["AUTO", true], ["GUIDED", true]]);
    expect(handle.info.marks.filter((m) => m.kind === "mission_item" && m.text.startsWith("Reached"))).toHaveLength(6);
    expect(handle.info.warnings).toEqual([]);
    expect(handle.info.marks.map((m) => m.time)).toEqual([...handle.info.marks.map((m) => m.time)].sort((x, y) => x - y));
  });

  it("two flights of different vehicles play merged in time order; align at take-off shifts the second", async () => {
    const HOUR = 3_600_000;
    const a = setup([{ name: "one.tlog", sysid: 1 }, { name: "two.tlog", sysid: 2 }]);
    fs.copyFileSync(FIXTURE, path.join(a.dataDir, "one.tlog"));
    rewrittenFixture(a.dataDir, "two.tlog", 2, 20_000);
    const s = await openOne(a.sessions, [1, 2]);
    expect(s.handle.info.end - s.handle.info.start).toBeGreaterThan(200_000);
    s.handle.control({ action: "speed", speed: "max" });
    s.handle.control({ action: "play" });
    await s.sink.until(() => s.sink.states.some((st) => st.ended));
    const seen = s.sink.frames.flatMap((f) => f.vehicles.map((v) => v.key));
    expect(new Set(seen)).toEqual(new Set(["1:1", "2:1"]));
    const times = s.sink.frames.map((f) => f.time);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    // Vehicle 2 is the same flight 20 s later: at any moment it is where vehicle 1 was 20 s before.
    const at = s.handle.info.start + 100_000;
    const both = await seek(s, at);
    const earlier = await seek(s, at - 20_000);
    expect(both.find((v) => v.key === "2:1")?.position).toEqual(earlier.find((v) => v.key === "1:1")?.position);

    const b = setup([{ name: "one.tlog", sysid: 1 }, { name: "two.tlog", sysid: 2 }]);
    fs.copyFileSync(FIXTURE, path.join(b.dataDir, "one.tlog"));
    rewrittenFixture(b.dataDir, "two.tlog", 2, 26 * HOUR);
    const aligned = await openOne(b.sessions, [1, 2], { alignTakeoff: true });
    expect(aligned.handle.info.flights.map((f) => f.shiftMs)).toEqual([0, -26 * HOUR]);
    const v = await seek(aligned, aligned.handle.info.start + 100_000);
    expect(v.find((x) => x.key === "2:1")?.position).toEqual(v.find((x) => x.key === "1:1")?.position);
  });

  it("a damaged file replays what is valid and marks the damaged span", async () => {
    const a = setup([{ name: "bad.tlog", sysid: 1 }]);
    const bytes = fs.readFileSync(FIXTURE);
    const at = Math.floor(bytes.length / 2);
    bytes.fill(0x55, at, at + 4096);
    fs.writeFileSync(path.join(a.dataDir, "bad.tlog"), bytes);
    const s = await openOne(a.sessions, [1]);
    const damaged = s.handle.info.marks.filter((m) => m.kind === "damaged");
    expect(damaged).toHaveLength(1);
    expect(damaged[0]!.end! - damaged[0]!.time).toBeGreaterThan(0);
    expect(damaged[0]!.text).toMatch(/unreadable/);
    expect(s.handle.info.warnings.join()).toMatch(/damaged file/);
    const end = (await seek(s, s.handle.info.end))[0];
    expect(end?.armed).toBe(false);
    expect(end?.mission?.reached.length).toBe(6);
  });

  it("refuses what it cannot replay and warns about an altered file", async () => {
    const dataDir = tempDataDir();
    fs.copyFileSync(FIXTURE, path.join(dataDir, "a.tlog"));
    const sessions = sessionsOn(dataDir, [flightOf(1, "a.tlog", 1, "altered"), flightOf(2, "gone.tlog"), flightOf(3, "../../etc/passwd"),
      flightOf(4, "a.tlog")]);
    open.push({ sessions });
    const sink = new RecordingSink();
    const refused = async (ids: number[]) => {
      const r = await sessions.open("reviewer", { flights: ids }, sink);
      return r.ok ? "opened" : r.error.code;
    };
    expect(await refused([])).toBe("bad_request");
    expect(await refused([9])).toBe("not_found");
    expect(await refused([2])).toBe("file_unreadable");
    expect(await refused([3])).toBe("file_unreadable");
    expect(await refused([1, 4])).toBe("bad_request");
    const r = await sessions.open("reviewer", { flights: [1] }, sink);
    expect(r.ok && r.value.info.warnings[0]).toMatch(/^flight 1: file altered \(SHA-256 abab.* differs from its seal/);
  });

  it("the seek index is derived: rebuilt when unreadable, the .tlog never changed", async () => {
    const a = setup([{ name: "a.tlog", sysid: 1 }]);
    fs.copyFileSync(FIXTURE, path.join(a.dataDir, "a.tlog"));
    const before = fs.readFileSync(path.join(a.dataDir, "a.tlog"));
    const first = await openOne(a.sessions, [1]);
    const index = fs.readdirSync(path.join(a.dataDir, "index"));
    expect(index).toHaveLength(1);
    first.handle.close();
    fs.writeFileSync(path.join(a.dataDir, "index", index[0]!), "not an index");
    const again = await openOne(a.sessions, [1]);
    expect(again.handle.info.marks).toEqual(first.handle.info.marks);
    expect(fs.readdirSync(path.join(a.dataDir, "index"))).toEqual(index);
    expect(fs.readFileSync(path.join(a.dataDir, "a.tlog")).equals(before)).toBe(true);
  });

  it("the 17th session is refused while 16 are open, and a fifth one for the same user", async () => {
    const a = setup([{ name: "a.tlog", sysid: 1 }]);
    fs.copyFileSync(FIXTURE, path.join(a.dataDir, "a.tlog"));
    const handles = [];
    // Four reviewers with four tabs each: the fifth tab of one is refused, then the 17th of anyone.
    for (let i = 0; i < 16; i++) handles.push((await openOne(a.sessions, [1], {}, `reviewer${i % 4}`)).handle);
    expect(a.sessions.count()).toBe(16);
    const r = await a.sessions.open("reviewer9", { flights: [1] }, new RecordingSink());
    expect(r.ok ? "opened" : r.error.code).toBe("replay_busy");
    handles[0]!.close();
    expect(a.sessions.count()).toBe(15);
    const fifth = await a.sessions.open("reviewer1", { flights: [1] }, new RecordingSink());
    expect(fifth.ok ? "opened" : fifth.error.message).toBe("you have 4 replays open (at most 4): close one first");
    // reviewer0 closed one: it may open another.
    const again = await a.sessions.open("reviewer0", { flights: [1] }, new RecordingSink());
    expect(again.ok).toBe(true);
    if (again.ok) again.value.close();
    for (const h of handles.slice(1)) h.close();
  });
});
