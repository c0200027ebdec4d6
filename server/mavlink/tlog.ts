/**
 * Reading .tlog files (QGroundControl / Mission Planner / MAVProxy): repeated
 * [8-byte big-endian UNIX time, µs][one raw MAVLink packet]. Frames are views into the file's buffer.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import {
  BAD_CRC, NEED_MORE, NOT_A_FRAME, STX_V1, STX_V2, UNKNOWN_MESSAGE, emptyCounters, frameLength, makeFrame, probeFrame,
} from "./framer";
import type { Frame, FramerCounters } from "./types";

export interface TlogEntry {
  /** Microseconds since the UNIX epoch, as recorded (a safe integer). */
  timeUs: number;
  frame: Frame;
}

export interface TlogCounters extends FramerCounters {
  /** 1 when the file ends inside an entry (a recording cut short), else 0. */
  truncated: number;
}

export interface ParsedTlog {
  entries: TlogEntry[];
  counters: TlogCounters;
}

const TIME_LENGTH = 8;
/** 2^53 / 2^32: a high word at or above this is not a safe integer, so not a timestamp. */
const MAX_SAFE_HIGH = 2 ** 21;

function timeAt(buf: Buffer, offset: number): number | null {
  const high = buf.readUInt32BE(offset);
  if (high >= MAX_SAFE_HIGH) return null;
  return high * 2 ** 32 + buf.readUInt32BE(offset + 4);
}

/**
 * Parses a whole tlog. After damage (garbage, a bad checksum) it resynchronises on the next position where a
 * timestamp is followed by a frame with a good checksum; skipped bytes count as garbage.
 */
export function parseTlog(buf: Buffer): ParsedTlog {
  const entries: TlogEntry[] = [];
  const counters: TlogCounters = { ...emptyCounters(), truncated: 0 };
  let i = 0;
  // While in sync the entry boundaries are trusted: a bad or unknown frame there is reported as such.
  let inSync = true;
  while (i + TIME_LENGTH < buf.length) {
    const start = i + TIME_LENGTH;
    const stx = buf[start];
    const result = stx === STX_V1 || stx === STX_V2 ? probeFrame(buf, start) : NOT_A_FRAME;
    const timeUs = timeAt(buf, i);
    if (result > 0 && timeUs !== null) {
      counters.frames++;
      entries.push({ timeUs, frame: makeFrame(buf, start, result) });
      i = start + result;
      inSync = true;
      continue;
    }
    if (inSync && timeUs !== null) {
      if (result === NEED_MORE) {
        counters.truncated = 1;
        return { entries, counters };
      }
      if (result === UNKNOWN_MESSAGE) {
        counters.unknownMessages++;
        i = start + frameLength(buf, start);
        continue;
      }
      if (result === BAD_CRC) counters.crcErrors++;
    }
    inSync = false;
    counters.garbageBytes++;
    i++;
  }
  if (i < buf.length) {
    if (inSync) counters.truncated = 1;
    else counters.garbageBytes += buf.length - i;
  }
  return { entries, counters };
}

/** Synchronous: for tests, CLIs and start-up. While serving, use loadTlogFile. */
export function readTlogFile(path: string): ParsedTlog {
  return parseTlog(readFileSync(path));
}

export async function loadTlogFile(path: string): Promise<ParsedTlog> {
  return parseTlog(await readFile(path));
}
