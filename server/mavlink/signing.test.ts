import { createHash } from "node:crypto";
import { MavLinkPacketSignature, MavLinkProtocolV1, MavLinkProtocolV2, minimal } from "node-mavlink";
import { describe, expect, it } from "vitest";
import { mavlinkCrc } from "./crc";
import { MavlinkFramer } from "./framer";
import { RawDecoder, RawEncoder } from "./raw";
import { REGISTRY } from "./registry";
import {
  MavlinkSigner, SignatureVerifier, disableSigningMessage, setupSigningMessage, signingKey, signingTimestamp,
} from "./signing";
import { chunked, flightEntries, seededRandom } from "../../test/support/mavlink/fixtures";
import type { VerifierOptions } from "./signing";
import type { Frame } from "./types";

const KEY = signingKey("police-drone-unit-7");
const OTHER_KEY = signingKey("someone else");
/** A fixed "now": 2025-06-01T12:00:00Z. */
const NOW = Date.UTC(2025, 5, 1, 12);
const fixed = (ms: number) => () => ms;

function frames(bytes: Buffer): Frame[] {
  const out: Frame[] = [];
  const framer = new MavlinkFramer((f) => out.push(f));
  framer.push(bytes);
  expect(framer.counters.crcErrors).toBe(0);
  expect(framer.pendingBytes).toBe(0);
  return out;
}

function oneFrame(bytes: Buffer): Frame {
  const all = frames(bytes);
  expect(all).toHaveLength(1);
  return all[0]!;
}

function heartbeat(): minimal.Heartbeat {
  const msg = new minimal.Heartbeat();
  msg.type = 2;
  msg.autopilot = 3;
  msg.customMode = 4;
  msg.mavlinkVersion = 3;
  return msg;
}

/** An unsigned MAVLink 2 packet from a vehicle. */
function vehiclePacket(sysid = 1, compid = 1, seq = 0): Buffer {
  return new MavLinkProtocolV2(sysid, compid).serialize(heartbeat(), seq);
}

function verifier(over: Partial<VerifierOptions> = {}): SignatureVerifier {
  return new SignatureVerifier({
    keys: (sysid) => (sysid === 1 ? KEY : null),
    requireSigned: (sysid) => sysid === 1,
    clock: fixed(NOW),
    ...over,
  });
}

describe("signingKey", () => {
  it("hashes a passphrase as Mission Planner / node-mavlink do, takes 64 hex digits as the key itself", () => {
    expect(signingKey("secret")).toEqual(MavLinkPacketSignature.key("secret"));
    const hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
    expect(signingKey(hex).toString("hex")).toBe(hex.toLowerCase());
    expect(signingKey(Buffer.alloc(32, 7))).toEqual(Buffer.alloc(32, 7));
    expect(signingKey(hex.slice(1)).length).toBe(32);
  });

  it("refuses an empty passphrase and a Buffer that is not 32 bytes", () => {
    expect(() => signingKey("")).toThrow(/empty/);
    expect(() => signingKey(Buffer.alloc(31))).toThrow(/32 bytes/);
  });
});

