import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixturePath } from "../../test/support/mavlink/fixtures";
import { parseTlog } from "./tlog";
import type { TlogEntry } from "./tlog";
import type { Frame } from "./types";
import { TlogStreamParser, frameOf } from "./tlog-stream";

const raw = readFileSync(fixturePath("copter_flight_1.tlog"));

/** A deterministic pseudo-random sequence (xorshift), so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function streamed(buf: Buffer, cut: (left: number) => number) {
  const entries: TlogEntry[] = [];
  const parser = new TlogStreamParser((e) => entries.push(e));
  for (let at = 0; at < buf.length;) {
    const n = Math.max(1, Math.min(buf.length - at, cut(buf.length - at)));
    // A copy: the parser must not depend on the caller keeping its chunk.
    parser.push(Buffer.from(buf.subarray(at, at + n)));
    at += n;
  }
  return { entries, counters: parser.end() };
}

const same = (a: TlogEntry[], b: TlogEntry[]) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.timeUs !== b[i]!.timeUs || !a[i]!.frame.bytes.equals(b[i]!.frame.bytes)) throw new Error(`entry ${i} differs`);
  }
};

describe("TlogStreamParser", () => {
  it("reads a file cut anywhere exactly as parseTlog reads it whole", () => {
    const whole = parseTlog(raw);
    for (const size of [1, 7, 293, 4096, 65536, raw.length]) {
      const s = streamed(raw, () => size);
      expect(s.counters).toEqual(whole.counters);
      same(s.entries, whole.entries);
    }
  });

  it("gives parseTlog's counters on damaged files: garbage, bad checksums, unknown messages, a cut end", () => {
    const rnd = random(7);
    const noise = Buffer.from(Array.from({ length: 5000 }, () => Math.floor(rnd() * 256)));
    const flipped = Buffer.from(raw.subarray(0, 300_000));
    for (let k = 0; k < 40; k++) {
      const at = Math.floor(rnd() * flipped.length);
      flipped.writeUInt8(flipped.readUInt8(at) ^ 0xff, at);
    }
    // In sync, a complete frame of a message id no registry knows: skipped whole, counted as unknown.
    const unknown = Buffer.alloc(8 + 12 + 200);
    raw.copy(unknown, 0, 0, 8);
    unknown.set([0xfd, 200, 0, 0, 0, 1, 1, 0xef, 0xcd, 0xab], 8);
    const e = parseTlog(raw).entries[1000]!;
    const boundary = e.frame.bytes.byteOffset - raw.byteOffset + e.frame.bytes.length;
    expect(parseTlog(Buffer.concat([raw.subarray(0, boundary), unknown])).counters.unknownMessages).toBe(1);
    const files = [
      Buffer.concat([raw.subarray(0, boundary), unknown, raw.subarray(boundary, 120_000)]),
      Buffer.concat([raw.subarray(0, 100_000), noise, raw.subarray(100_000, raw.length - 5)]),
      flipped,
      noise,
      Buffer.concat([noise.subarray(0, 9), raw.subarray(0, 1000)]),
      Buffer.alloc(0),
      Buffer.alloc(5),
    ];
    for (const file of files) {
      const whole = parseTlog(file);
      for (let round = 0; round < 5; round++) {
        const s = streamed(file, () => 1 + Math.floor(rnd() * 3000));
        expect(s.counters).toEqual(whole.counters);
        same(s.entries, whole.entries);
      }
    }
  });

  it("rebuilds the Frame of a frame's own bytes", () => {
    const e = parseTlog(raw).entries[123]!;
    const own = frameOf(Buffer.from(e.frame.bytes));
    const seen = (f: Frame) => ({
      version: f.version, seq: f.seq, sysid: f.sysid, compid: f.compid, msgid: f.msgid, signed: f.signed,
      length: f.length, payloadLength: f.payloadLength, payload: f.payload, bytes: f.bytes,
    });
    expect(seen(own)).toEqual(seen(e.frame));
    expect([own.start, own.payloadStart]).toEqual([0, e.frame.payloadStart - e.frame.start]);
  });
});
