import { describe, expect, it } from "vitest";
import { MavLinkProtocolV1, MavLinkProtocolV2, common, minimal, standard } from "node-mavlink";
import type { MavLinkData, MavLinkDataConstructor } from "node-mavlink";
import { decodeFrame, firmwareVersion } from "./decode";
import { MavlinkFramer } from "./framer";
import { fixturePath, flightEntries } from "../../test/support/mavlink/fixtures";
import { readTlogFile } from "./tlog";
import type { Frame, MavMessage } from "./types";

function frameOf(bytes: Buffer): Frame {
  const frames: Frame[] = [];
  new MavlinkFramer((f) => frames.push(f)).push(bytes);
  if (frames.length !== 1) throw new Error(`expected one frame, got ${frames.length}`);
  return frames[0]!;
}

/** A message serialised by node-mavlink (v2 truncates trailing zeros), decoded by us. */
function roundTrip(msg: MavLinkData, v1 = false): MavMessage {
  const protocol = v1 ? new MavLinkProtocolV1(1, 1) : new MavLinkProtocolV2(1, 1);
  return decodeFrame(frameOf(protocol.serialize(msg, 0))).message;
}

function only<K extends MavMessage["kind"]>(messages: MavMessage[], kind: K): Extract<MavMessage, { kind: K }>[] {
  return messages.filter((m): m is Extract<MavMessage, { kind: K }> => m.kind === kind);
}