describe("MavlinkSigner", () => {
  it("signs so node-mavlink verifies it, with the flag set and the checksum recomputed", () => {
    const unsigned = vehiclePacket(255, 190, 9);
    const signed = new MavlinkSigner({ key: KEY, linkId: 3, clock: fixed(NOW) }).sign(unsigned);
    expect(signed.length).toBe(unsigned.length + 13);
    expect(signed[2]! & 0x01).toBe(1);
    expect(unsigned[2]).toBe(0); // the input is not modified
    const sig = new MavLinkPacketSignature(signed);
    expect(sig.matches(KEY)).toBe(true);
    expect(sig.matches(OTHER_KEY)).toBe(false);
    expect(sig.linkId).toBe(3);
    expect(sig.timestamp).toBe((NOW - Date.UTC(2015, 0, 1)) * 100);
    const f = oneFrame(signed);
    expect(f).toMatchObject({ version: 2, signed: true, sysid: 255, compid: 190, seq: 9, msgid: 0 });
  });

  it("gives the same bytes as node-mavlink's sign() on a packet serialized with the signed flag", () => {
    // node-mavlink's sign() only appends: the flag (and so the checksum) must already be in the packet, which
    // its sendSigned() gets by serializing with IFLAG_SIGNED. Ours sets both itself.
    const theirs = new MavLinkProtocolV2(255, 190, MavLinkProtocolV2.IFLAG_SIGNED);
    const expected = theirs.sign(theirs.serialize(heartbeat(), 5), 2, KEY, NOW);
    const ours = new MavlinkSigner({ key: KEY, linkId: 2, clock: fixed(NOW) }).sign(vehiclePacket(255, 190, 5));
    expect(ours.toString("hex")).toBe(expected.toString("hex"));
  });

  it("keeps timestamps strictly increasing with a frozen or backwards clock", () => {
    let now = NOW;
    const signer = new MavlinkSigner({ key: KEY, linkId: 0, clock: () => now });
    const ts = (b: Buffer) => new MavLinkPacketSignature(b).timestamp;
    const stamps = [0, 1, 2, 3].map(() => ts(signer.sign(vehiclePacket())));
    expect(stamps).toEqual([0, 1, 2, 3].map((i) => signingTimestamp(NOW) + i));
    now -= 5_000;
    expect(ts(signer.sign(vehiclePacket()))).toBe(signingTimestamp(NOW) + 4);
    now = NOW + 1_000;
    expect(ts(signer.sign(vehiclePacket()))).toBe(signingTimestamp(NOW + 1_000));
    expect(signer.lastTimestamp).toBe(signingTimestamp(NOW + 1_000));
  });

  it("continues after a persisted timestamp even if the clock is behind it", () => {
    const last = signingTimestamp(NOW + 60_000);
    const signer = new MavlinkSigner({ key: KEY, linkId: 0, clock: fixed(NOW), lastTimestamp: last });
    expect(new MavLinkPacketSignature(signer.sign(vehiclePacket())).timestamp).toBe(last + 1);
  });

  it("refuses MAVLink 1, already signed packets, partial packets and bad options", () => {
    const signer = new MavlinkSigner({ key: KEY, linkId: 0, clock: fixed(NOW) });
    const v1 = new MavLinkProtocolV1(1, 1).serialize(heartbeat(), 0);
    expect(() => signer.sign(v1)).toThrow(/MAVLink 1 cannot be signed/);
    expect(() => signer.sign(signer.sign(vehiclePacket()))).toThrow(/already signed/);
    expect(() => signer.sign(vehiclePacket().subarray(0, 15))).toThrow(/expected one MAVLink 2 packet/);
    expect(() => signer.sign(Buffer.concat([vehiclePacket(), vehiclePacket()]))).toThrow(/expected one/);
    expect(() => new MavlinkSigner({ key: Buffer.alloc(16), linkId: 0 })).toThrow(/32 bytes/);
    expect(() => new MavlinkSigner({ key: KEY, linkId: 256 })).toThrow(/link id/);
  });
});

