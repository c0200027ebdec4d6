/**
 * Our own synchronous MAVLink framer: a byte stream in, checked frames out. It replaces node-mavlink's splitter,
 * which allocates per packet and drops bad frames without telling. Hot path: no allocation per byte or frame
 * except the Frame object itself, which points into the buffer the frame arrived in.
 */
import { mavlinkCrc } from "./crc";
import { REGISTRY } from "./registry";
import type { Frame, FramerCounters } from "./types";

export const STX_V1 = 0xfe;
export const STX_V2 = 0xfd;
const IFLAG_SIGNED = 0x01;
const SIGNATURE_LENGTH = 13;
/** v2 header (10) + largest payload (255) + checksum (2) + signature (13). */
export const MAX_FRAME_LENGTH = 10 + 255 + 2 + SIGNATURE_LENGTH;

/** Results of probeFrame other than a frame length (> 0). */
export const NEED_MORE = 0;
export const BAD_CRC = -1;
export const UNKNOWN_MESSAGE = -2;
/** A start byte whose header cannot begin a frame we understand (unknown incompatibility flags). */
export const NOT_A_FRAME = -3;

const CRC_EXTRA = REGISTRY.crcExtra;

/** Total length of the frame starting at `start` from its header (which must be complete: 3 bytes). */
export function frameLength(buf: Buffer, start: number): number {
  const plen = buf[start + 1]!;
  if (buf[start] === STX_V1) return 8 + plen;
  return 12 + plen + (buf[start + 2]! & IFLAG_SIGNED ? SIGNATURE_LENGTH : 0);
}

/**
 * Looks at a start byte (0xFD / 0xFE) at `start`: returns the length of a complete frame with a good checksum,
 * or NEED_MORE, BAD_CRC, UNKNOWN_MESSAGE (complete, but its CRC_EXTRA is unknown so it cannot be checked),
 * NOT_A_FRAME.
 */
export function probeFrame(buf: Buffer, start: number): number {
  const avail = buf.length - start;
  if (avail < 3) return NEED_MORE;
  const plen = buf[start + 1]!;
  let headerLength: number;
  let length: number;
  let msgid: number;
  if (buf[start] === STX_V2) {
    const incompat = buf[start + 2]!;
    // MAVLink 2: a frame with an incompatibility flag we do not know must not be interpreted.
    if ((incompat & ~IFLAG_SIGNED) !== 0) return NOT_A_FRAME;
    headerLength = 10;
    length = 12 + plen + (incompat & IFLAG_SIGNED ? SIGNATURE_LENGTH : 0);
    if (avail < length) return NEED_MORE;
    msgid = buf[start + 7]! | (buf[start + 8]! << 8) | (buf[start + 9]! << 16);
  } else {
    headerLength = 6;
    length = 8 + plen;
    if (avail < length) return NEED_MORE;
    msgid = buf[start + 5]!;
  }
  const crcExtra = msgid < CRC_EXTRA.length ? CRC_EXTRA[msgid]! : -1;
  if (crcExtra < 0) return UNKNOWN_MESSAGE;
  const end = start + headerLength + plen;
  const crc = mavlinkCrc(buf, start + 1, end, crcExtra);
  return crc === (buf[end]! | (buf[end + 1]! << 8)) ? length : BAD_CRC;
}

/**
 * The most bytes from a frame's start that can be needed to decide it: an unknown message of up to
 * MAX_FRAME_LENGTH bytes, whose last byte may begin a real frame of up to MAX_FRAME_LENGTH bytes.
 */
export const DECISION_WINDOW = 2 * MAX_FRAME_LENGTH;

/** Results of checkedFrameWithin other than the start of a frame (>= 0). */
export const NO_FRAME_WITHIN = -1;
export const WITHIN_NEEDS_MORE = -2;

/**
 * Start of the first frame with a good checksum in buf[from, to); NO_FRAME_WITHIN; or WITHIN_NEEDS_MORE when a
 * start byte before any such frame cannot be decided yet because its frame runs past the end of buf. Guards the
 * skip of an unknown message: a stray start byte with a random msgid would otherwise swallow the real frames
 * after it, including one that has only partly arrived.
 */
export function checkedFrameWithin(buf: Buffer, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const b = buf[i];
    if (b !== STX_V2 && b !== STX_V1) continue;
    const result = probeFrame(buf, i);
    if (result > 0) return i;
    // Deciding in order, the first undecidable start byte included, makes the outcome independent of how
    // the stream was cut into chunks.
    if (result === NEED_MORE) return WITHIN_NEEDS_MORE;
  }
  return NO_FRAME_WITHIN;
}

/**
 * A Frame: numbers read from the header once, the payload and the frame as Buffers only when asked for (the live
 * path's decoders read in place, so most frames never make either).
 */
class WireFrame implements Frame {
  private payloadView: Buffer | undefined = undefined;
  private bytesView: Buffer | undefined = undefined;

