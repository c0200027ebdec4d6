import pino from "pino";
import { describe, expect, it } from "vitest";
import type { Decoded, MavMessage, OutgoingMessage } from "../mavlink";
import { STREAM_REQUESTS_PER_SECOND, StreamRequester } from "./streams";

const hb: MavMessage = {
  kind: "heartbeat", mavType: 2, vehicleClass: "copter", isVehicle: true, autopilot: "ArduPilot", autopilotId: 3,
  baseMode: 89, customMode: 0, armed: false, mode: "STABILIZE", systemStatus: "standby",
};
const pos: MavMessage = { kind: "globalPosition", lat: 1, lon: 1, altAmsl: 1, altRelative: 0, vn: 0, ve: 0, vd: 0, heading: null };
const d = (message: MavMessage, sysid = 1): Decoded => ({ sysid, compid: 1, seq: 0, msgid: 0, message });

function setup() {
  const sent: { link: string; messages: OutgoingMessage[] }[] = [];
  const r = new StreamRequester((link, messages) => sent.push({ link, messages }), pino({ level: "silent" }));
  return { r, sent };
}
const intervals = (m: OutgoingMessage[]) => m.filter((x) => x.kind === "commandLong" && x.command === 511).length;
const fallbacks = (m: OutgoingMessage[]) => m.filter((x) => x.kind === "requestDataStream").length;

describe("StreamRequester", () => {
  it("asks a new vehicle for its streams with SET_MESSAGE_INTERVAL at its first HEARTBEAT, once", () => {
    const { r, sent } = setup();
    r.observe(d(hb), "l1", 0);
    r.observe(d(hb), "l1", 1000);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.link).toBe("l1");
    expect(intervals(sent[0]?.messages ?? [])).toBeGreaterThanOrEqual(5);
    expect(fallbacks(sent[0]?.messages ?? [])).toBe(0);
    const target = sent[0]?.messages[0];
    expect(target?.kind === "commandLong" && target.target).toEqual({ sysid: 1, compid: 1 });
  });

  it("falls back to REQUEST_DATA_STREAM when no position comes, and stops once it does", () => {
    const { r, sent } = setup();
    r.observe(d(hb), "l1", 0);
    r.observe(d(hb), "l1", 3100);
    expect(sent).toHaveLength(2);
    expect(fallbacks(sent[1]?.messages ?? [])).toBe(1);
    for (let t = 3200; t < 9000; t += 200) r.observe(d(pos), "l1", t);
    r.observe(d(hb), "l1", 9000);
    expect(sent).toHaveLength(2);
  });

  it("gives up after a bounded number of attempts", () => {
    const { r, sent } = setup();
    for (let t = 0; t < 60_000; t += 1000) r.observe(d(hb), "l1", t);
    expect(sent).toHaveLength(5);
  });

  it("asks again after the vehicle comes back (or its peer reconnects), and never for non-vehicles", () => {
    const { r, sent } = setup();
    r.observe(d(hb), "l1", 0);
    r.observe(d(pos), "l1", 10);
    r.observe(d(hb), "l1", 20);
    expect(sent).toHaveLength(1);
    r.forgetVehicle("1:1");
    r.observe(d(hb), "l1", 40);
    expect(sent).toHaveLength(2);
    r.observe(d({ ...hb, isVehicle: false }, 255), "l1", 50);
    expect(sent).toHaveLength(2);
  });

  it("forgets a vehicle on every link, and no other vehicle", () => {
    const { r, sent } = setup();
    const heard = (t: number) => {
      r.observe(d(hb), "l1", t);
      r.observe(d(hb), "l2", t);
      r.observe(d(hb, 11), "l1", t);
      for (const [sysid, link] of [[1, "l1"], [1, "l2"], [11, "l1"]] as const) r.observe(d(pos, sysid), link, t + 1);
    };
    heard(0);
    expect(sent.map((s) => s.link)).toEqual(["l1", "l2", "l1"]);
    r.forgetVehicle("1:1");
    heard(2000);
    expect(sent.slice(3).map((s) => [s.link, s.messages[0]?.kind === "commandLong" ? s.messages[0].target.sysid : null]))
      .toEqual([["l1", 1], ["l2", 1]]);
  });

  it("paces first requests: 200 vehicles appearing at once are asked over several seconds, none forgotten", () => {
    let now = 0;
    const sent: { at: number; target: number }[] = [];
    const r = new StreamRequester((_link, messages) => {
      const m = messages[0];
      sent.push({ at: now, target: m !== undefined && m.kind !== "gcsHeartbeat" ? m.target.sysid : -1 });
    }, pino({ level: "silent" }));
    const vehicles = Array.from({ length: 200 }, (_, i) => i + 1);
    for (now = 0; now <= 10_000; now += 1000) {
      for (const sysid of vehicles) r.observe(d(hb, sysid), "l1", now);
    }
    const first = sent.filter((s) => s.at === 0);
    expect(first.length).toBeLessThanOrEqual(STREAM_REQUESTS_PER_SECOND);
    expect(new Set(sent.map((s) => s.target)).size).toBe(200);
  });

  it("asks on each link a vehicle is heard on", () => {
    const { r, sent } = setup();
    r.observe(d(hb), "radio", 0);
    r.observe(d(hb), "lte", 0);
    expect(sent.map((s) => s.link)).toEqual(["radio", "lte"]);
  });

  it("asks again when position stops while heartbeats go on (an autopilot that rebooted quickly)", () => {
    const { r, sent } = setup();
    r.observe(d(hb), "l1", 0);
    r.observe(d(pos), "l1", 200);
    r.observe(d(hb), "l1", 1000);
    r.observe(d(pos), "l1", 1200);
    r.observe(d(hb), "l1", 6000);
    expect(sent).toHaveLength(1);
    r.observe(d(hb), "l1", 6300);
    expect(sent).toHaveLength(2);
    expect(intervals(sent[1]?.messages ?? [])).toBeGreaterThanOrEqual(5);
    r.observe(d(hb), "l1", 7300);
    expect(sent).toHaveLength(2);
  });
});