describe("SignatureVerifier", () => {
  const signed = (clockMs = NOW, linkId = 0, sysid = 1, compid = 1) =>
    new MavlinkSigner({ key: KEY, linkId, clock: fixed(clockMs) }).sign(vehiclePacket(sysid, compid));

  it("accepts a packet signed by node-mavlink", () => {
    const theirs = new MavLinkProtocolV2(1, 1, MavLinkProtocolV2.IFLAG_SIGNED);
    const bytes = theirs.sign(theirs.serialize(heartbeat(), 0), 1, KEY, NOW - 1_000);
    expect(verifier().check(oneFrame(bytes))).toBe("ok");
  });

  it("refuses a payload byte changed in flight, checksum fixed up so the framer passes it", () => {
    const bytes = Buffer.from(signed());
    bytes[10] = bytes[10]! ^ 0x01; // custom_mode, first payload byte
    const plen = bytes[1]!;
    bytes.writeUInt16LE(mavlinkCrc(bytes, 1, 10 + plen, REGISTRY.crcExtra[0]!), 10 + plen);
    const v = verifier();
    expect(v.check(oneFrame(bytes))).toBe("bad_signature");
    expect(v.streamCount).toBe(0); // a forged frame moves no stream
  });

  it("refuses a frame signed with another key, and one whose timestamp was changed", () => {
    const other = new MavlinkSigner({ key: OTHER_KEY, linkId: 0, clock: fixed(NOW) }).sign(vehiclePacket());
    expect(verifier().check(oneFrame(other))).toBe("bad_signature");
    const moved = Buffer.from(signed());
    moved.writeUIntLE(signingTimestamp(NOW + 10_000), moved.length - 12, 6);
    expect(verifier().check(oneFrame(moved))).toBe("bad_signature");
  });

  it("refuses a replay of the same packet and an older timestamp on the same stream", () => {
    const v = verifier();
    const first = signed(NOW - 2_000);
    expect(v.check(oneFrame(first))).toBe("ok");
    expect(v.check(oneFrame(first))).toBe("replayed");
    expect(v.check(oneFrame(signed(NOW - 3_000)))).toBe("replayed");
    expect(v.check(oneFrame(signed(NOW - 1_000)))).toBe("ok");
    // Another link id or component is another stream, with its own timestamps (the spec's tuple).
    expect(v.check(oneFrame(signed(NOW - 3_000, 1)))).toBe("ok");
    expect(v.check(oneFrame(signed(NOW - 3_000, 0, 1, 2)))).toBe("ok");
    expect(v.streamCount).toBe(3);
  });

  it("refuses a new stream whose first timestamp is more than a minute behind local time", () => {
    const v = verifier();
    expect(v.check(oneFrame(signed(NOW - 120_000)))).toBe("stale");
    expect(v.streamCount).toBe(0);
    expect(v.check(oneFrame(signed(NOW - 59_000)))).toBe("ok");
    // Once the stream is known only ordering counts (the vehicle's clock may lag ours).
    expect(v.check(oneFrame(signed(NOW - 58_000)))).toBe("ok");
    expect(verifier({ maxAgeMs: 200_000 }).check(oneFrame(signed(NOW - 120_000)))).toBe("ok");
  });

  it("refuses unsigned frames from a vehicle that requires signing, accepts them from others", () => {
    const v = verifier();
    expect(v.check(oneFrame(vehiclePacket(1)))).toBe("unsigned");
    expect(v.check(oneFrame(new MavLinkProtocolV1(1, 1).serialize(heartbeat(), 0)))).toBe("unsigned");
    expect(v.check(oneFrame(vehiclePacket(2)))).toBe("ok");
  });

  it("says no_key for a signed frame from a vehicle we hold no key for", () => {
    const bytes = new MavlinkSigner({ key: KEY, linkId: 0, clock: fixed(NOW) }).sign(vehiclePacket(2));
    expect(verifier().check(oneFrame(bytes))).toBe("no_key");
    expect(verifier({ keys: () => Buffer.alloc(8) }).check(oneFrame(bytes))).toBe("no_key");
  });

  it("counts every result", () => {
    const v = verifier();
    const p = signed();
    v.check(oneFrame(p));
    v.check(oneFrame(p));
    v.check(oneFrame(vehiclePacket(1)));
    v.check(oneFrame(vehiclePacket(2)));
    v.check(oneFrame(signed(NOW - 120_000, 5)));
    const c = v.counters();
    expect(c).toEqual({ ok: 2, unsigned: 1, bad_signature: 0, replayed: 1, no_key: 0, stale: 1 });
    c.ok = 99;
    expect(v.counters().ok).toBe(2); // a copy
  });

  it("remembers at most maxStreams streams, forgetting the least recently accepted", () => {
    const v = verifier({ maxStreams: 3 });
    for (const link of [0, 1, 2]) expect(v.check(oneFrame(signed(NOW - 10_000, link)))).toBe("ok");
    expect(v.check(oneFrame(signed(NOW - 9_000, 0)))).toBe("ok"); // link 0 is now the most recent
    expect(v.check(oneFrame(signed(NOW - 9_000, 3)))).toBe("ok"); // evicts link 1
    expect(v.streamCount).toBe(3);
    // Link 0 is still remembered (its old timestamp is a replay); link 1 was forgotten, so it is new again.
    expect(v.check(oneFrame(signed(NOW - 10_000, 0)))).toBe("replayed");
    expect(v.check(oneFrame(signed(NOW - 10_000, 1)))).toBe("ok");
    expect(v.streamCount).toBe(3);
  });
});

