import { describe, expect, it } from "vitest";
import type { Decoded, MavMessage } from "../mavlink";
import type { LinkEvent } from "../protocol";
import { unpackTrail } from "../protocol";
import { VehicleRegistry } from "./registry";

const hb: MavMessage = {
  kind: "heartbeat", mavType: 2, vehicleClass: "copter", isVehicle: true, autopilot: "ArduPilot", autopilotId: 3,
  baseMode: 89, customMode: 0, armed: false, mode: "STABILIZE", systemStatus: "standby",
};
const d = (sysid: number, compid: number, seq: number, message: MavMessage): Decoded => ({ sysid, compid, seq, msgid: 0, message });

describe("VehicleRegistry", () => {
  it("creates a vehicle on its first vehicle HEARTBEAT and keys vehicles by (sysid, compid) on one link", () => {
    const reg = new VehicleRegistry({ lostAfterMs: 5000 });
    reg.ingest(d(1, 1, 0, { kind: "homePosition", lat: 1, lon: 2, altAmsl: 3 }), "l", 20, 0);
    expect(reg.size).toBe(0);
    reg.ingest(d(255, 190, 0, { ...hb, isVehicle: false, vehicleClass: "other" }), "l", 20, 0);
    expect(reg.size).toBe(0);
    reg.ingest(d(1, 1, 1, hb), "l", 20, 0);
    reg.ingest(d(2, 1, 0, { ...hb, mode: "AUTO" }), "l", 20, 0);
    reg.ingest(d(1, 2, 0, { ...hb, mode: "LOITER" }), "l", 20, 0);
    expect(reg.snapshot(0).map((v) => [v.key, v.mode])).toEqual([["1:1", "STABILIZE"], ["1:2", "LOITER"], ["2:1", "AUTO"]]);
  });

  it("hands out each changed vehicle once per tick", () => {
    const reg = new VehicleRegistry({ lostAfterMs: 5000 });
    reg.ingest(d(1, 1, 0, hb), "l", 20, 0);
    expect(reg.takeChanged(0)).toHaveLength(1);
    expect(reg.takeChanged(0)).toHaveLength(0);
    reg.ingest(d(1, 1, 1, { kind: "other", name: "RAW_IMU" }), "l", 20, 10);
    expect(reg.takeChanged(10)).toHaveLength(0);
    reg.ingest(d(1, 1, 2, { kind: "attitude", roll: 0.1, pitch: 0, yaw: 0, rollSpeed: 0, pitchSpeed: 0, yawSpeed: 0 }), "l", 20, 20);
    expect(reg.takeChanged(20)[0]?.attitude?.roll).toBe(0.1);
  });

  it("never changes a state once handed out, however it was handed out", () => {
    const reg = new VehicleRegistry({ lostAfterMs: 5000 });
    const att = (roll: number): MavMessage => ({ kind: "attitude", roll, pitch: 0, yaw: 0, rollSpeed: 0, pitchSpeed: 0, yawSpeed: 0 });
    reg.ingest(d(1, 1, 0, hb), "l", 20, 0);
    const out = [reg.takeChanged(100)[0]!];
    const dumped = reg.dump().vehicles[0]!.state;
    reg.ingest(d(1, 1, 1, att(0.1)), "l", 20, 200);
    out.push(reg.get("1:1", 300)!, reg.get("1:1", 400)!);
    reg.ingest(d(1, 1, 2, att(0.2)), "l", 20, 1200);
    out.push(reg.takeChanged(1300)[0]!, reg.snapshot(1400)[0]!);
    const copies = out.map((s) => structuredClone(s));
    const dumpCopy = structuredClone(dumped);
    reg.ingest(d(1, 1, 3, att(0.3)), "l", 20, 2500);
    reg.takeChanged(2600);
    reg.get("1:1", 2700);
    expect(out).toEqual(copies);
    expect(dumped).toEqual(dumpCopy);
    expect(out.map((s) => [s.attitude?.roll ?? null, s.link.packetsReceived, s.link.heartbeatAgeMs]))
      .toEqual([[null, 1, 100], [0.1, 2, 300], [0.1, 2, 400], [0.2, 3, 1300], [0.2, 3, 1400]]);
    expect(new Set(out).size).toBe(out.length);
  });

  it("declares a silent vehicle lost after the timeout, once, and regained on its next HEARTBEAT", () => {
    const events: LinkEvent[] = [];
    const heartbeats: boolean[] = [];
    const reg = new VehicleRegistry({ lostAfterMs: 5000 }, {
      link: (e) => events.push(e),
      heartbeat: (_k, _l, info) => heartbeats.push(info.regained),
    });
    reg.ingest(d(1, 1, 0, hb), "l", 20, 1000);
    reg.takeChanged(1000);
    reg.sweep(5900);
    expect(events).toHaveLength(0);
    reg.sweep(6100);
    reg.sweep(7000);
    expect(events).toEqual([{ key: "1:1", state: "lost", time: 6100, heartbeatAgeMs: 5100 }]);
    expect(reg.takeChanged(6100)[0]?.link.state).toBe("lost");
    reg.ingest(d(1, 1, 1, hb), "l", 20, 9000);
    // The outage is the real silence, from the last heartbeat (1000) to this one: not the 0 s age of the new one.
    expect(events[1]).toEqual({ key: "1:1", state: "regained", time: 9000, heartbeatAgeMs: 0, outageMs: 8000 });
    expect(heartbeats).toEqual([false, true]);
    expect(reg.takeChanged(9000)[0]?.link.state).toBe("ok");
  });

  it("passes every COMMAND_ACK on with the command's name", () => {
    const acks: unknown[] = [];
    const reg = new VehicleRegistry({ lostAfterMs: 5000 }, { commandAck: (e) => acks.push(e) });
    reg.ingest(d(1, 1, 0, hb), "l", 20, 0);
    reg.ingest(d(1, 1, 1, { kind: "commandAck", command: 192, result: 4, resultName: "FAILED", progress: null }), "l", 20, 5);
    expect(acks).toEqual([{ key: "1:1", time: 5, command: 192, commandName: "DO_REPOSITION", result: 4, resultName: "FAILED" }]);
  });

  it("passes status texts on as events", () => {
    const texts: string[] = [];
    const reg = new VehicleRegistry({ lostAfterMs: 5000 }, { statusText: (e) => texts.push(`${e.key} ${e.status.severity} ${e.status.text}`) });
    reg.ingest(d(1, 1, 0, hb), "l", 20, 0);
    reg.ingest(d(1, 1, 1, { kind: "statusText", severity: "critical", text: "PreArm: Need Position Estimate" }), "l", 60, 1);
    expect(texts).toEqual(["1:1 critical PreArm: Need Position Estimate"]);
  });

  it("keeps a bounded track of each vehicle, a point per 0.5 m moved", () => {
    const reg = new VehicleRegistry({ lostAfterMs: 5000 });
    reg.ingest(d(1, 1, 0, hb), "l", 20, 0);
    const at = (lat: number, t: number) => reg.ingest(d(1, 1, t & 0xff, {
      kind: "globalPosition", lat, lon: -0.1278, altAmsl: 40, altRelative: 30, vn: 0, ve: 0, vd: 0, heading: 0,
    }), "l", 20, t);
    at(51.5, 1);
    at(51.5 + 0.1 / 111_195, 2); // 10 cm: hovering, not a new point
    at(51.5 + 1 / 111_195, 3);
    expect(reg.trails()["1:1"]?.map((p) => p.time)).toEqual([1, 3]);
    for (let i = 0; i < 2100; i++) at(51.5 + (2 + i) / 111_195, 10 + i);
    const trail = reg.trails()["1:1"]!;
    expect(trail.length).toBeLessThanOrEqual(2000);
    expect(trail.at(-1)?.time).toBe(2109);
  });

  it("hands out a vehicle's trail as screens get it: simplified, packed, by key; none for a vehicle it does not hold", () => {
    const reg = new VehicleRegistry({ lostAfterMs: 5000 });
    reg.ingest(d(1, 1, 0, hb), "l", 20, 0);
    reg.ingest(d(2, 1, 0, hb), "l", 20, 0);
    // North 100 m in 1 m steps, then east 100 m: two straight legs, three points to draw them.
    for (let i = 0; i <= 200; i++) {
      const [north, east] = i <= 100 ? [i, 0] : [100, i - 100];
      reg.ingest(d(1, 1, i & 0xff, {
        kind: "globalPosition", lat: 51.5 + north / 111_195, lon: -0.1278 + east / 69_250, altAmsl: 40, altRelative: 30, vn: 0, ve: 0, vd: 0, heading: 0,
      }), "l", 20, 1000 + i);
    }
    expect(reg.trailKeys()).toEqual(["1:1"]); // 2:1 has no position yet
    const trail = unpackTrail(reg.packedTrail("1:1", 1)!);
    expect(trail.map((p) => p.time)).toEqual([1000, 1100, 1200]);
    expect(unpackTrail(reg.packedTrail("1:1", 0)!)).toHaveLength(201);
    expect(reg.packedTrail("2:1", 1)).toEqual([]);
    expect(reg.packedTrail("3:1", 1)).toBeNull();
    expect(reg.packedTrail("1:2", 1)).toBeNull();
  });

  it("holds at most maxVehicles vehicles and reports the ones it ignores", () => {
    const rejected: string[] = [];
    const reg = new VehicleRegistry({ lostAfterMs: 5000, maxVehicles: 2 }, { rejected: (k) => rejected.push(k) });
    for (let sysid = 1; sysid <= 4; sysid++) reg.ingest(d(sysid, 1, 0, hb), "l", 20, 0);
    expect(reg.size).toBe(2);
    expect(rejected).toEqual(["3:1", "4:1"]);
  });
});
