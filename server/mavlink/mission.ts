/**
 * The mission protocol's messages, both ways (decode.ts and encode.ts delegate here): MISSION_COUNT,
 * MISSION_REQUEST(_INT), MISSION_ITEM(_INT), MISSION_ACK, and the GCS's REQUEST_LIST / CLEAR_ALL / SET_CURRENT,
 * plus FENCE_STATUS. Coordinates leave this file in degrees / metres (see MissionItemFields).
 */
import { common } from "node-mavlink";
import type { MavLinkData } from "node-mavlink";
import { messageClass, num } from "./fields";
import type { PayloadView } from "./fields";
import { MSG_ID, mavMissionResultName } from "./ids";
import type { MavMessage, OutgoingMessage, TargetIds } from "./types";

type Decoder = (p: PayloadView) => MavMessage;

/** Frames whose x/y are latitude/longitude: degE7 integers in MISSION_ITEM_INT. */
const GLOBAL_FRAMES: ReadonlySet<number> = new Set([0, 3, 5, 6, 10, 11]);
/** Local frames: metres x 1e4 in MISSION_ITEM_INT (LOCAL_NED, LOCAL_ENU, LOCAL_OFFSET_NED, BODY_*, LOCAL_FRD/FLU). */
const LOCAL_FRAMES: ReadonlySet<number> = new Set([1, 4, 7, 8, 9, 12, 20, 21]);

/** How MISSION_ITEM_INT scales x/y in `frame`; 1 (sent as is) for MAV_FRAME_MISSION and anything unknown. */
export function intScale(frame: number): number {
  return GLOBAL_FRAMES.has(frame) ? 1e7 : LOCAL_FRAMES.has(frame) ? 1e4 : 1;
}

function targetOf(c: ReturnType<typeof messageClass>): (p: PayloadView) => TargetIds {
  const sys = num(c, "target_system"), comp = num(c, "target_component");
  return (p) => ({ sysid: sys(p), compid: comp(p) });
}

function missionCount(): Decoder {
  const c = messageClass(MSG_ID.MISSION_COUNT, "MISSION_COUNT");
  const target = targetOf(c), count = num(c, "count"), type = num(c, "mission_type");
  return (p) => ({ kind: "missionCount", target: target(p), count: count(p), missionType: type(p) });
}

function missionRequest(msgid: number, name: string, int: boolean): Decoder {
  const c = messageClass(msgid, name);
  const target = targetOf(c), seq = num(c, "seq"), type = num(c, "mission_type");
  return (p) => ({ kind: "missionRequest", target: target(p), seq: seq(p), missionType: type(p), int });
}

function missionItem(msgid: number, name: string, int: boolean): Decoder {
  const c = messageClass(msgid, name);
  const target = targetOf(c), seq = num(c, "seq"), type = num(c, "mission_type");
  const frame = num(c, "frame"), command = num(c, "command"), current = num(c, "current");
  const autocontinue = num(c, "autocontinue");
  const p1 = num(c, "param1"), p2 = num(c, "param2"), p3 = num(c, "param3"), p4 = num(c, "param4");
  const x = num(c, "x"), y = num(c, "y"), z = num(c, "z");
  return (p) => {
    const f = frame(p);
    // MISSION_ITEM carries floats already in degrees / metres; MISSION_ITEM_INT scaled integers.
    const scale = int ? intScale(f) : 1;
    return {
      kind: "missionItem", target: target(p), seq: seq(p), missionType: type(p), int,
      frame: f, command: command(p), current: current(p), autocontinue: autocontinue(p),
      params: [p1(p), p2(p), p3(p), p4(p)], x: x(p) / scale, y: y(p) / scale, z: z(p),
    };
  };
}

function missionAck(): Decoder {
  const c = messageClass(MSG_ID.MISSION_ACK, "MISSION_ACK");
  const target = targetOf(c), type = num(c, "type"), missionType = num(c, "mission_type");
  return (p) => {
    const result = type(p);
    return { kind: "missionAck", target: target(p), result, resultName: mavMissionResultName(result), missionType: missionType(p) };
  };
}

