import { describe, expect, it } from "vitest";
import { MavLinkProtocolV1, MavLinkProtocolV2, MavLinkPacketSignature, common, minimal } from "node-mavlink";
import { DECISION_WINDOW, MavlinkFramer } from "./framer";
import { heartbeats } from "../../test/support/mavlink/links";
import { chunked, flightEntries, fixturePath, seededRandom, wireBytes } from "../../test/support/mavlink/fixtures";
import { readFileSync } from "node:fs";
import type { Frame } from "./types";

function frameAll(chunks: readonly Buffer[]): { frames: Frame[]; framer: MavlinkFramer } {
  const frames: Frame[] = [];
  const framer = new MavlinkFramer((f) => frames.push(f));
  for (const chunk of chunks) framer.push(chunk);
  return { frames, framer };
}

const hex = (frames: readonly Frame[]): string[] => frames.map((f) => f.bytes.toString("hex"));

describe("MavlinkFramer on the real flight", () => {
  const entries = flightEntries();
  const wire = wireBytes(entries);
  const expected = entries.map((e) => e.frame.bytes.toString("hex"));

  it("frames all 21,259 packets with no error", () => {
    const { frames, framer } = frameAll([wire]);
    expect(framer.counters).toEqual({ frames: 21259, garbageBytes: 0, crcErrors: 0, unknownMessages: 0 });
    expect(hex(frames)).toEqual(expected);
    expect(framer.pendingBytes).toBe(0);
    const first = frames[0]!;
    expect(first).toMatchObject({ version: 2, sysid: 1, compid: 1, signed: false });
    expect(first.payload.length).toBe(first.bytes.length - 12);
  });

  it.each([
    [1, 1, 1], [2, 1, 7], [3, 1, 300], [4, 250, 600], [5, 1, 5000], [6, 4000, 70000],
  ])("gives identical frames in random chunks (seed %i, %i..%i bytes)", (seed, min, max) => {
    const { frames, framer } = frameAll(chunked(wire, seededRandom(seed), min, max));
    expect(framer.counters).toEqual({ frames: 21259, garbageBytes: 0, crcErrors: 0, unknownMessages: 0 });
    expect(hex(frames)).toEqual(expected);
  });

  it("recovers every packet from the raw tlog, timestamps counted as garbage", () => {
    const raw = readFileSync(fixturePath("copter_flight_1.tlog"));
    const { frames, framer } = frameAll(chunked(raw, seededRandom(9), 1, 2000));
    expect(hex(frames)).toEqual(expected);
    expect(framer.counters.frames).toBe(21259);
    // Timestamp bytes are garbage, except stray start bytes among them, which count as bad or unknown frames.
    const c = framer.counters;
    expect(c.garbageBytes + c.crcErrors + c.unknownMessages).toBeGreaterThan(0);
    expect(c.garbageBytes + c.crcErrors).toBeLessThanOrEqual(8 * 21259);
  });

  it("counts injected garbage and corrupted frames, and still frames every other packet", () => {
    const random = seededRandom(42);
    const parts: Buffer[] = [];
    const survivors: string[] = [];
    let injected = 0;
    let corrupted = 0;
    entries.forEach((e, i) => {
      if (i % 50 === 7) {
        // Garbage without start bytes, so the count is exact.
        const junk = Buffer.from(Array.from({ length: 1 + (i % 13) }, () => Math.floor(random() * 0xfc)));
        injected += junk.length;
        parts.push(junk);
      }
      if (i % 97 === 3) {
        const bad = Buffer.from(e.frame.bytes);
        bad[bad.length - 3]! ^= 0x55; // a payload byte: the checksum no longer matches
        corrupted++;
        parts.push(bad);
        return;
      }
      parts.push(e.frame.bytes);
      survivors.push(e.frame.bytes.toString("hex"));
    });
    const { frames, framer } = frameAll(chunked(Buffer.concat(parts), random, 1, 700));
    expect(hex(frames)).toEqual(survivors);
    // Each corrupted frame fails its checksum; a start byte inside its body may fail as a frame of its own.
    expect(framer.counters.crcErrors).toBeGreaterThanOrEqual(corrupted);
    expect(framer.counters.crcErrors).toBeLessThan(corrupted * 2);
    // The injected bytes, plus the bodies of the corrupted frames after their start byte.
    expect(framer.counters.garbageBytes).toBeGreaterThanOrEqual(injected);
    expect(framer.counters.frames).toBe(survivors.length);
  });

  it("never loses a good frame behind a stray start byte", () => {
    const good = entries[100]!.frame.bytes;
    // 0xFD with a length reaching over the good frame, then the good frame.
    const stray = Buffer.from([0xfd, 0x40, 0x00, 0x00, 0x01]);
    const { frames, framer } = frameAll([Buffer.concat([stray, good, good])]);
    expect(hex(frames)).toEqual([good.toString("hex"), good.toString("hex")]);
    expect(framer.counters.frames).toBe(2);
  });

  it.each([
    // A v1 "frame" of an unknown msgid (3) 18 bytes long: it reaches into the first good frame.
    ["a v1 unknown message", Buffer.from([0xfe, 10, 0, 1, 1, 3])],
    ["a v2 start byte", Buffer.from([0xfd, 0x40, 0x00, 0x00, 0x01])],
  ])("never loses a good frame behind %s, however the stream is cut", (_name, stray) => {
    const [hb1, hb2] = heartbeats(1, 2);
    const good = [hb1!, hb2!, entries[100]!.frame.bytes];
    const stream = Buffer.concat([stray, ...good]);
    const want = good.map((g) => g.toString("hex"));
    const cuts: number[][] = [];
    for (let cut = 1; cut < stream.length; cut++) cuts.push([cut]);
    // And every pair of cuts, so a remainder is joined with a chunk more than once.
    for (let a = 1; a < stream.length; a++) for (let b = a + 1; b < stream.length; b++) cuts.push([a, b]);
    for (const at of cuts) {
      const bounds = [0, ...at, stream.length];
      const chunks = bounds.slice(1).map((end, k) => Buffer.from(stream.subarray(bounds[k], end)));
      const { frames, framer } = frameAll(chunks);
      expect({ at, frames: hex(frames) }).toEqual({ at, frames: want });
      expect(framer.pendingBytes).toBe(0);
    }
    // Byte by byte too.
    expect(hex(frameAll([...stream].map((b) => Buffer.from([b]))).frames)).toEqual(want);
  });

  describe("a stray unknown message reaching over a start byte whose frame ends past the window", () => {
    // A v2 "frame" of 267 bytes with an unknown msgid; zeros (no start byte); near its end a start byte whose
    // frame ends beyond it; then good frames. The chunk after any cut is larger than the framer's window.
    const header = [0xfd, 255, 0, 0, 0, 1, 1, 0xef, 0xcd, 0xab];
    const good = entries.slice(100, 160).map((e) => e.frame.bytes);
    const cases: Array<[string, Buffer, string[]]> = [];
    {
      const stray = Buffer.alloc(260);
      Buffer.from(header).copy(stray);
      const inner = good.findIndex((g) => g.length > 40);
      cases.push(["a good frame", Buffer.concat([stray, ...good.slice(inner)]), good.slice(inner).map((g) => g.toString("hex"))]);
    }
    {
      // A v1 header claiming 100 bytes at 260: it fails its checksum, so the unknown message is skipped whole.
      const stray = Buffer.alloc(267);
      Buffer.from(header).copy(stray);
      Buffer.from([0xfe, 100, 0, 1, 1, 0]).copy(stray, 260);
      cases.push(["a bad frame", Buffer.concat([stray, ...good]), good.map((g) => g.toString("hex"))]);
    }
    it.each(cases)("frames the same however it is cut (%s)", (_name, stream, want) => {
      expect(stream.length).toBeGreaterThan(267 + 2 * DECISION_WINDOW);
      const whole = frameAll([stream]);
      expect(hex(whole.frames)).toEqual(want);
      for (let cut = 1; cut < 330; cut++) {
        const { frames, framer } = frameAll([stream.subarray(0, cut), stream.subarray(cut)]);
        expect({ cut, frames: hex(frames), counters: framer.counters })
          .toEqual({ cut, frames: want, counters: whole.framer.counters });
      }
    });
  });

  it("skips a frame of a message outside the dialect by its length", () => {
    const unknown = Buffer.from(entries[0]!.frame.bytes);
    unknown.writeUIntLE(0xabcdef, 7, 3); // msgid nobody defines
    const good = entries[1]!.frame.bytes;
    const { frames, framer } = frameAll([Buffer.concat([unknown, good])]);
    expect(framer.counters).toMatchObject({ frames: 1, unknownMessages: 1, crcErrors: 0, garbageBytes: 0 });
    expect(hex(frames)).toEqual([good.toString("hex")]);
  });

  it("hands out views that stay valid: it never writes into a buffer", () => {
    const chunks = chunked(wire, seededRandom(3), 1, 90);
    const copies = chunks.map((c) => Buffer.from(c));
    const { frames } = frameAll(chunks);
    chunks.forEach((c, i) => expect(c.equals(copies[i]!)).toBe(true));
    expect(hex(frames)).toEqual(expected);
  });
});

