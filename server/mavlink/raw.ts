/**
 * Any MAVLink message by name, with its fields under their MAVLink names (snake_case, as in the spec and in the
 * recorded transcripts) and in MAVLink's own units. This is for tools that speak MAVLink as a device does — the
 * vehicle simulator, protocol tests — not for the ground station's state, which reads SI units from decode.ts.
 */
import { MavLinkProtocolV2 } from "node-mavlink";
import type { MavLinkData } from "mavlink-mappings";
import type { MessageClass } from "./registry";
import { REGISTRY } from "./registry";
import { num, nums, text } from "./fields";
import type { PayloadView } from "./fields";
import type { Frame, TargetIds } from "./types";

export type RawValue = number | string | number[];
export type RawFields = Record<string, RawValue>;

export interface RawMessage {
  name: string;
  msgid: number;
  sysid: number;
  compid: number;
  seq: number;
  fields: RawFields;
}

type FieldReader = [name: string, read: (payload: PayloadView) => RawValue];

function readersOf(clazz: MessageClass): FieldReader[] {
  return clazz.FIELDS.map((f): FieldReader => {
    if (f.type === "char[]") return [f.source, text(clazz, f.source)];
    if (f.length > 0) return [f.source, nums(clazz, f.source)];
    return [f.source, num(clazz, f.source)];
  });
}

/** Decodes any message of the dialect; the readers of each message type are built on first use. */
export class RawDecoder {
  private readonly readers = new Map<number, FieldReader[]>();

  decode(frame: Frame): RawMessage {
    const clazz = REGISTRY.byId.get(frame.msgid);
    if (!clazz) throw new Error(`unknown message id ${frame.msgid}`);
    let readers = this.readers.get(frame.msgid);
    if (!readers) {
      readers = readersOf(clazz);
      this.readers.set(frame.msgid, readers);
    }
    const fields: RawFields = {};
    for (const [name, read] of readers) fields[name] = read(frame);
    return { name: clazz.MSG_NAME, msgid: frame.msgid, sysid: frame.sysid, compid: frame.compid, seq: frame.seq, fields };
  }
}

const BY_NAME: ReadonlyMap<string, MessageClass> = new Map([...REGISTRY.byId.values()].map((c) => [c.MSG_NAME, c]));

/** The message id of a message name, e.g. "GLOBAL_POSITION_INT" -> 33; throws on an unknown name. */
export function messageId(name: string): number {
  const clazz = BY_NAME.get(name);
  if (!clazz) throw new Error(`unknown MAVLink message ${name}`);
  return clazz.MSG_ID;
}

/**
 * Encodes messages as MAVLink 2 from one (sysid, compid), with its own sequence counter. Fields left out are
 * zero (or empty); a field name the message does not have is an error, so a typo never goes out as a zero.
 */
export class RawEncoder {
  private readonly protocol: MavLinkProtocolV2;
  private seq = 0;

  constructor(readonly ids: TargetIds) {
    this.protocol = new MavLinkProtocolV2(ids.sysid, ids.compid);
  }

  encode(name: string, fields: RawFields = {}): Buffer {
    const clazz = BY_NAME.get(name);
    if (!clazz) throw new Error(`unknown MAVLink message ${name}`);
    const data = new clazz() as MavLinkData & Record<string, unknown>;
    const known = new Set<string>();
    for (const f of clazz.FIELDS) {
      known.add(f.source);
      const value = fields[f.source];
      if (value === undefined) continue;
      data[f.name] = f.type.startsWith("uint64_t") || f.type.startsWith("int64_t")
        ? BigInt(Math.round(Number(value)))
        : value;
    }
    for (const key of Object.keys(fields)) {
      if (!known.has(key)) throw new Error(`${name} has no field ${key}`);
    }
    const bytes = this.protocol.serialize(data, this.seq);
    this.seq = (this.seq + 1) & 0xff;
    return bytes;
  }
}
