/**
 * Fast field readers built from mavlink-mappings' FIELDS (offset, type) once at import, instead of node-mavlink's
 * `protocol.data()` which pads every payload to 255 bytes and decodes every field generically.
 * MAVLink 2 senders truncate trailing zero bytes of a payload: reading past the end gives zero, as the spec says.
 */
import type { FieldDef, MessageClass } from "./registry";
import { REGISTRY } from "./registry";

export type NumberReader = (payload: Buffer) => number;

/** The generated class of a message, checked by name so a wrong id fails at import, not on the wire. */
export function messageClass(msgid: number, name: string): MessageClass {
  const clazz = REGISTRY.byId.get(msgid);
  if (clazz?.MSG_NAME !== name) throw new Error(`msgid ${msgid} is ${clazz?.MSG_NAME ?? "unknown"}, not ${name}`);
  return clazz;
}

function field(clazz: MessageClass, name: string): FieldDef {
  const def = clazz.FIELDS.find((f) => f.source === name);
  if (def === undefined) throw new Error(`${clazz.MSG_NAME} has no field ${name}`);
  return def;
}

/** Zero-extended copy of a field cut short by truncation (rare: only when its high bytes were zero). */
function padded(p: Buffer, offset: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  p.copy(b, 0, offset, p.length);
  return b;
}

function scalarReader(type: string, offset: number): NumberReader {
  switch (type) {
    case "uint8_t":
    case "uint8_t_mavlink_version":
    case "char":
      return (p) => (offset < p.length ? p[offset]! : 0);
    case "int8_t":
      return (p) => (offset < p.length ? (p[offset]! << 24) >> 24 : 0);
    case "uint16_t":
      return (p) => (offset + 2 <= p.length ? p.readUInt16LE(offset) : offset < p.length ? p[offset]! : 0);
    case "int16_t":
      // A truncated int16 has a zero high byte, so it is the low byte as is.
      return (p) => (offset + 2 <= p.length ? p.readInt16LE(offset) : offset < p.length ? p[offset]! : 0);
    case "uint32_t":
      return (p) => (offset + 4 <= p.length ? p.readUInt32LE(offset) : offset < p.length ? padded(p, offset, 4).readUInt32LE(0) : 0);
    case "int32_t":
      return (p) => (offset + 4 <= p.length ? p.readInt32LE(offset) : offset < p.length ? padded(p, offset, 4).readInt32LE(0) : 0);
    case "float":
      return (p) => (offset + 4 <= p.length ? p.readFloatLE(offset) : offset < p.length ? padded(p, offset, 4).readFloatLE(0) : 0);
    case "double":
      return (p) => (offset + 8 <= p.length ? p.readDoubleLE(offset) : offset < p.length ? padded(p, offset, 8).readDoubleLE(0) : 0);
    case "uint64_t":
      // bigint never leaves this folder; values past 2^53 (not seen from ArduPilot) lose precision.
      return (p) => (offset + 8 <= p.length ? Number(p.readBigUInt64LE(offset)) : offset < p.length ? Number(padded(p, offset, 8).readBigUInt64LE(0)) : 0);
    case "int64_t":
      return (p) => (offset + 8 <= p.length ? Number(p.readBigInt64LE(offset)) : offset < p.length ? Number(padded(p, offset, 8).readBigInt64LE(0)) : 0);
    default:
      throw new Error(`no reader for field type ${type}`);
  }
}

/** Reader of one scalar field. */
export function num(clazz: MessageClass, name: string): NumberReader {
  const def = field(clazz, name);
  if (def.length !== 0) throw new Error(`${clazz.MSG_NAME}.${name} is an array`);
  return scalarReader(def.type, def.offset);
}

/** Reader of a numeric array field (e.g. BATTERY_STATUS.voltages). */
export function nums(clazz: MessageClass, name: string): (payload: Buffer) => number[] {
  const def = field(clazz, name);
  if (def.length === 0) throw new Error(`${clazz.MSG_NAME}.${name} is not an array`);
  const elementType = def.type.replace("[]", "");
  const readers = Array.from({ length: def.length }, (_, k) => scalarReader(elementType, def.offset + k * def.size));
  return (p) => readers.map((read) => read(p));
}

/** Reader of a char[] field: text up to the first NUL (or the field's end). */
export function text(clazz: MessageClass, name: string): (payload: Buffer) => string {
  const def = field(clazz, name);
  if (def.type !== "char[]") throw new Error(`${clazz.MSG_NAME}.${name} is not a char[]`);
  return (p) => {
    const end = Math.min(p.length, def.offset + def.length);
    if (def.offset >= end) return "";
    const nul = p.indexOf(0, def.offset);
    return p.toString("utf8", def.offset, nul === -1 || nul > end ? end : nul);
  };
}
