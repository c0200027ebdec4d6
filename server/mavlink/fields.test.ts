import { describe, expect, it } from "vitest";
import { messageClass, num, nums, text } from "./fields";
import { MSG_ID } from "./ids";

describe("field readers on truncated MAVLink 2 payloads", () => {
  const sys = messageClass(MSG_ID.SYS_STATUS, "SYS_STATUS");
  const ack = messageClass(MSG_ID.COMMAND_ACK, "COMMAND_ACK");

  it("reads zero past the end, and zero-extends a field cut inside", () => {
    const command = num(ack, "command"), result = num(ack, "result"), param2 = num(ack, "result_param2");
    const p = Buffer.from([0x90, 0x01]); // command 400, everything after it was zero and truncated
    expect([command(p), result(p), param2(p)]).toEqual([400, 0, 0]);
    expect(command(Buffer.from([0x90]))).toBe(0x90);

    const ext = num(sys, "onboard_control_sensors_present_extended"); // uint32 at offset 31
    const full = Buffer.alloc(35);
    full.writeUInt32LE(0x00000201, 31);
    expect(ext(full)).toBe(0x201);
    expect(ext(full.subarray(0, 33))).toBe(0x201);
    expect(ext(full.subarray(0, 31))).toBe(0);
  });

  it("sign-extends small signed integers", () => {
    const remaining = num(sys, "battery_remaining"); // int8 at offset 30
    const p = Buffer.alloc(31);
    p[30] = 0xff;
    expect(remaining(p)).toBe(-1);
    const current = num(sys, "current_battery"); // int16 at offset 16
    p.writeInt16LE(-1, 16);
    expect(current(p)).toBe(-1);
  });

  it("reads arrays and text", () => {
    const battery = messageClass(MSG_ID.BATTERY_STATUS, "BATTERY_STATUS");
    const voltages = nums(battery, "voltages");
    const p = Buffer.alloc(36);
    p.writeUInt16LE(4200, 10);
    p.writeUInt16LE(65535, 12);
    expect(voltages(p).slice(0, 3)).toEqual([4200, 65535, 0]);
    const statustext = text(messageClass(MSG_ID.STATUSTEXT, "STATUSTEXT"), "text");
    expect(statustext(Buffer.from("\x06PreArm: Hardware safety switch\0\0garbage"))).toBe("PreArm: Hardware safety switch");
    expect(statustext(Buffer.from("\x06short"))).toBe("short");
  });

  it("refuses a wrong message or field name at build time", () => {
    expect(() => messageClass(MSG_ID.SYS_STATUS, "HEARTBEAT")).toThrow(/msgid 1 is SYS_STATUS, not HEARTBEAT/);
    expect(() => num(sys, "no_such_field")).toThrow(/SYS_STATUS has no field no_such_field/);
  });
});
