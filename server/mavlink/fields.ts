/**
 * Fast field readers built from mavlink-mappings' FIELDS (offset, type) once at import, instead of node-mavlink's
 * `protocol.data()` which pads every payload to 255 bytes and decodes every field generically.
 * MAVLink 2 senders truncate trailing zero bytes of a payload: reading past the end gives zero, as the spec says.
 */
import type { FieldDef, MessageClass } from "./registry";
import { REGISTRY } from "./registry";

/**
 * Where a payload lies: `payloadLength` bytes of `buf` from `payloadStart`. A Frame is one, so decoders read a frame's
 * payload in place; `viewOf` makes one of a payload Buffer. Bytes of `buf` past the payload (the checksum, the next
 * frame) are never read: a field past `payloadLength` reads as zero.
 */
export interface PayloadView {
  readonly buf: Buffer;
  readonly payloadStart: number;
  readonly payloadLength: number;
}

/** The view of a whole Buffer as a payload. */
export function viewOf(payload: Buffer): PayloadView {
  return { buf: payload, payloadStart: 0, payloadLength: payload.length };
}

export type NumberReader = (payload: PayloadView) => number;

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
function padded(p: PayloadView, offset: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  p.buf.copy(b, 0, p.payloadStart + offset, p.payloadStart + p.payloadLength);
  return b;
}

function scalarReader(type: string, offset: number): NumberReader {
  // Each reader: the whole field when the payload holds it, zero-extended when truncation cut it, else 0.
  switch (type) {
    case "uint8_t":
    case "uint8_t_mavlink_version":
    case "char":
      return (p) => (offset < p.payloadLength ? p.buf[p.payloadStart + offset]! : 0);
    case "int8_t":
      return (p) => (offset < p.payloadLength ? (p.buf[p.payloadStart + offset]! << 24) >> 24 : 0);
    case "uint16_t":
      return (p) => (offset + 2 <= p.payloadLength ? p.buf.readUInt16LE(p.payloadStart + offset)
        : offset < p.payloadLength ? p.buf[p.payloadStart + offset]! : 0);
    case "int16_t":
      // A truncated int16 has a zero high byte, so it is the low byte as is.
      return (p) => (offset + 2 <= p.payloadLength ? p.buf.readInt16LE(p.payloadStart + offset)
        : offset < p.payloadLength ? p.buf[p.payloadStart + offset]! : 0);
    case "uint32_t":
      return (p) => (offset + 4 <= p.payloadLength ? p.buf.readUInt32LE(p.payloadStart + offset)
        : offset < p.payloadLength ? padded(p, offset, 4).readUInt32LE(0) : 0);
    case "int32_t":
      return (p) => (offset + 4 <= p.payloadLength ? p.buf.readInt32LE(p.payloadStart + offset)
        : offset < p.payloadLength ? padded(p, offset, 4).readInt32LE(0) : 0);
    case "float":
      return (p) => (offset + 4 <= p.payloadLength ? p.buf.readFloatLE(p.payloadStart + offset)
        : offset < p.payloadLength ? padded(p, offset, 4).readFloatLE(0) : 0);
    case "double":
      return (p) => (offset + 8 <= p.payloadLength ? p.buf.readDoubleLE(p.payloadStart + offset)
        : offset < p.payloadLength ? padded(p, offset, 8).readDoubleLE(0) : 0);
    case "uint64_t":
      // bigint never leaves this folder; values past 2^53 (not seen from ArduPilot) lose precision.
      return (p) => (offset + 8 <= p.payloadLength ? Number(p.buf.readBigUInt64LE(p.payloadStart + offset))
        : offset < p.payloadLength ? Number(padded(p, offset, 8).readBigUInt64LE(0)) : 0);
    case "int64_t":
      return (p) => (offset + 8 <= p.payloadLength ? Number(p.buf.readBigInt64LE(p.payloadStart + offset))
        : offset < p.payloadLength ? Number(padded(p, offset, 8).readBigInt64LE(0)) : 0);
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
export function nums(clazz: MessageClass, name: string): (payload: PayloadView) => number[] {
  const def = field(clazz, name);
  if (def.length === 0) throw new Error(`${clazz.MSG_NAME}.${name} is not an array`);
  const elementType = def.type.replace("[]", "");
  const readers = Array.from({ length: def.length }, (_, k) => scalarReader(elementType, def.offset + k * def.size));
  return (p) => readers.map((read) => read(p));
}

/** Reader of a char[] field: text up to the first NUL (or the field's end). */
export function text(clazz: MessageClass, name: string): (payload: PayloadView) => string {
  const def = field(clazz, name);
  if (def.type !== "char[]") throw new Error(`${clazz.MSG_NAME}.${name} is not a char[]`);
  return (p) => {
    const from = p.payloadStart + def.offset;
    const end = p.payloadStart + Math.min(p.payloadLength, def.offset + def.length);
    let stop = from;
    while (stop < end && p.buf[stop] !== 0) stop++;
    return from >= stop ? "" : p.buf.toString("utf8", from, stop);
  };
}
