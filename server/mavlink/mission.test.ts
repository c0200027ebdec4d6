import { describe, expect, it } from "vitest";
import { decodeFrame } from "./decode";
import { MavlinkEncoder } from "./encode";
import { MavlinkFramer } from "./framer";
import { MAV_MISSION_RESULT, mavMissionResultName } from "./ids";
import { RawDecoder, RawEncoder } from "./raw";
import type { RawFields } from "./raw";
import type { Frame, MavMessage, OutgoingMessage } from "./types";

function frameOf(bytes: Buffer): Frame {
  const out: Frame[] = [];
  new MavlinkFramer((f) => out.push(f)).push(bytes);
  return out[0]!;
}

const vehicle = new RawEncoder({ sysid: 1, compid: 1 });
const fromVehicle = (name: string, fields: RawFields): MavMessage =>
  decodeFrame(frameOf(vehicle.encode(name, { target_system: 255, target_component: 190, ...fields }))).message;

const gcs = new MavlinkEncoder({ sysid: 255, compid: 190 });
const raw = new RawDecoder();
const sent = (m: OutgoingMessage) => raw.decode(frameOf(gcs.encode(m)));
const T = { sysid: 1, compid: 1 };

describe("mission protocol messages from the vehicle, in degrees", () => {
  it("decodes MISSION_COUNT, both requests and MISSION_ACK with its result name", () => {
    const target = { sysid: 255, compid: 190 };
    expect(fromVehicle("MISSION_COUNT", { count: 7, mission_type: 1 })).toEqual({ kind: "missionCount", target, count: 7, missionType: 1 });
    expect(fromVehicle("MISSION_REQUEST", { seq: 3 })).toEqual({ kind: "missionRequest", target, seq: 3, missionType: 0, int: false });
    expect(fromVehicle("MISSION_REQUEST_INT", { seq: 4, mission_type: 2 })).toEqual({ kind: "missionRequest", target, seq: 4, missionType: 2, int: true });
    expect(fromVehicle("MISSION_ACK", { type: 4, mission_type: 0 })).toEqual({
      kind: "missionAck", target, result: 4, resultName: "NO_SPACE", missionType: 0,
    });
    expect(mavMissionResultName(MAV_MISSION_RESULT.OPERATION_CANCELLED)).toBe("OPERATION_CANCELLED");
    expect(mavMissionResultName(99)).toBe("MISSION_RESULT(99)");
  });

  it("decodes MISSION_ITEM_INT (degE7) and MISSION_ITEM (float degrees) to the same degrees", () => {
    const common = { seq: 2, frame: 3, command: 16, current: 0, autocontinue: 1, param1: 0, param2: 0, param3: 0, param4: Number.NaN, z: 30 };
    const int = fromVehicle("MISSION_ITEM_INT", { ...common, x: 515082981, y: -1278000 });
    expect(int).toMatchObject({ kind: "missionItem", int: true, seq: 2, frame: 3, command: 16, x: 51.5082981, y: -0.1278, z: 30 });
    expect(int.kind === "missionItem" && Number.isNaN(int.params[3])).toBe(true);
    const float = fromVehicle("MISSION_ITEM", { ...common, x: Math.fround(51.50829696655273), y: Math.fround(-0.1278) });
    expect(float).toMatchObject({ kind: "missionItem", int: false, x: Math.fround(51.50829696655273), y: Math.fround(-0.1278) });
    // MAV_FRAME_MISSION: x/y are plain params.
    expect(fromVehicle("MISSION_ITEM_INT", { ...common, frame: 2, command: 177, x: 3, y: 0 })).toMatchObject({ x: 3, y: 0 });
  });

  it("decodes FENCE_STATUS", () => {
    expect(decodeFrame(frameOf(vehicle.encode("FENCE_STATUS", { breach_status: 1, breach_count: 2, breach_type: 3, breach_time: 12_500 }))).message)
      .toEqual({ kind: "fenceStatus", breachStatus: 1, breachCount: 2, breachType: 3, breachTime: 12.5 });
  });
});

describe("mission protocol messages to the vehicle", () => {
  it("encodes MISSION_ITEM_INT with degrees as degE7 and NaN params kept", () => {
    const m = sent({
      kind: "missionItemInt", target: T, seq: 1, missionType: 0, frame: 6, command: 16, current: 0, autocontinue: 1,
      params: [0, 0, 0, Number.NaN], x: 51.50829811528412, y: -0.1278, z: 30,
    });
    expect(m.name).toBe("MISSION_ITEM_INT");
    expect(m.fields).toMatchObject({ target_system: 1, target_component: 1, seq: 1, frame: 6, command: 16, x: 515082981, y: -1278000, z: 30, mission_type: 0 });
    expect(Number.isNaN(m.fields.param4 as number)).toBe(true);
  });

  it("encodes the other GCS messages with their mission_type", () => {
    expect(sent({ kind: "missionCount", target: T, count: 7, missionType: 2 }).fields).toMatchObject({ count: 7, mission_type: 2 });
    expect(sent({ kind: "missionRequestList", target: T, missionType: 1 })).toMatchObject({ name: "MISSION_REQUEST_LIST", fields: { mission_type: 1 } });
    expect(sent({ kind: "missionRequestInt", target: T, seq: 5, missionType: 1 })).toMatchObject({ name: "MISSION_REQUEST_INT", fields: { seq: 5, mission_type: 1 } });
    expect(sent({ kind: "missionClearAll", target: T, missionType: 2 })).toMatchObject({ name: "MISSION_CLEAR_ALL", fields: { mission_type: 2 } });
    expect(sent({ kind: "missionSetCurrent", target: T, seq: 3 })).toMatchObject({ name: "MISSION_SET_CURRENT", fields: { seq: 3 } });
    expect(sent({ kind: "missionAck", target: T, result: 0, missionType: 1 })).toMatchObject({ name: "MISSION_ACK", fields: { type: 0, mission_type: 1 } });
  });
});