describe("signing over the real framer", () => {
  it("signs a recorded flight, frames it from random chunks and verifies every frame", () => {
    const entries = flightEntries().slice(0, 3000);
    let now = NOW;
    const signer = new MavlinkSigner({ key: KEY, linkId: 0, clock: () => now });
    const signedBytes = Buffer.concat(entries.map((e, i) => {
      if (i % 2 === 0) now += 1; // two packets per millisecond: every other one finds the clock unmoved
      return signer.sign(Buffer.from(e.frame.bytes));
    }));
    const v = verifier({ keys: () => KEY, requireSigned: () => true, clock: () => now });
    const results: string[] = [];
    const decoded: number[] = [];
    const framer = new MavlinkFramer((f) => {
      results.push(v.check(f));
      decoded.push(f.msgid);
    });
    for (const chunk of chunked(signedBytes, seededRandom(7), 1, 300)) framer.push(chunk);
    expect(framer.counters).toMatchObject({ frames: entries.length, crcErrors: 0, garbageBytes: 0 });
    expect(decoded).toEqual(entries.map((e) => e.frame.msgid));
    expect(v.counters().ok).toBe(entries.length);
    // The same bytes again: every frame is a replay.
    const again = new MavlinkFramer((f) => results.push(v.check(f)));
    again.push(signedBytes);
    expect(v.counters()).toMatchObject({ ok: entries.length, replayed: entries.length });
  });
});

describe("setupSigningMessage", () => {
  it("encodes SETUP_SIGNING (256) with the key and initial timestamp", () => {
    const ts = signingTimestamp(NOW);
    const msg = setupSigningMessage({ sysid: 1, compid: 1 }, KEY, ts);
    const bytes = new RawEncoder({ sysid: 255, compid: 190 }).encode(msg.name, msg.fields);
    const f = oneFrame(bytes);
    expect(f.msgid).toBe(256);
    const raw = new RawDecoder().decode(f);
    expect(raw.name).toBe("SETUP_SIGNING");
    expect(raw.fields).toMatchObject({ target_system: 1, target_component: 1, initial_timestamp: ts });
    expect(Buffer.from(raw.fields.secret_key as number[])).toEqual(KEY);
  });

  it("can itself be signed (re-keying a vehicle that already requires signing)", () => {
    const msg = setupSigningMessage({ sysid: 1, compid: 1 }, OTHER_KEY, signingTimestamp(NOW));
    const bytes = new RawEncoder({ sysid: 255, compid: 190 }).encode(msg.name, msg.fields);
    const signed = new MavlinkSigner({ key: KEY, linkId: 0, clock: fixed(NOW) }).sign(bytes);
    expect(verifier({ keys: () => KEY }).check(oneFrame(signed))).toBe("ok");
  });

  it("refuses an all-zero key and bad timestamps; disabling is explicit", () => {
    const target = { sysid: 1, compid: 1 };
    expect(() => setupSigningMessage(target, Buffer.alloc(32), 1)).toThrow(/all-zero/);
    expect(() => setupSigningMessage(target, Buffer.alloc(31, 1), 1)).toThrow(/32 bytes/);
    expect(() => setupSigningMessage(target, KEY, -1)).toThrow(/48-bit/);
    expect(() => setupSigningMessage(target, KEY, 2 ** 48)).toThrow(/48-bit/);
    expect(() => setupSigningMessage(target, KEY, 1.5)).toThrow(/48-bit/);
    expect(disableSigningMessage(target).fields).toMatchObject({ initial_timestamp: 0, secret_key: new Array(32).fill(0) });
  });
});

describe("signature arithmetic", () => {
  it("is SHA-256 of key + frame up to the signature, first 6 bytes", () => {
    const bytes = new MavlinkSigner({ key: KEY, linkId: 0, clock: fixed(NOW) }).sign(vehiclePacket());
    const expected = createHash("sha256").update(KEY).update(bytes.subarray(0, bytes.length - 6)).digest();
    expect(bytes.subarray(bytes.length - 6)).toEqual(expected.subarray(0, 6));
    expect(signingTimestamp(Date.UTC(2015, 0, 1))).toBe(0);
    expect(signingTimestamp(Date.UTC(2015, 0, 1) + 1)).toBe(100);
    expect(signingTimestamp(0)).toBe(0);
  });
});
