/**
 * OutgoingMessage -> MAVLink 2 bytes. Serialisation is node-mavlink's (MavLinkProtocolV2), but the sequence
 * number is ours, per encoder (node-mavlink's send() would use MAVLink 1 and one module-wide sequence).
 */
import { MavLinkProtocolV2, common, minimal } from "node-mavlink";
import type { MavLinkData } from "node-mavlink";
import { MAV_AUTOPILOT, MAV_STATE_ACTIVE, MAV_TYPE } from "./ids";
import { missionData } from "./mission";
import type { OutgoingMessage, TargetIds } from "./types";

/** HEARTBEAT.mavlink_version: always 3 (MAVLink 1.0 onwards). */
const MAVLINK_VERSION = 3;

function gcsHeartbeat(): MavLinkData {
  const msg = new minimal.Heartbeat();
  msg.type = MAV_TYPE.GCS;
  msg.autopilot = MAV_AUTOPILOT.INVALID;
  // No flag set; the generated type is the flag enum, which has no zero member.
  msg.baseMode = 0 as minimal.MavModeFlag;
  msg.customMode = 0;
  msg.systemStatus = MAV_STATE_ACTIVE;
  msg.mavlinkVersion = MAVLINK_VERSION;
  return msg;
}

function commandLong(
  target: TargetIds, command: number, confirmation: number,
  params: readonly [number, number, number, number, number, number, number],
): MavLinkData {
  const msg = new common.CommandLong();
  msg.targetSystem = target.sysid;
  msg.targetComponent = target.compid;
  msg.command = command;
  msg.confirmation = confirmation;
  [msg._param1, msg._param2, msg._param3, msg._param4, msg._param5, msg._param6, msg._param7] = params;
  return msg;
}

/** COMMAND_INT.x / y: degrees as degE7 integers. */
const DEG_E7 = 1e7;

function commandInt(msg: Extract<OutgoingMessage, { kind: "commandInt" }>): MavLinkData {
  const out = new common.CommandInt();
  out.targetSystem = msg.target.sysid;
  out.targetComponent = msg.target.compid;
  out.frame = msg.frame;
  out.command = msg.command;
  out.current = 0;
  out.autocontinue = 0;
  [out._param1, out._param2, out._param3, out._param4] = msg.params;
  out._param5 = Math.round(msg.x * DEG_E7);
  out._param6 = Math.round(msg.y * DEG_E7);
  out._param7 = msg.z;
  return out;
}

function requestDataStream(target: TargetIds, streamId: number, rateHz: number, start: boolean): MavLinkData {
  const msg = new common.RequestDataStream();
  msg.targetSystem = target.sysid;
  msg.targetComponent = target.compid;
  msg.reqStreamId = streamId;
  msg.reqMessageRate = rateHz;
  msg.startStop = start ? 1 : 0;
  return msg;
}

function toData(msg: OutgoingMessage): MavLinkData {
  switch (msg.kind) {
    case "gcsHeartbeat":
      return gcsHeartbeat();
    case "commandLong":
      return commandLong(msg.target, msg.command, msg.confirmation ?? 0, msg.params);
    case "commandInt":
      return commandInt(msg);
    case "requestDataStream":
      return requestDataStream(msg.target, msg.streamId, msg.rateHz, msg.start);
    case "missionCount":
    case "missionItemInt":
    case "missionRequestList":
    case "missionRequestInt":
    case "missionClearAll":
    case "missionSetCurrent":
    case "missionAck":
      return missionData(msg);
  }
}

export class MavlinkEncoder {
  private readonly protocol: MavLinkProtocolV2;
  private seq = 0;

  constructor(readonly ids: TargetIds) {
    this.protocol = new MavLinkProtocolV2(ids.sysid, ids.compid);
  }

  /** The sequence number the next encoded packet will carry. */
  get nextSeq(): number {
    return this.seq;
  }

  encode(msg: OutgoingMessage): Buffer {
    const bytes = this.protocol.serialize(toData(msg), this.seq);
    this.seq = (this.seq + 1) & 0xff;
    return bytes;
  }
}
