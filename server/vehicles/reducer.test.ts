import { describe, expect, it } from "vitest";
import type { MavMessage } from "../mavlink";
import { reduceVehicle } from "./reducer";
import { STATUS_TEXT_LIMIT, emptyVehicle } from "./state";

const heartbeat: MavMessage = {
  kind: "heartbeat", mavType: 2, vehicleClass: "copter", isVehicle: true, autopilot: "ArduPilot", autopilotId: 3,
  baseMode: 89 | 128, customMode: 4, armed: true, mode: "GUIDED", systemStatus: "active",
};

describe("reduceVehicle", () => {
  const v0 = emptyVehicle({ sysid: 1, compid: 1 }, 0);

  it("takes mode, armed, class and status from a vehicle HEARTBEAT and resets the heartbeat age", () => {
    const v = reduceVehicle(v0, heartbeat, 1500);
    expect(v).toMatchObject({ mode: "GUIDED", armed: true, vehicleClass: "copter", systemStatus: "active", customMode: 4 });
    expect(v.link.lastHeartbeat).toBe(1500);
    expect(v0.mode).toBe("UNKNOWN");
  });

  it("ignores a non-vehicle HEARTBEAT (a GCS or gimbal on the same system)", () => {
    expect(reduceVehicle(v0, { ...heartbeat, isVehicle: false }, 1)).toBe(v0);
  });

  it("derives ground speed and climb from GLOBAL_POSITION_INT's NED velocity", () => {
    const v = reduceVehicle(v0, {
      kind: "globalPosition", lat: 51.5, lon: -0.12, altAmsl: 40, altRelative: 30, vn: 3, ve: 4, vd: -1.5, heading: 90,
    }, 2);
    expect(v.position).toEqual({ lat: 51.5, lon: -0.12, altAmsl: 40, altRelative: 30 });
    expect(v.groundSpeed).toBeCloseTo(5);
    expect(v.climb).toBeCloseTo(1.5);
    expect(v.heading).toBe(90);
  });

  it("takes lat = lon = 0 (ArduPilot before it has a position estimate) as no position", () => {
    const v = reduceVehicle(v0, { kind: "globalPosition", lat: 0, lon: 0, altAmsl: 0, altRelative: 0, vn: 0, ve: 0, vd: 0, heading: 0 }, 1);
    expect(v.position).toBeNull();
  });

  it("keeps the last known heading when the vehicle reports it unknown", () => {
    const pos = { kind: "globalPosition", lat: 1, lon: 1, altAmsl: 1, altRelative: 1, vn: 0, ve: 0, vd: 0 } as const;
    const v = reduceVehicle(reduceVehicle(v0, { ...pos, heading: 45 }, 1), { ...pos, heading: null }, 2);
    expect(v.heading).toBe(45);
  });

  it("follows VFR_HUD's heading as it turns (the same AHRS yaw)", () => {
    let v = v0;
    for (const heading of [10, 90, 180]) v = reduceVehicle(v, { kind: "vfrHud", airSpeed: 0, groundSpeed: 0, heading, throttle: 0, altAmsl: 0, climb: 0 }, 1);
    expect(v.heading).toBe(180);
  });

  it("starts the reached list afresh when the mission restarts, and bounds it", () => {
    let v = reduceVehicle(v0, { kind: "missionCurrent", seq: 5, total: 6, missionState: 3 }, 1);
    v = reduceVehicle(v, { kind: "missionItemReached", seq: 5 }, 2);
    v = reduceVehicle(v, { kind: "missionItemReached", seq: 5 }, 3);
    expect(v.mission?.reached).toEqual([5]);
    v = reduceVehicle(v, { kind: "missionCurrent", seq: 0, total: 6, missionState: 5 }, 4);
    expect(v.mission).toMatchObject({ reached: [5], state: "complete" });
    v = reduceVehicle(v, { kind: "missionCurrent", seq: 1, total: 6, missionState: 3 }, 4);
    expect(v.mission?.reached).toEqual([]);
    for (let i = 0; i < 300; i++) v = reduceVehicle(v, { kind: "missionItemReached", seq: i % 7 }, 5 + i);
    expect(v.mission?.reached.length).toBe(100);
  });

  it("keeps GLOBAL_POSITION_INT's finer heading while VFR_HUD says the same whole degree, and follows VFR_HUD when it says another", () => {
    const pos = { kind: "globalPosition", lat: 1, lon: 1, altAmsl: 1, altRelative: 1, vn: 0, ve: 0, vd: 0 } as const;
    const hud = { kind: "vfrHud", airSpeed: 0, groundSpeed: 0, throttle: 0, altAmsl: 0, climb: 0 } as const;
    // As in the recordings: hdg 9874 cdeg, then VFR_HUD 98 (yaw_sensor / 100).
    const fine = reduceVehicle(v0, { ...pos, heading: 98.74 }, 1);
    const same = reduceVehicle(fine, { ...hud, heading: 98 }, 2);
    expect(same.heading).toBe(98.74);
    expect(reduceVehicle(same, { ...hud, heading: 99 }, 3).heading).toBe(99);
    expect(reduceVehicle(reduceVehicle(v0, { ...pos, heading: 0.5 }, 1), { ...hud, heading: 359 }, 2).heading).toBe(359);
  });

  it("uses VFR_HUD speeds only until GLOBAL_POSITION_INT is available", () => {
    const hud: MavMessage = { kind: "vfrHud", airSpeed: 7, groundSpeed: 6, heading: 10, throttle: 50, altAmsl: 10, climb: 2 };
    expect(reduceVehicle(v0, hud, 1)).toMatchObject({ airSpeed: 7, groundSpeed: 6, climb: 2, heading: 10 });
    const withPos = reduceVehicle(v0, { kind: "globalPosition", lat: 1, lon: 1, altAmsl: 1, altRelative: 1, vn: 1, ve: 0, vd: 0, heading: 20 }, 1);
    expect(reduceVehicle(withPos, hud, 2)).toMatchObject({ airSpeed: 7, groundSpeed: 1, climb: -0, heading: 10 });
  });

  it("merges SYS_STATUS and BATTERY_STATUS (instance 0 only) without inventing values", () => {
    let v = reduceVehicle(v0, {
      kind: "sysStatus", voltage: 12.6, current: null, remaining: 99, sensorsPresent: 0, sensorsEnabled: 0,
      sensorsHealth: 0, prearmOk: null, unhealthy: [], load: 0.1, dropRateComm: 0,
    }, 1);
    expect(v.battery).toEqual({ voltage: 12.6, current: null, remaining: 99, consumedMah: null });
    v = reduceVehicle(v, { kind: "batteryStatus", id: 0, voltage: 12.5, current: 10.2, consumedMah: 120, remaining: null, cellVoltages: [12.5], chargeState: null }, 2);
    expect(v.battery).toEqual({ voltage: 12.5, current: 10.2, remaining: 99, consumedMah: 120 });
    const second = reduceVehicle(v, { kind: "batteryStatus", id: 1, voltage: 5, current: 1, consumedMah: 1, remaining: 1, cellVoltages: [5], chargeState: null }, 3);
    expect(second).toBe(v);
  });

  it("returns the same object when nothing changed, so callers can skip the frame", () => {
    const v = reduceVehicle(v0, { kind: "ekfStatus", flags: 0x33f, healthy: true }, 1);
    expect(reduceVehicle(v, { kind: "ekfStatus", flags: 0x33f, healthy: true }, 2)).toBe(v);
    expect(reduceVehicle(v, { kind: "other", name: "RAW_IMU" }, 3)).toBe(v);
    expect(reduceVehicle(v, { kind: "commandAck", command: 176, result: 0, resultName: "ACCEPTED", progress: null }, 3)).toBe(v);
  });

  it("keeps a bounded list of status texts with severity and time", () => {
    let v = v0;
    for (let i = 0; i < STATUS_TEXT_LIMIT + 5; i++) v = reduceVehicle(v, { kind: "statusText", severity: "critical", text: `PreArm: ${i}` }, i);
    expect(v.statusTexts).toHaveLength(STATUS_TEXT_LIMIT);
    expect(v.statusTexts.at(-1)).toEqual({ time: STATUS_TEXT_LIMIT + 4, severity: "critical", text: `PreArm: ${STATUS_TEXT_LIMIT + 4}` });
  });

  it("tracks the mission: current item, total and the items reached", () => {
    let v = reduceVehicle(v0, { kind: "missionCurrent", seq: 1, total: 6, missionState: 3 }, 1);
    v = reduceVehicle(v, { kind: "missionItemReached", seq: 1 }, 2);
    v = reduceVehicle(v, { kind: "missionCurrent", seq: 2, total: 6, missionState: 3 }, 3);
    expect(v.mission).toEqual({ current: 2, total: 6, reached: [1], state: "active" });
    expect(reduceVehicle(v, { kind: "missionCurrent", seq: 2, total: 6, missionState: 3 }, 4)).toBe(v);
  });

  it("records home, firmware and EKF health", () => {
    let v = reduceVehicle(v0, { kind: "homePosition", lat: 51.5073998, lon: -0.1278, altAmsl: 10.1 }, 1);
    v = reduceVehicle(v, { kind: "autopilotVersion", firmware: "4.7.0-dev" }, 2);
    v = reduceVehicle(v, { kind: "ekfStatus", flags: 0xa7, healthy: false }, 3);
    expect(v).toMatchObject({ home: { lat: 51.5073998, lon: -0.1278, altAmsl: 10.1 }, firmware: "4.7.0-dev", ekfHealthy: false, ekfFlags: 0xa7 });
  });
});
