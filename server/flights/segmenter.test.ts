import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeFrame, readTlogFile } from "../mavlink";
import type { MavMessage, TlogEntry } from "../mavlink";
import type { FlightStats } from "./catalogue";
import type { FlightStart, SegPacket } from "./segmenter";
import { FlightSegmenter, packetTime } from "./segmenter";
import { STATS_MSG_IDS, haversineM } from "./stats";

const fixture = (name: string) => fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));
const entries = readTlogFile(fixture("copter_flight_1.tlog")).entries;
const summary = JSON.parse(readFileSync(fixture("copter_flight_1_summary.json"), "utf8")) as {
  home: [number, number]; connected_epoch: number; armed_s_after_connect: number;
};
const HOME = { lat: summary.home[0], lon: summary.home[1] };

const seg = (e: TlogEntry): SegPacket => ({
  timeUs: e.timeUs, bytes: e.frame.bytes, direction: e.frame.sysid === 255 ? "out" : "in", message: STATS_MSG_IDS.has(e.frame.msgid) ? decodeFrame(e.frame).message : null,
});

function run(list: readonly TlogEntry[], s = new FlightSegmenter()) {
  const starts: FlightStart[] = [];
  const ends: FlightStats[] = [];
  let inFlight = 0;
  let outside = 0;
  for (const e of list) {
    const step = s.push(seg(e));
    if (step.ended) ends.push(step.ended);
    if (step.started) starts.push(step.started);
    if (step.into === "flight") inFlight++;
    else outside++;
  }
  const last = s.finish();
  if (last) ends.push(last);
  return { starts, ends, inFlight, outside };
}

describe("segmenter and statistics on the recorded ArduCopter flight", () => {
  const { starts, ends, inFlight, outside } = run(entries);
  const stats = ends[0]!;
  const t = (e: TlogEntry) => packetTime(e.timeUs);

  it("finds exactly one flight, armed ~146 s", () => {
    expect(starts).toHaveLength(1);
    expect(ends).toHaveLength(1);
    expect(starts[0]!.firstSight).toBe(false);
    expect(starts[0]!.vehicleClass).toBe("copter");
    const durationS = (stats.disarmedAt! - stats.armedAt!) / 1000;
    expect(durationS).toBeGreaterThan(145);
    expect(durationS).toBeLessThan(148);
    // The summary's arming time (seconds after connecting) matches, within a heartbeat.
    const armedS = stats.armedAt! / 1000 - summary.connected_epoch;
    expect(Math.abs(armedS - summary.armed_s_after_connect)).toBeLessThan(1.1);
  });

  it("keeps 30 s before arming, and everything up to the end of the file (< 10 s after disarming)", () => {
    const first = starts[0]!.preRoll[0]!;
    expect(packetTime(first.timeUs)).toBeGreaterThanOrEqual(stats.armedAt! - 30_000);
    expect(packetTime(first.timeUs)).toBeLessThan(stats.armedAt! - 29_000);
    const before = entries.filter((e) => t(e) < stats.armedAt! - 30_000).length;
    expect(outside).toBe(before + starts[0]!.preRoll.length);
    expect(inFlight + starts[0]!.preRoll.length).toBe(entries.length - before);
    expect(stats.packets).toBe(entries.length - before);
    expect(stats.endedAt).toBe(t(entries[entries.length - 1]!));
  });

  it("measures ~30 m high, a flight ending near home, and a plausible distance", () => {
    expect(stats.maxAltRelM).toBeGreaterThan(29);
    expect(stats.maxAltRelM).toBeLessThan(32);
    expect(haversineM(stats.takeoff!, HOME)).toBeLessThan(2);
    expect(haversineM(stats.landing!, HOME)).toBeLessThan(5);
    // Mission: 100 m north, then round a square of ~100 m legs, then RTL: some 400-600 m.
    expect(stats.distanceM).toBeGreaterThan(350);
    expect(stats.distanceM).toBeLessThan(700);
    expect(stats.maxDistHomeM).toBeGreaterThan(95);
    expect(stats.maxDistHomeM).toBeLessThan(110);
    const [minLon, minLat, maxLon, maxLat] = stats.bbox!;
    expect(minLat).toBeLessThan(HOME.lat - 0.0008);
    expect(maxLat).toBeGreaterThan(HOME.lat + 0.0008);
    expect(minLon).toBeLessThan(HOME.lon - 0.0013);
    expect(maxLon).toBeGreaterThan(HOME.lon + 0.0013);
  });

  it("keeps every message the vehicle sent during the flight, with its time and severity, and counts each direction", () => {
    const from = packetTime(starts[0]!.preRoll[0]!.timeUs);
    const texts = entries.filter((e) => e.frame.msgid === 253 && e.frame.sysid === 1 && t(e) >= from)
      .map((e) => ({ time: t(e), ...decodeFrame(e.frame).message }))
      .map((m) => (m.kind === "statusText" ? { time: m.time, severity: m.severity, text: m.text } : null));
    // More than the 20 the live state shows: the flight keeps them all.
    expect(texts.length).toBeGreaterThan(20);
    expect(stats.messages).toEqual(texts);
    expect(stats.messages.map((m) => m.text)).toEqual(expect.arrayContaining(["Arming motors", "Mission: 6 RTL", "Disarming motors"]));
    expect(stats.messages.find((m) => m.text.startsWith("got MISSION_REQUEST"))?.severity).toBe("warning");
    expect(stats.messagesDropped).toBe(0);
    // The recording holds only what the vehicle sent.
    expect(stats.packetsIn).toBe(stats.packets);
    expect(stats.packetsOut).toBe(0);
  });

  it("is deterministic: the same packets give the same statistics", () => {
    expect(run(entries).ends).toEqual(ends);
  });
});

