import { describe, expect, it } from "vitest";
import { messageClass, num, nums, text, viewOf } from "./fields";
import { MSG_ID } from "./ids";

describe("field readers on truncated MAVLink 2 payloads", () => {
  const sys = messageClass(MSG_ID.SYS_STATUS, "SYS_STATUS");
  const ack = messageClass(MSG_ID.COMMAND_ACK, "COMMAND_ACK");

  it("reads zero past the end, and zero-extends a field cut inside", () => {
    const command = num(ack, "command"), result = num(ack, "result"), param2 = num(ack, "result_param2");
    const p = Buffer.from([0x90, 0x01]); // command 400, everything after it was zero and truncated
    expect([command(viewOf(p)), result(viewOf(p)), param2(viewOf(p))]).toEqual([400, 0, 0]);
    expect(command(viewOf(Buffer.from([0x90])))).toBe(0x90);

    const ext = num(sys, "onboard_control_sensors_present_extended"); // uint32 at offset 31
    const full = Buffer.alloc(35);
    full.writeUInt32LE(0x00000201, 31);
    expect(ext(viewOf(full))).toBe(0x201);
    expect(ext(viewOf(full.subarray(0, 33)))).toBe(0x201);
    expect(ext(viewOf(full.subarray(0, 31)))).toBe(0);
  });

  it("sign-extends small signed integers", () => {
    const remaining = num(sys, "battery_remaining"); // int8 at offset 30
    const p = Buffer.alloc(31);
    p[30] = 0xff;
    expect(remaining(viewOf(p))).toBe(-1);
    const current = num(sys, "current_battery"); // int16 at offset 16
    p.writeInt16LE(-1, 16);
    expect(current(viewOf(p))).toBe(-1);
  });

  it("reads arrays and text", () => {
    const battery = messageClass(MSG_ID.BATTERY_STATUS, "BATTERY_STATUS");
    const voltages = nums(battery, "voltages");
    const p = Buffer.alloc(36);
    p.writeUInt16LE(4200, 10);
    p.writeUInt16LE(65535, 12);
    expect(voltages(viewOf(p)).slice(0, 3)).toEqual([4200, 65535, 0]);
    const statustext = text(messageClass(MSG_ID.STATUSTEXT, "STATUSTEXT"), "text");
    expect(statustext(viewOf(Buffer.from("\x06PreArm: Hardware safety switch\0\0garbage")))).toBe("PreArm: Hardware safety switch");
    expect(statustext(viewOf(Buffer.from("\x06short")))).toBe("short");
  });

  it("reads a payload in place, and never the bytes after it", () => {
    // A truncated payload inside a larger buffer: what follows it (checksum, next frame) must read as truncated.
    const command = num(ack, "command"), result = num(ack, "result"), progress = num(ack, "progress");
    const ext = num(sys, "onboard_control_sensors_present_extended");
    const buf = Buffer.alloc(80, 0xaa);
    buf.writeUInt16LE(400, 20);
    const p = { buf, payloadStart: 20, payloadLength: 2 };
    expect([command(p), result(p), progress(p)]).toEqual([400, 0, 0]);
    buf.writeUInt32LE(0x201, 40 + 31);
    expect(ext({ buf, payloadStart: 40, payloadLength: 35 })).toBe(0x201);
    expect(ext({ buf, payloadStart: 40, payloadLength: 33 })).toBe(0x201);
    expect(ext({ buf, payloadStart: 40, payloadLength: 32 })).toBe(0x01);
    const statustext = text(messageClass(MSG_ID.STATUSTEXT, "STATUSTEXT"), "text");
    buf.write("\x06Armed", 10, "latin1");
    expect(statustext({ buf, payloadStart: 10, payloadLength: 6 })).toBe("Armed");
    expect(statustext({ buf, payloadStart: 10, payloadLength: 1 })).toBe("");
  });

  it("refuses a wrong message or field name at build time", () => {
    expect(() => messageClass(MSG_ID.SYS_STATUS, "HEARTBEAT")).toThrow(/msgid 1 is SYS_STATUS, not HEARTBEAT/);
    expect(() => num(sys, "no_such_field")).toThrow(/SYS_STATUS has no field no_such_field/);
  });
});