describe("MavlinkFramer with other frame kinds", () => {
  it("frames MAVLink 1", () => {
    const hb = new minimal.Heartbeat();
    hb.type = 2;
    hb.autopilot = 3;
    hb.customMode = 4;
    hb.mavlinkVersion = 3;
    const bytes = new MavLinkProtocolV1(7, 1).serialize(hb, 42);
    const { frames, framer } = frameAll([Buffer.from(bytes)]);
    expect(framer.counters.crcErrors).toBe(0);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ version: 1, seq: 42, sysid: 7, compid: 1, msgid: 0, signed: false });
    expect(frames[0]!.payload.length).toBe(9);
  });

  it("frames a signed MAVLink 2 packet with its signature", () => {
    const protocol = new MavLinkProtocolV2(1, 1, MavLinkProtocolV2.IFLAG_SIGNED);
    const msg = new common.CommandAck();
    msg.command = 400;
    msg.result = 0;
    const key = MavLinkPacketSignature.key("secret");
    const signed = protocol.sign(protocol.serialize(msg, 5), 1, key, Date.UTC(2026, 0, 1));
    const after = new MavLinkProtocolV2(1, 1).serialize(msg, 6);
    const { frames, framer } = frameAll([Buffer.concat([signed.subarray(0, 20)]), Buffer.concat([signed.subarray(20), after])]);
    expect(framer.counters).toMatchObject({ frames: 2, crcErrors: 0, garbageBytes: 0 });
    expect(frames[0]).toMatchObject({ version: 2, signed: true, seq: 5, msgid: 77 });
    expect(frames[0]!.bytes.equals(signed)).toBe(true);
    expect(frames[0]!.bytes.length).toBe(12 + frames[0]!.payload.length + 13);
    expect(frames[1]).toMatchObject({ signed: false, seq: 6 });
  });
});
