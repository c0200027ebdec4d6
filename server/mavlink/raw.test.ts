import { describe, expect, it } from "vitest";
import { MavlinkFramer } from "./framer";
import { RawDecoder, RawEncoder, messageId } from "./raw";
import { flightEntries } from "../../test/support/mavlink/fixtures";
import type { Frame } from "./types";

function frames(bytes: Buffer): Frame[] {
  const out: Frame[] = [];
  new MavlinkFramer((f) => out.push(f)).push(bytes);
  return out;
}

describe("raw MAVLink codec", () => {
  it("round-trips a mission item with MAVLink field names and units", () => {
    const enc = new RawEncoder({ sysid: 255, compid: 190 });
    const bytes = enc.encode("MISSION_ITEM_INT", {
      target_system: 1, target_component: 1, seq: 2, frame: 6, command: 16, current: 0, autocontinue: 1,
      param1: 0, param2: 0, param3: 0, param4: 0, x: 515082981, y: -1278000, z: 30, mission_type: 0,
    });
    const [f] = frames(bytes);
    const m = new RawDecoder().decode(f!);
    expect(m).toMatchObject({ name: "MISSION_ITEM_INT", msgid: 73, sysid: 255, compid: 190, seq: 0 });
    expect(m.fields).toMatchObject({ target_system: 1, seq: 2, frame: 6, command: 16, x: 515082981, y: -1278000, z: 30 });
  });

  it("encodes text, arrays and 64-bit fields, and counts its own sequence", () => {
    const enc = new RawEncoder({ sysid: 1, compid: 1 });
    enc.encode("HEARTBEAT", { type: 2, autopilot: 3 });
    const st = frames(enc.encode("STATUSTEXT", { severity: 6, text: "Mission: 2 WP" }))[0]!;
    const gps = frames(enc.encode("GPS_RAW_INT", { time_usec: 123456789012, fix_type: 6, satellites_visible: 10 }))[0]!;
    const bat = frames(enc.encode("BATTERY_STATUS", { voltages: [12600, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535] }))[0]!;
    const dec = new RawDecoder();
    expect(st.seq).toBe(1);
    expect(dec.decode(st).fields.text).toBe("Mission: 2 WP");
    expect(dec.decode(gps).fields).toMatchObject({ time_usec: 123456789012, fix_type: 6, satellites_visible: 10 });
    expect((dec.decode(bat).fields.voltages as number[])[0]).toBe(12600);
  });

  it("refuses a field the message does not have, and unknown names", () => {
    const enc = new RawEncoder({ sysid: 1, compid: 1 });
    expect(() => enc.encode("HEARTBEAT", { custom_mdoe: 4 })).toThrow(/HEARTBEAT has no field custom_mdoe/);
    expect(() => enc.encode("NO_SUCH_MESSAGE")).toThrow(/unknown MAVLink message/);
    expect(messageId("MISSION_REQUEST")).toBe(40);
  });

  it("decodes every packet of the real flight", () => {
    const dec = new RawDecoder();
    const names = new Set(flightEntries().map((e) => dec.decode(e.frame).name));
    expect(names.size).toBe(42);
    expect(names).toContain("MISSION_REQUEST");
  });
});