describe("decodeFrame on the real flight", () => {
  const entries = flightEntries();
  const messages = entries.map((e) => decodeFrame(e.frame).message);

  it("decodes all 21,259 frames without throwing, into the expected kinds", () => {
    expect(messages).toHaveLength(21259);
    const counts = new Map<string, number>();
    for (const m of messages) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toMatchObject({
      heartbeat: 198, globalPosition: 769, attitude: 769, vfrHud: 769, gpsRaw: 769, sysStatus: 769,
      batteryStatus: 769, statusText: 38, homePosition: 3, missionCurrent: 769, missionItemReached: 6,
      ekfStatus: 765, commandAck: 5,
    });
    const other = messages.find((m) => m.kind === "other");
    expect(other).toEqual({ kind: "other", name: "PARAM_VALUE" });
  });

  it("gives positions in degrees and metres", () => {
    const fix = only(messages, "globalPosition").find((m) => m.lat !== 0)!;
    expect(fix.lat).toBeCloseTo(51.5074, 4);
    expect(fix.lon).toBeCloseTo(-0.1278, 4);
    expect(fix.altAmsl).toBeCloseTo(10.1, 1);
    const maxRel = Math.max(...only(messages, "globalPosition").map((m) => m.altRelative));
    expect(maxRel).toBeGreaterThan(29);
    expect(maxRel).toBeLessThan(32);
    const home = only(messages, "homePosition")[0]!;
    expect(home).toEqual({ kind: "homePosition", lat: 51.5073998, lon: -0.1278, altAmsl: 10.1 });
  });

  it("reads modes and arming from HEARTBEAT", () => {
    const beats = only(messages, "heartbeat");
    expect(beats[0]).toMatchObject({
      mavType: 2, vehicleClass: "copter", isVehicle: true, autopilot: "ArduPilot", mode: "STABILIZE",
      armed: false, systemStatus: "boot",
    });
    const guided = beats.find((b) => b.customMode === 4)!;
    expect(guided.mode).toBe("GUIDED");
    const modes = beats.map((b) => `${b.mode}${b.armed ? "+armed" : ""}`).filter((m, i, all) => m !== all[i - 1]);
    expect(modes).toEqual(["STABILIZE", "GUIDED", "GUIDED+armed", "AUTO+armed", "AUTO"]);
  });

  it("reads status texts, acks, EKF, pre-arm, GPS and battery", () => {
    const texts = only(messages, "statusText");
    expect(texts).toContainEqual({ kind: "statusText", severity: "info", text: "ArduPilot Ready" });
    expect(texts).toContainEqual({ kind: "statusText", severity: "warning", text: "got MISSION_REQUEST; use MISSION_REQUEST_INT!" });
    expect(only(messages, "commandAck")[0]).toEqual({ kind: "commandAck", command: 176, result: 0, resultName: "ACCEPTED", progress: 0 });
    const ekf = only(messages, "ekfStatus");
    expect(ekf[0]).toEqual({ kind: "ekfStatus", flags: 1024, healthy: false });
    expect(ekf.find((e) => e.flags === 0x33f)?.healthy).toBe(true);
    const prearm = only(messages, "sysStatus").map((s) => s.prearmOk);
    expect(prearm[0]).toBe(false);
    expect(prearm[prearm.length - 1]).toBe(true);
    const gps = only(messages, "gpsRaw").find((g) => g.fix === "rtk_fixed")!;
    expect(gps.satellites).toBe(10);
    expect(gps.hdop).toBeCloseTo(1.21, 5);
    const battery = only(messages, "batteryStatus").find((b) => b.voltage !== null)!;
    expect(battery.voltage).toBeCloseTo(12.6, 5);
    expect(only(messages, "missionItemReached").map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(only(messages, "missionCurrent").find((m) => m.missionState === 3)?.total).toBe(6);
  });

  it("agrees with node-mavlink's generic decoder on every interpreted frame", () => {
    const protocol = new MavLinkProtocolV2();
    let checked = 0;
    entries.forEach((e, i) => {
      const m = messages[i]!;
      const raw = <T extends MavLinkData>(clazz: MavLinkDataConstructor<T>): T => protocol.data(e.frame.payload, clazz);
      if (m.kind === "globalPosition") {
        const r = raw(common.GlobalPositionInt);
        expect([m.lat, m.lon, m.altAmsl, m.altRelative, m.vn, m.ve, m.vd]).toEqual(
          [r.lat / 1e7, r.lon / 1e7, r.alt / 1000, r.relativeAlt / 1000, r.vx / 100, r.vy / 100, r.vz / 100]);
        expect(m.heading).toBe(r.hdg === 65535 ? null : r.hdg / 100);
      } else if (m.kind === "attitude") {
        const r = raw(common.Attitude);
        expect([m.roll, m.pitch, m.yaw, m.rollSpeed, m.pitchSpeed, m.yawSpeed]).toEqual(
          [r.roll, r.pitch, r.yaw, r.rollspeed, r.pitchspeed, r.yawspeed]);
      } else if (m.kind === "sysStatus") {
        const r = raw(common.SysStatus);
        expect([m.sensorsPresent, m.sensorsEnabled, m.sensorsHealth, m.load]).toEqual(
          [r.onboardControlSensorsPresent, r.onboardControlSensorsEnabled, r.onboardControlSensorsHealth, r.load / 1000]);
        expect(m.voltage).toBe(r.voltageBattery / 1000);
      } else if (m.kind === "gpsRaw") {
        const r = raw(common.GpsRawInt);
        expect([m.lat, m.lon, m.altAmsl, m.groundSpeed]).toEqual([r.lat / 1e7, r.lon / 1e7, r.alt / 1000, r.vel / 100]);
      } else if (m.kind === "statusText") {
        expect(m.text).toBe(raw(common.StatusText).text.replace(/\0+$/, ""));
      } else {
        return;
      }
      checked++;
    });
    expect(checked).toBe(769 * 4 + 38);
  });
});

describe("decodeFrame on edge values", () => {
  it("maps unknown markers to null", () => {
    const gpi = new common.GlobalPositionInt();
    gpi.hdg = 65535;
    expect(roundTrip(gpi)).toMatchObject({ kind: "globalPosition", heading: null, lat: 0 });
    const gps = new common.GpsRawInt();
    Object.assign(gps, { eph: 65535, epv: 65535, vel: 65535, cog: 65535, satellitesVisible: 255, fixType: 3 });
    expect(roundTrip(gps)).toMatchObject({
      fix: "3d", hdop: null, vdop: null, groundSpeed: null, courseOverGround: null, satellites: null,
    });
    const sys = new common.SysStatus();
    Object.assign(sys, { voltageBattery: 65535, currentBattery: -1, batteryRemaining: -1 });
    expect(roundTrip(sys)).toMatchObject({ voltage: null, current: null, remaining: null, prearmOk: null });
  });

  it("sums battery cells, including the extension cells", () => {
    const b = new common.BatteryStatus();
    b.voltages = [4100, 4120, 4090, 65535, 65535, 65535, 65535, 65535, 65535, 65535];
    b.voltagesExt = [0, 0, 0, 0];
    Object.assign(b, { currentBattery: 1234, currentConsumed: -1, batteryRemaining: 55 });
    expect(roundTrip(b)).toEqual({
      kind: "batteryStatus", id: 0, voltage: 12.31, current: 12.34, consumedMah: null, remaining: 55,
      cellVoltages: [4.1, 4.12, 4.09], chargeState: null,
    });
    b.voltages = Array.from({ length: 10 }, () => 4000);
    b.voltagesExt = [4000, 4000, 0, 0];
    expect(roundTrip(b)).toMatchObject({ voltage: 48 });
  });

  it("reads AUTOPILOT_VERSION as a version string", () => {
    const v = new standard.AutopilotVersion();
    Object.assign(v, { capabilities: BigInt(0), uid: BigInt(0) }); // uint64 fields take bigints
    v.flightCustomVersion = [0, 0, 0, 0, 0, 0, 0, 0];
    v.middlewareCustomVersion = [0, 0, 0, 0, 0, 0, 0, 0];
    v.osCustomVersion = [0, 0, 0, 0, 0, 0, 0, 0];
    v.uid2 = Array.from({ length: 18 }, () => 0);
    v.flightSwVersion = (4 << 24) | (7 << 16) | (0 << 8) | 0;
    expect(roundTrip(v)).toEqual({ kind: "autopilotVersion", firmware: "4.7.0-dev" });
    expect(firmwareVersion(((4 << 24) | (5 << 16) | (7 << 8) | 255) >>> 0)).toBe("4.5.7");
    expect(firmwareVersion(((4 << 24) | (6 << 16) | (0 << 8) | 192) >>> 0)).toBe("4.6.0-rc");
    expect(firmwareVersion(((4 << 24) | (6 << 16) | (0 << 8) | 128) >>> 0)).toBe("4.6.0-beta");
  });

  it("decodes MAVLink 1 and tells non-vehicles apart", () => {
    const hb = new minimal.Heartbeat();
    Object.assign(hb, { type: 6, autopilot: 8, customMode: 0, systemStatus: 4, mavlinkVersion: 3 });
    expect(roundTrip(hb, true)).toMatchObject({ kind: "heartbeat", isVehicle: false, vehicleClass: "other", systemStatus: "active" });
    Object.assign(hb, { type: 1, autopilot: 3, customMode: 5 });
    expect(roundTrip(hb)).toMatchObject({ isVehicle: true, vehicleClass: "plane", mode: "FBWA" });
    Object.assign(hb, { type: 10, customMode: 4 });
    expect(roundTrip(hb)).toMatchObject({ vehicleClass: "rover", mode: "HOLD" });
    Object.assign(hb, { type: 2, customMode: 99 });
    expect(roundTrip(hb)).toMatchObject({ vehicleClass: "copter", mode: "MODE(99)" });
    Object.assign(hb, { type: 26, customMode: 0 });
    expect(roundTrip(hb)).toMatchObject({ isVehicle: false });
  });

  it("reads a full 50-character STATUSTEXT and a command ack", () => {
    const t = new common.StatusText();
    t.severity = 2;
    t.text = "x".repeat(50);
    expect(roundTrip(t)).toEqual({ kind: "statusText", severity: "critical", text: "x".repeat(50) });
    const ack = new common.CommandAck();
    Object.assign(ack, { command: 400, result: 4 });
    expect(roundTrip(ack)).toEqual({ kind: "commandAck", command: 400, result: 4, resultName: "FAILED", progress: 0 });
    const busy = new common.CommandAck();
    Object.assign(busy, { command: 22, result: 5, progress: 40 });
    expect(roundTrip(busy)).toMatchObject({ result: 5, resultName: "IN_PROGRESS", progress: 40 });
    Object.assign(busy, { progress: 255 });
    expect(roundTrip(busy)).toMatchObject({ result: 5, progress: null });
  });
});

describe("decodeFrame on a real battery failsafe (battery_failsafe_land.tlog)", () => {
  const decoded = readTlogFile(fixturePath("battery_failsafe_land.tlog")).entries.map((e) => decodeFrame(e.frame).message);
  const changes = <T>(values: T[]) => values.filter((x, i) => x !== values[i - 1]);

  it("reads BATTERY_STATUS charge_state, ArduPilot's own verdict", () => {
    const states = decoded.filter((m) => m.kind === "batteryStatus").map((m) => m.chargeState);
    expect(changes(states)).toEqual(["ok", "low", "critical"]);
  });

  it("names the sensors SYS_STATUS reports present and enabled but unhealthy", () => {
    const unhealthy = decoded.filter((m) => m.kind === "sysStatus").map((m) => m.unhealthy.join(","));
    // The battery bit goes bad with the failsafe; the pre-arm check after the landing.
    expect(changes(unhealthy).slice(-3)).toEqual(["", "BATTERY", "BATTERY,PREARM_CHECK"]);
  });
});