function fenceStatus(): Decoder {
  const c = messageClass(MSG_ID.FENCE_STATUS, "FENCE_STATUS");
  const status = num(c, "breach_status"), count = num(c, "breach_count"), type = num(c, "breach_type");
  const time = num(c, "breach_time");
  return (p) => ({
    kind: "fenceStatus", breachStatus: status(p), breachCount: count(p), breachType: type(p), breachTime: time(p) / 1000,
  });
}

export function missionDecoders(): [number, Decoder][] {
  return [
    [MSG_ID.MISSION_COUNT, missionCount()],
    [MSG_ID.MISSION_REQUEST, missionRequest(MSG_ID.MISSION_REQUEST, "MISSION_REQUEST", false)],
    [MSG_ID.MISSION_REQUEST_INT, missionRequest(MSG_ID.MISSION_REQUEST_INT, "MISSION_REQUEST_INT", true)],
    [MSG_ID.MISSION_ITEM, missionItem(MSG_ID.MISSION_ITEM, "MISSION_ITEM", false)],
    [MSG_ID.MISSION_ITEM_INT, missionItem(MSG_ID.MISSION_ITEM_INT, "MISSION_ITEM_INT", true)],
    [MSG_ID.MISSION_ACK, missionAck()],
    [MSG_ID.FENCE_STATUS, fenceStatus()],
  ];
}

export type MissionOutgoing = Extract<OutgoingMessage, {
  kind: "missionCount" | "missionItemInt" | "missionRequestList" | "missionRequestInt" | "missionClearAll"
    | "missionSetCurrent" | "missionAck";
}>;

// The generated classes type these fields as enums; any number of ours is sent as is.
const missionTypeOf = (n: number): common.MavMissionType => n as common.MavMissionType;

function addressed<T extends { targetSystem: number; targetComponent: number }>(msg: T, target: TargetIds): T {
  msg.targetSystem = target.sysid;
  msg.targetComponent = target.compid;
  return msg;
}

function itemInt(m: Extract<OutgoingMessage, { kind: "missionItemInt" }>): MavLinkData {
  const out = addressed(new common.MissionItemInt(), m.target);
  const scale = intScale(m.frame);
  out.seq = m.seq;
  out.frame = m.frame as common.MavFrame;
  out.command = m.command as common.MavCmd;
  out.current = m.current;
  out.autocontinue = m.autocontinue;
  [out.param1, out.param2, out.param3, out.param4] = m.params;
  out.x = Math.round(m.x * scale);
  out.y = Math.round(m.y * scale);
  out.z = m.z;
  out.missionType = missionTypeOf(m.missionType);
  return out;
}

export function missionData(m: MissionOutgoing): MavLinkData {
  switch (m.kind) {
    case "missionCount": {
      const out = addressed(new common.MissionCount(), m.target);
      out.count = m.count;
      out.missionType = missionTypeOf(m.missionType);
      return out;
    }
    case "missionItemInt":
      return itemInt(m);
    case "missionRequestList": {
      const out = addressed(new common.MissionRequestList(), m.target);
      out.missionType = missionTypeOf(m.missionType);
      return out;
    }
    case "missionRequestInt": {
      const out = addressed(new common.MissionRequestInt(), m.target);
      out.seq = m.seq;
      out.missionType = missionTypeOf(m.missionType);
      return out;
    }
    case "missionClearAll": {
      const out = addressed(new common.MissionClearAll(), m.target);
      out.missionType = missionTypeOf(m.missionType);
      return out;
    }
    case "missionSetCurrent": {
      const out = addressed(new common.MissionSetCurrent(), m.target);
      out.seq = m.seq;
      return out;
    }
    case "missionAck": {
      const out = addressed(new common.MissionAck(), m.target);
      out.type = m.result as common.MavMissionResult;
      out.missionType = missionTypeOf(m.missionType);
      return out;
    }
  }
}
