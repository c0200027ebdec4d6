import { describe, expect, it } from "vitest";
import { MavLinkProtocolV2, common } from "node-mavlink";
import { decodeFrame } from "./decode";
import { MavlinkEncoder } from "./encode";
import { MavlinkFramer } from "./framer";
import { MAV_CMD, MSG_ID } from "./ids";
import type { Frame } from "./types";

function frames(bytes: Buffer[]): Frame[] {
  const out: Frame[] = [];
  const framer = new MavlinkFramer((f) => out.push(f));
  for (const b of bytes) framer.push(b);
  return out;
}

describe("MavlinkEncoder", () => {
  it("encodes a GCS heartbeat as MAVLink 2 that our decoder reads back", () => {
    const encoder = new MavlinkEncoder({ sysid: 255, compid: 190 });
    const [frame] = frames([encoder.encode({ kind: "gcsHeartbeat" })]);
    expect(frame).toMatchObject({ version: 2, sysid: 255, compid: 190, msgid: MSG_ID.HEARTBEAT, seq: 0 });
    expect(decodeFrame(frame!).message).toMatchObject({
      kind: "heartbeat", mavType: 6, autopilotId: 8, isVehicle: false, baseMode: 0, customMode: 0, systemStatus: "active",
    });
  });

  it("encodes COMMAND_LONG and REQUEST_DATA_STREAM with their fields", () => {
    const encoder = new MavlinkEncoder({ sysid: 255, compid: 190 });
    const [cmd, stream] = frames([
      encoder.encode({
        kind: "commandLong", target: { sysid: 1, compid: 1 }, command: MAV_CMD.SET_MESSAGE_INTERVAL,
        params: [MSG_ID.GLOBAL_POSITION_INT, 200000, 0, 0, 0, 0, 0.5],
      }),
      encoder.encode({ kind: "requestDataStream", target: { sysid: 2, compid: 1 }, streamId: 0, rateHz: 4, start: true }),
    ]);
    expect(decodeFrame(cmd!).message).toEqual({ kind: "other", name: "COMMAND_LONG" });
    const protocol = new MavLinkProtocolV2();
    const c = protocol.data(cmd!.payload, common.CommandLong);
    expect([c.targetSystem, c.targetComponent, c.command, c.confirmation]).toEqual([1, 1, 511, 0]);
    expect([c._param1, c._param2, c._param7]).toEqual([33, 200000, 0.5]);
    const s = protocol.data(stream!.payload, common.RequestDataStream);
    expect([s.targetSystem, s.targetComponent, s.reqStreamId, s.reqMessageRate, s.startStop]).toEqual([2, 1, 0, 4, 1]);
    expect(stream!.seq).toBe(1);
  });

  it("encodes COMMAND_INT with x/y as degE7, z in metres, current/autocontinue 0", () => {
    const encoder = new MavlinkEncoder({ sysid: 255, compid: 190 });
    const [cmd] = frames([encoder.encode({
      kind: "commandInt", target: { sysid: 3, compid: 1 }, command: MAV_CMD.DO_REPOSITION, frame: 6,
      params: [-1, 1, 0, Number.NaN], x: 51.5073998, y: -0.1278, z: 25.5,
    })]);
    expect(cmd!.msgid).toBe(75);
    expect(decodeFrame(cmd!).message).toEqual({ kind: "other", name: "COMMAND_INT" });
    const c = new MavLinkProtocolV2().data(cmd!.payload, common.CommandInt);
    expect([c.targetSystem, c.targetComponent, c.command, c.frame, c.current, c.autocontinue]).toEqual([3, 1, 192, 6, 0, 0]);
    expect([c._param1, c._param2, c._param3]).toEqual([-1, 1, 0]);
    expect(Number.isNaN(c._param4)).toBe(true);
    expect([c._param5, c._param6, c._param7]).toEqual([515073998, -1278000, 25.5]);
  });

  it("counts its own sequence, wrapping after 255, independently of other encoders", () => {
    const a = new MavlinkEncoder({ sysid: 255, compid: 190 });
    const b = new MavlinkEncoder({ sysid: 254, compid: 190 });
    const seqs = frames(Array.from({ length: 300 }, () => a.encode({ kind: "gcsHeartbeat" }))).map((f) => f.seq);
    expect(seqs.slice(0, 3)).toEqual([0, 1, 2]);
    expect(seqs.slice(254, 258)).toEqual([254, 255, 0, 1]);
    expect(frames([b.encode({ kind: "gcsHeartbeat" })])[0]!.seq).toBe(0);
    expect(a.nextSeq).toBe(300 % 256);
  });
});
