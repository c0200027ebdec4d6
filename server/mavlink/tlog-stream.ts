/**
 * Reading a .tlog in chunks, at constant memory: the same decisions as parseTlog (tlog.ts) on the whole file, so
 * a file streamed gives the same entries and counters however it was cut. Frames are views into the chunks.
 */
import {
  BAD_CRC, MAX_FRAME_LENGTH, NEED_MORE, NOT_A_FRAME, STX_V1, STX_V2, UNKNOWN_MESSAGE, emptyCounters, frameLength, makeFrame,
  probeFrame,
} from "./framer";
import type { TlogCounters, TlogEntry } from "./tlog";
import type { Frame } from "./types";

const TIME_LENGTH = 8;
const MAX_SAFE_HIGH = 2 ** 21;
/** From a position this far from the end of what arrived, every decision parseTlog takes there can be taken. */
const LOOKAHEAD = TIME_LENGTH + MAX_FRAME_LENGTH;

function timeAt(buf: Buffer, offset: number): number | null {
  const high = buf.readUInt32BE(offset);
  if (high >= MAX_SAFE_HIGH) return null;
  return high * 2 ** 32 + buf.readUInt32BE(offset + 4);
}

export class TlogStreamParser {
  readonly counters: TlogCounters = { ...emptyCounters(), truncated: 0 };
  /** Unread tail of the previous chunk (< LOOKAHEAD bytes, our own copy). */
  private rest: Buffer | null = null;
  private inSync = true;
  private ended = false;
  /** Bytes pushed so far: where the next chunk starts in the file. */
  private pushed = 0;

  /**
   * `onEntry` is called synchronously from push() and end(), in file order, with the byte offset of the entry
   * (its timestamp) in the stream: where a reader can start again (a replay's seek index).
   */
  constructor(private readonly onEntry: (entry: TlogEntry, offset: number) => void) {}

  push(chunk: Buffer): void {
    if (this.ended) throw new Error("tlog stream already ended");
    if (chunk.length === 0) return;
    const base = this.pushed - (this.rest?.length ?? 0);
    this.pushed += chunk.length;
    const buf = this.rest === null ? chunk : Buffer.concat([this.rest, chunk]);
    this.rest = null;
    const stop = this.scan(buf, false, base);
    // Copied: a few hundred bytes, and the caller may reuse its chunk.
    if (stop < buf.length) this.rest = Buffer.from(buf.subarray(stop));
  }

  /** The end of the file: what is left is a cut entry or garbage. Returns the final counters. */
  end(): TlogCounters {
    if (this.ended) return this.counters;
    this.ended = true;
    const buf = this.rest ?? Buffer.alloc(0);
    this.rest = null;
    this.scan(buf, true, this.pushed - buf.length);
    return this.counters;
  }

  /** parseTlog's loop; not final, it stops where deciding could need bytes not arrived yet. */
  private scan(buf: Buffer, final: boolean, base: number): number {
    const c = this.counters;
    let i = 0;
    while (final ? i + TIME_LENGTH < buf.length : i + LOOKAHEAD <= buf.length) {
      const start = i + TIME_LENGTH;
      const stx = buf[start];
      const result = stx === STX_V1 || stx === STX_V2 ? probeFrame(buf, start) : NOT_A_FRAME;
      const timeUs = timeAt(buf, i);
      if (result > 0 && timeUs !== null) {
        c.frames++;
        this.onEntry({ timeUs, frame: makeFrame(buf, start, result) }, base + i);
        i = start + result;
        this.inSync = true;
        continue;
      }
      if (result === NEED_MORE && !final) return i;
      if (this.inSync && timeUs !== null) {
        if (result === NEED_MORE) {
          c.truncated = 1;
          return buf.length;
        }
        if (result === UNKNOWN_MESSAGE) {
          c.unknownMessages++;
          i = start + frameLength(buf, start);
          continue;
        }
        if (result === BAD_CRC) c.crcErrors++;
      }
      this.inSync = false;
      c.garbageBytes++;
      i++;
    }
    if (!final) return i;
    if (i < buf.length) {
      if (this.inSync) c.truncated = 1;
      else c.garbageBytes += buf.length - i;
    }
    return buf.length;
  }
}

/** The Frame of bytes that are one whole frame already checked (an entry written by this server). */
export function frameOf(bytes: Buffer): Frame {
  return makeFrame(bytes, 0, bytes.length);
}
