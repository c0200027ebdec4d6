import { describe, expect, it } from "vitest";
import { decodeFrame, messageName, parseTlog } from "../../server/mavlink";
import { TELEMETRY_RATES, generateTlog } from ".";

// A quarter of an hour keeps this quick; the one-hour file is imported in test/integration/import-hour.test.ts.
const SHORT = { durationS: 900, vehicles: 2 };

describe("the generated multi-vehicle .tlog", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = generateTlog(SHORT);
    expect(generateTlog(SHORT).bytes.equals(a.bytes)).toBe(true);
    expect(generateTlog({ ...SHORT, seed: 7 }).bytes.equals(a.bytes)).toBe(false);
  });

  it("is valid MAVLink 2 in time order, each vehicle streaming ArduCopter's message mix at its rates", () => {
    const g = generateTlog(SHORT);
    const { entries, counters } = parseTlog(g.bytes);
    expect(counters).toMatchObject({ frames: g.packets, garbageBytes: 0, crcErrors: 0, unknownMessages: 0, truncated: 0 });
    expect(entries.every((e, i) => i === 0 || e.timeUs >= entries[i - 1]!.timeUs)).toBe(true);
    expect(entries.every((e) => e.frame.bytes[0] === 0xfd)).toBe(true);
    const count = (sysid: number, name: string) =>
      entries.filter((e) => e.frame.sysid === sysid && messageName(e.frame.msgid) === name).length;
    for (const v of g.vehicles) {
      const beats = count(v.sysid, "HEARTBEAT");
      for (const [name, hz] of TELEMETRY_RATES) expect(count(v.sysid, name) / beats).toBeCloseTo(hz, 0);
    }
    expect(count(255, "HEARTBEAT")).toBe(900);
  });

  it("records arming and disarming where the heartbeats show them", () => {
    const g = generateTlog(SHORT);
    const armed = new Map<number, boolean>();
    const changes: { sysid: number; at: number; armed: boolean }[] = [];
    for (const e of parseTlog(g.bytes).entries) {
      const m = decodeFrame(e.frame).message;
      if (m.kind !== "heartbeat" || !m.isVehicle) continue;
      if ((armed.get(e.frame.sysid) ?? false) !== m.armed) changes.push({ sysid: e.frame.sysid, at: Math.floor(e.timeUs / 1000), armed: m.armed });
      armed.set(e.frame.sysid, m.armed);
    }
    const expected = g.vehicles.flatMap((v) => v.flights.flatMap((f) => [
      { sysid: v.sysid, at: f.armedAt, armed: true }, { sysid: v.sysid, at: f.disarmedAt, armed: false },
    ]));
    expect(expected.length).toBeGreaterThan(0);
    const order = (x: { sysid: number; at: number }, y: { sysid: number; at: number }) => x.sysid - y.sysid || x.at - y.at;
    expect(changes.sort(order)).toEqual(expected.sort(order));
  });
});