describe("segmenter rules", () => {
  const hb = (armed: boolean): MavMessage => ({
    kind: "heartbeat", mavType: 2, vehicleClass: "copter", isVehicle: true, autopilot: "ardupilotmega", autopilotId: 3,
    baseMode: armed ? 128 : 0, customMode: 4, armed, mode: "GUIDED", systemStatus: armed ? "active" : "standby",
  });
  const at = (s: number, message: MavMessage | null = null): SegPacket => ({
    timeUs: s * 1_000_000, bytes: Buffer.alloc(1), message, direction: "in",
  });

  it("ends a flight 10 s after disarming, at the first later packet or on expire()", () => {
    const s = new FlightSegmenter();
    s.push(at(100, hb(false)));
    expect(s.push(at(101, hb(true))).started).not.toBeNull();
    s.push(at(150, hb(false)));
    expect(s.push(at(160, null))).toMatchObject({ ended: null, into: "flight" });
    expect(s.expire(160_000)).toBeNull();
    const step = s.push(at(160.001, null));
    expect(step.ended?.disarmedAt).toBe(150_000);
    expect(step.into).toBe("outside");
    s.push(at(170, hb(true)));
    s.push(at(171, hb(false)));
    expect(s.expire(181_000)).toBeNull();
    expect(s.expire(181_001)?.armedAt).toBe(170_000);
  });

  it("continues the same flight when re-armed within the post-roll (touch and go)", () => {
    const s = new FlightSegmenter();
    s.push(at(1, hb(true)));
    s.push(at(50, hb(false)));
    expect(s.push(at(55, hb(true))).started).toBeNull();
    s.push(at(80, hb(false)));
    const stats = s.expire(91_000)!;
    expect(stats).toMatchObject({ armedAt: 1000, disarmedAt: 80_000 });
  });

  it("marks a vehicle armed at first sight (a restart mid-flight)", () => {
    const s = new FlightSegmenter();
    s.push(at(1, null));
    const step = s.push(at(2, hb(true)));
    expect(step.started).toMatchObject({ firstSight: true, armedAt: 2000 });
    expect(step.started!.preRoll).toHaveLength(1);
  });

  it("ignores lat = lon = 0 positions", () => {
    const s = new FlightSegmenter();
    s.push(at(1, hb(true)));
    const pos = (lat: number, lon: number): MavMessage => ({ kind: "globalPosition", lat, lon, altAmsl: 0, altRelative: 5, vn: 0, ve: 0, vd: 0, heading: null });
    s.push(at(2, pos(0, 0)));
    s.push(at(3, pos(51, 0.001)));
    s.push(at(4, pos(0, 0)));
    s.push(at(5, pos(51, 0.002)));
    const stats = s.finish()!;
    expect(stats.distanceM).toBeCloseTo(haversineM({ lat: 51, lon: 0.001 }, { lat: 51, lon: 0.002 }), 6);
    expect(stats.bbox).toEqual([0.001, 51, 0.002, 51]);
  });
});