  constructor(
    readonly buf: Buffer,
    readonly start: number,
    readonly length: number,
    readonly version: 1 | 2,
    readonly seq: number,
    readonly sysid: number,
    readonly compid: number,
    readonly msgid: number,
    readonly signed: boolean,
    readonly payloadStart: number,
    readonly payloadLength: number,
  ) {}

  get payload(): Buffer {
    return (this.payloadView ??= this.buf.subarray(this.payloadStart, this.payloadStart + this.payloadLength));
  }

  get bytes(): Buffer {
    return (this.bytesView ??= this.buf.subarray(this.start, this.start + this.length));
  }
}

/** The Frame of a frame already checked by probeFrame. */
export function makeFrame(buf: Buffer, start: number, length: number): Frame {
  const plen = buf[start + 1]!;
  if (buf[start] === STX_V2) {
    return new WireFrame(buf, start, length, 2, buf[start + 4]!, buf[start + 5]!, buf[start + 6]!,
      buf[start + 7]! | (buf[start + 8]! << 8) | (buf[start + 9]! << 16), (buf[start + 2]! & IFLAG_SIGNED) !== 0,
      start + 10, plen);
  }
  return new WireFrame(buf, start, length, 1, buf[start + 2]!, buf[start + 3]!, buf[start + 4]!, buf[start + 5]!, false,
    start + 6, plen);
}

/** The same frame over a copy of its bytes, for a frame kept after its buffer may be reused. */
export function copyFrame(frame: Frame): Frame {
  return makeFrame(Buffer.from(frame.bytes), 0, frame.length);
}

export function emptyCounters(): FramerCounters {
  return { frames: 0, garbageBytes: 0, crcErrors: 0, unknownMessages: 0 };
}

export class MavlinkFramer {
  /** Unconsumed tail of the previous chunk (< DECISION_WINDOW bytes, our own copy), or null. */
  private rest: Buffer | null = null;

  /**
   * `onFrame` is called synchronously from push(); it must not throw (the link catches its listeners' errors).
   * `counters` may be shared by several framers: a link passes its running totals, so its status needs no sum
   * over its peers.
   */
  constructor(
    private readonly onFrame: (frame: Frame) => void,
    readonly counters: FramerCounters = emptyCounters(),
  ) {}

  /** Bytes held back waiting for the rest of a frame. */
  get pendingBytes(): number {
    return this.rest?.length ?? 0;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const rest = this.rest;
    if (rest === null) {
      this.consume(chunk, 0);
      return;
    }
    this.rest = null;
    if (chunk.length <= DECISION_WINDOW) {
      this.consume(Buffer.concat([rest, chunk]), 0);
      return;
    }
    // Join the remainder with only as much of the chunk as deciding a frame starting inside the remainder can
    // need, so a large chunk is never copied; then carry on in the chunk itself.
    const head = Buffer.concat([rest, chunk.subarray(0, DECISION_WINDOW)]);
    const stop = this.scan(head, 0, rest.length);
    this.consume(chunk, stop - rest.length);
  }

  private consume(buf: Buffer, from: number): void {
    const stop = this.scan(buf, from, buf.length);
    // Copied: a few bytes, and the caller's chunk may be a pooled buffer that is reused.
    if (stop < buf.length) this.rest = Buffer.from(buf.subarray(stop));
  }

  /**
   * Frames starting before `limit`. Returns where it stopped: >= limit when done, or the start of a frame that
   * needs more bytes than `buf` holds.
   */
  private scan(buf: Buffer, from: number, limit: number): number {
    const counters = this.counters;
    let i = from;
    while (i < limit) {
      let start = i;
      while (start < limit && buf[start] !== STX_V2 && buf[start] !== STX_V1) start++;
      counters.garbageBytes += start - i;
      if (start >= limit) return limit;
      const result = probeFrame(buf, start);
      if (result > 0) {
        i = start + result;
        counters.frames++;
        this.onFrame(makeFrame(buf, start, result));
      } else if (result === NEED_MORE) {
        return start;
      } else if (result === UNKNOWN_MESSAGE) {
        const length = frameLength(buf, start);
        const inner = checkedFrameWithin(buf, start + 1, start + length);
        if (inner === WITHIN_NEEDS_MORE) {
          // A frame may start inside it and end past this buffer: skipping now would lose it. The wait is
          // bounded: with DECISION_WINDOW bytes from `start` every start byte inside can be decided.
          return start;
        } else if (inner === NO_FRAME_WITHIN) {
          counters.unknownMessages++;
          i = start + length;
        } else {
          // A checked frame starts inside it: this "frame" was a stray start byte, do not skip the real one.
          counters.garbageBytes += inner - start;
          i = inner;
        }
      } else if (result === BAD_CRC) {
        // The start byte was maybe only a payload byte that looked like one: resync right after it.
        counters.crcErrors++;
        i = start + 1;
      } else {
        counters.garbageBytes++;
        i = start + 1;
      }
    }
    return i;
  }
}
