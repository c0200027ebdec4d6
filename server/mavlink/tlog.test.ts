import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseTlog, readTlogFile } from "./tlog";
import { fixturePath } from "../../test/support/mavlink/fixtures";

describe("parseTlog", () => {
  const raw = readFileSync(fixturePath("copter_flight_1.tlog"));

  it("reads the real flight: 21,259 entries, 194 s, in order", () => {
    const { entries, counters } = parseTlog(raw);
    expect(counters).toEqual({ frames: 21259, garbageBytes: 0, crcErrors: 0, unknownMessages: 0, truncated: 0 });
    const first = entries[0]!.timeUs;
    const last = entries[entries.length - 1]!.timeUs;
    expect(Number.isSafeInteger(first)).toBe(true);
    expect((last - first) / 1e6).toBeGreaterThan(190);
    expect((last - first) / 1e6).toBeLessThan(200);
    expect(entries.every((e, i) => i === 0 || e.timeUs >= entries[i - 1]!.timeUs)).toBe(true);
    // Frames are views into the file's buffer.
    expect(entries[0]!.frame.bytes.buffer).toBe(raw.buffer);
  });

  it("reads the stream probe recording", () => {
    const { entries, counters } = readTlogFile(fixturePath("probe_streams_fresh.tlog"));
    expect(entries.length).toBe(2677);
    expect(counters.crcErrors + counters.garbageBytes + counters.truncated).toBe(0);
  });

  it("resynchronises after garbage and a corrupted entry, and reports a cut end", () => {
    const { entries } = parseTlog(raw);
    const entryBytes = (i: number): Buffer => {
      const e = entries[i]!;
      const b = Buffer.alloc(8 + e.frame.bytes.length);
      b.writeBigUInt64BE(BigInt(e.timeUs));
      e.frame.bytes.copy(b, 8);
      return b;
    };
    const corrupted = entryBytes(3);
    corrupted[corrupted.length - 4]! ^= 0xff;
    const junk = Buffer.from("not a tlog entry at all");
    const damaged = Buffer.concat([
      entryBytes(0), entryBytes(1), junk, entryBytes(2), corrupted, entryBytes(4), entryBytes(5).subarray(0, 20),
    ]);
    const parsed = parseTlog(damaged);
    expect(parsed.entries.map((e) => e.frame.bytes.toString("hex"))).toEqual(
      [0, 1, 2, 4].map((i) => entries[i]!.frame.bytes.toString("hex")));
    expect(parsed.entries.map((e) => e.timeUs)).toEqual([0, 1, 2, 4].map((i) => entries[i]!.timeUs));
    expect(parsed.counters.crcErrors).toBe(1);
    expect(parsed.counters.garbageBytes).toBe(junk.length + corrupted.length);
    expect(parsed.counters.truncated).toBe(1);
  });

  it("handles an empty file", () => {
    expect(parseTlog(Buffer.alloc(0))).toEqual({
      entries: [], counters: { frames: 0, garbageBytes: 0, crcErrors: 0, unknownMessages: 0, truncated: 0 },
    });
  });
});
