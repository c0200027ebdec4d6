import { describe, expect, it } from "vitest";
import { messageClass, num, nums, text, viewOf } from "./fields";
import { MSG_ID } from "./ids";
import { REGISTRY } from "./registry";

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

  it("reads every scalar field of every message as Buffer's own readers do on the zero-extended payload", () => {
    const reference: Record<string, (b: Buffer, o: number) => number> = {
      uint8_t: (b, o) => b.readUInt8(o), uint8_t_mavlink_version: (b, o) => b.readUInt8(o), char: (b, o) => b.readUInt8(o),
      int8_t: (b, o) => b.readInt8(o), uint16_t: (b, o) => b.readUInt16LE(o), int16_t: (b, o) => b.readInt16LE(o),
      uint32_t: (b, o) => b.readUInt32LE(o), int32_t: (b, o) => b.readInt32LE(o), float: (b, o) => b.readFloatLE(o),
      double: (b, o) => b.readDoubleLE(o), uint64_t: (b, o) => Number(b.readBigUInt64LE(o)),
      int64_t: (b, o) => Number(b.readBigInt64LE(o)),
    };
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8 & 0xff;
    const types = new Set<string>();
    let checked = 0;
    for (const clazz of REGISTRY.byId.values()) {
      const size = clazz.PAYLOAD_LENGTH;
      for (const f of clazz.FIELDS) {
        if (f.length !== 0) continue;
        const read = num(clazz, f.source);
        // Whole, cut inside the field, and cut before it; the payload sits inside a larger buffer of other bytes.
        for (const length of new Set([size, f.offset + f.size - 1, f.offset + 1, f.offset])) {
          if (length < 0 || length > size) continue;
          const buf = Buffer.from(Array.from({ length: size + 20 }, random));
          const padded = Buffer.alloc(size);
          buf.copy(padded, 0, 10, 10 + length);
          expect(read({ buf, payloadStart: 10, payloadLength: length }), `${clazz.MSG_NAME}.${f.source} in ${length}`)
            .toEqual(reference[f.type]!(padded, f.offset));
          types.add(f.type);
          checked++;
        }
      }
    }
    // The dialects have no scalar char or double field.
    expect([...types]).toEqual(expect.arrayContaining(
      ["uint8_t", "int8_t", "uint16_t", "int16_t", "uint32_t", "int32_t", "uint64_t", "int64_t", "float"]));
    expect(checked).toBeGreaterThan(3000);
  });

  it("refuses a wrong message or field name at build time", () => {
    expect(() => messageClass(MSG_ID.SYS_STATUS, "HEARTBEAT")).toThrow(/msgid 1 is SYS_STATUS, not HEARTBEAT/);
    expect(() => num(sys, "no_such_field")).toThrow(/SYS_STATUS has no field no_such_field/);
  });
});
