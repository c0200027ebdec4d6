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

/**
 * Reads by hand, not with Buffer's readUInt16LE etc.: those check their argument and bounds at every call, and the
 * decoders' bounds are already known (a frame's payload lies inside its buffer; each reader checks the payload's
 * length). Floats and 64-bit fields go through a scratch DataView, little-endian whatever the machine.
 */
const SCRATCH = new Uint8Array(8);
const SCRATCH_VIEW = new DataView(SCRATCH.buffer);

const u16 = (b: Buffer, o: number): number => b[o]! | (b[o + 1]! << 8);
const i32 = (b: Buffer, o: number): number => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);

function f32(b: Buffer, o: number): number {
  SCRATCH[0] = b[o]!;
  SCRATCH[1] = b[o + 1]!;
  SCRATCH[2] = b[o + 2]!;
  SCRATCH[3] = b[o + 3]!;
  return SCRATCH_VIEW.getFloat32(0, true);
}

/**
 * The `size` bytes of a field at `offset` into SCRATCH: those the payload holds, then zeros (a MAVLink 2 sender
 * truncates trailing zero bytes, so a field cut short reads as if zero-extended).
 */
function scratch(p: PayloadView, offset: number, size: number): DataView {
  for (let k = 0; k < size; k++) SCRATCH[k] = offset + k < p.payloadLength ? p.buf[p.payloadStart + offset + k]! : 0;
  return SCRATCH_VIEW;
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
      // A truncated 16-bit field has a zero high byte, so it is the low byte as is.
      return (p) => (offset + 2 <= p.payloadLength ? u16(p.buf, p.payloadStart + offset)
        : offset < p.payloadLength ? p.buf[p.payloadStart + offset]! : 0);
    case "int16_t":
      return (p) => (offset + 2 <= p.payloadLength ? (u16(p.buf, p.payloadStart + offset) << 16) >> 16
        : offset < p.payloadLength ? p.buf[p.payloadStart + offset]! : 0);
    case "uint32_t":
      return (p) => (offset + 4 <= p.payloadLength ? i32(p.buf, p.payloadStart + offset) >>> 0
        : offset < p.payloadLength ? scratch(p, offset, 4).getUint32(0, true) : 0);
    case "int32_t":
      return (p) => (offset + 4 <= p.payloadLength ? i32(p.buf, p.payloadStart + offset)
        : offset < p.payloadLength ? scratch(p, offset, 4).getInt32(0, true) : 0);
    case "float":
      return (p) => (offset + 4 <= p.payloadLength ? f32(p.buf, p.payloadStart + offset)
        : offset < p.payloadLength ? scratch(p, offset, 4).getFloat32(0, true) : 0);
    case "double":
      return (p) => (offset < p.payloadLength ? scratch(p, offset, 8).getFloat64(0, true) : 0);
    case "uint64_t":
      // bigint never leaves this folder; values past 2^53 (not seen from ArduPilot) lose precision.
      return (p) => (offset < p.payloadLength ? Number(scratch(p, offset, 8).getBigUint64(0, true)) : 0);
    case "int64_t":
      return (p) => (offset < p.payloadLength ? Number(scratch(p, offset, 8).getBigInt64(0, true)) : 0);
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
