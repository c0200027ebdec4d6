/**
 * MAVLink 2 message signing (https://mavlink.io/en/guide/message_signing.html): keys, signing outgoing packets,
 * and checking incoming frames against a replay policy. node-mavlink only computes signatures
 * (MavLinkPacketSignature); it has no notion of streams or timestamps, so the policy is ours.
 *
 * A signed frame ends with 13 bytes: link id (1), timestamp (6, little-endian, 10 µs units since
 * 2015-01-01 00:00:00 UTC) and signature (6) = the first 6 bytes of
 * SHA-256(key(32) + header + payload + CRC + link id + timestamp).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { mavlinkCrc } from "./crc";
import { STX_V2 } from "./framer";
import type { RawFields } from "./raw";
import { REGISTRY } from "./registry";
import type { Frame, TargetIds } from "./types";

const IFLAG_SIGNED = 0x01;
const HEADER_LENGTH = 10;
const CHECKSUM_LENGTH = 2;
/** link id (1) + timestamp (6) + signature (6). */
export const SIGNATURE_BLOCK_LENGTH = 13;
const SIGNATURE_LENGTH = 6;
const KEY_LENGTH = 32;
/** 2015-01-01T00:00:00Z in ms since the Unix epoch: the MAVLink signing epoch. */
const SIGNING_EPOCH_MS = Date.UTC(2015, 0, 1);
/** Timestamp units (10 µs) per millisecond. */
const UNITS_PER_MS = 100;
const MAX_TIMESTAMP = 2 ** 48 - 1;
/** The spec's window for the first timestamp of a new stream: one minute. */
const DEFAULT_MAX_AGE_MS = 60_000;
const DEFAULT_MAX_STREAMS = 1024;

/** A signing timestamp (10 µs units since 2015-01-01 UTC) from ms since the Unix epoch; 0 before 2015. */
export function signingTimestamp(ms: number): number {
  return Math.max(0, Math.floor((ms - SIGNING_EPOCH_MS) * UNITS_PER_MS));
}

/**
 * The 32-byte signing key. A string of exactly 64 hex digits is the key itself (so a key can be written down
 * exactly); any other string is a passphrase and the key is its SHA-256, as Mission Planner and node-mavlink's
 * MavLinkPacketSignature.key derive it. A Buffer must already be a 32-byte key: hashing a key file of the
 * wrong length would silently give a key no vehicle has.
 */
export function signingKey(secret: string | Buffer): Buffer {
  if (Buffer.isBuffer(secret)) {
    if (secret.length !== KEY_LENGTH) throw new Error(`a MAVLink signing key is ${KEY_LENGTH} bytes, got ${secret.length}`);
    return Buffer.from(secret);
  }
  if (secret.length === 0) throw new Error("empty MAVLink signing passphrase");
  if (/^[0-9a-fA-F]{64}$/.test(secret)) return Buffer.from(secret, "hex");
  return createHash("sha256").update(secret, "utf8").digest();
}

/** The 6 signature bytes of a frame whose bytes up to (not including) the signature are `signed`. */
function signatureOf(key: Buffer, signed: Buffer): Buffer {
  return createHash("sha256").update(key).update(signed).digest().subarray(0, SIGNATURE_LENGTH);
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_LENGTH) throw new Error(`a MAVLink signing key is ${KEY_LENGTH} bytes, got ${key.length}`);
}

export interface SignerOptions {
  key: Buffer;
  /** 0..255; the vehicle keeps one timestamp stream per (our sysid, compid, link id). */
  linkId: number;
  /** ms since the Unix epoch; Date.now by default. */
  clock?: () => number;
  /**
   * The last timestamp this sender used (e.g. persisted across a restart), so a clock that went backwards
   * cannot make us reuse timestamps the vehicle has already seen.
   */
  lastTimestamp?: number;
}

/**
 * Signs outgoing MAVLink 2 packets for one link. Timestamps strictly increase per signer: the clock's value, or
 * the previous timestamp + 1 when the clock has not moved (or went backwards) — a receiver drops a repeated one.
 * Use one signer per (sysid, compid, link id) we send from.
 */
export class MavlinkSigner {
  private readonly key: Buffer;
  private readonly linkId: number;
  private readonly clock: () => number;
  private last: number;

  constructor(opts: SignerOptions) {
    checkKey(opts.key);
    if (!Number.isInteger(opts.linkId) || opts.linkId < 0 || opts.linkId > 255) {
      throw new Error(`MAVLink signing link id must be 0..255, got ${opts.linkId}`);
    }
    this.key = Buffer.from(opts.key);
    this.linkId = opts.linkId;
    this.clock = opts.clock ?? Date.now;
    this.last = opts.lastTimestamp ?? -1;
  }

  /** The timestamp of the last signed packet (-1 before the first): persist it to survive clock trouble. */
  get lastTimestamp(): number {
    return this.last;
  }

  /**
   * A signed copy of one unsigned MAVLink 2 packet (the packet is not modified). Sets the "signed"
   * incompatibility flag, and so recomputes the checksum, which covers the header flags; then appends link id,
   * timestamp and signature. Throws on MAVLink 1, an already signed packet, or anything but exactly one packet.
   */
  sign(unsignedV2Packet: Buffer): Buffer {
    const packet = unsignedV2Packet;
    if (packet[0] !== STX_V2) {
      throw new Error("MAVLink signing needs a MAVLink 2 packet (start byte 0xFD); MAVLink 1 cannot be signed");
    }
    if (packet.length < HEADER_LENGTH + CHECKSUM_LENGTH) throw new Error("truncated MAVLink 2 packet");
    const plen = packet[1]!;
    const incompat = packet[2]!;
    const unsignedLength = HEADER_LENGTH + plen + CHECKSUM_LENGTH;
    if (incompat & IFLAG_SIGNED && packet.length === unsignedLength + SIGNATURE_BLOCK_LENGTH) {
      throw new Error("MAVLink packet is already signed");
    }
    if (packet.length !== unsignedLength) {
      throw new Error(`expected one MAVLink 2 packet of ${unsignedLength} bytes, got ${packet.length}`);
    }
    if ((incompat & ~IFLAG_SIGNED) !== 0) throw new Error(`unknown MAVLink incompatibility flags 0x${incompat.toString(16)}`);
    const msgid = packet[7]! | (packet[8]! << 8) | (packet[9]! << 16);
    const crcExtra = REGISTRY.crcExtra[msgid] ?? -1;
    if (crcExtra < 0) throw new Error(`cannot sign unknown message id ${msgid}: its checksum cannot be recomputed`);

    const out = Buffer.allocUnsafe(unsignedLength + SIGNATURE_BLOCK_LENGTH);
    packet.copy(out, 0);
    out[2] = incompat | IFLAG_SIGNED;
    const crcAt = HEADER_LENGTH + plen;
    out.writeUInt16LE(mavlinkCrc(out, 1, crcAt, crcExtra), crcAt);
    out[unsignedLength] = this.linkId;
    out.writeUIntLE(this.nextTimestamp(), unsignedLength + 1, 6);
    const sigAt = unsignedLength + 7;
    signatureOf(this.key, out.subarray(0, sigAt)).copy(out, sigAt);
    return out;
  }

  private nextTimestamp(): number {
    const next = Math.max(signingTimestamp(this.clock()), this.last + 1);
    // 2^48 units of 10 µs is ~89 years from 2015: only a broken clock or persisted value gets here.
    if (next > MAX_TIMESTAMP) throw new Error("MAVLink signing timestamp overflow");
    this.last = next;
    return next;
  }
}

export type SignatureCheck = "ok" | "unsigned" | "bad_signature" | "replayed" | "no_key" | "stale";
export type SignatureCounters = Record<SignatureCheck, number>;

export interface VerifierOptions {
  /** The key of a vehicle (sysid), or null when we hold none. */
  keys: (sysid: number) => Buffer | null;
  /** ms since the Unix epoch; Date.now by default. */
  clock?: () => number;
  /** Whether unsigned frames from this sysid must be refused. */
  requireSigned: (sysid: number) => boolean;
  /** How far behind local time the first timestamp of a new stream may be; 60 s (the spec's) by default. */
  maxAgeMs?: number;
  /** Streams remembered; the least recently accepted is forgotten beyond this. 1024 by default. */
  maxStreams?: number;
}

function emptySignatureCounters(): SignatureCounters {
  return { ok: 0, unsigned: 0, bad_signature: 0, replayed: 0, no_key: 0, stale: 0 };
}

/**
 * Checks incoming frames (already checksummed by the framer) against signatures and the spec's replay policy:
 * per stream (sysid, compid, link id) the timestamp must strictly increase; the first timestamp of a stream we
 * do not know must be no more than maxAgeMs behind local time. Only a frame with a good signature updates a
 * stream, so forged frames cannot move a stream's timestamp. Synchronous and never throws: the framer's
 * onFrame path may call it.
 *
 * Results: "ok" (good signature and timestamp, or unsigned from a sysid that does not require signing),
 * "unsigned" (unsigned from a sysid that requires signing), "no_key" (signed, but we hold no key for that
 * sysid: the caller decides whether that is acceptable), "bad_signature", "replayed", "stale".
 */
export class SignatureVerifier {
  private readonly keys: (sysid: number) => Buffer | null;
  private readonly clock: () => number;
  private readonly requireSigned: (sysid: number) => boolean;
  private readonly maxAgeUnits: number;
  private readonly maxStreams: number;
  /** (sysid << 16 | compid << 8 | linkId) -> last accepted timestamp; Map order = least recently accepted first. */
  private readonly streams = new Map<number, number>();
  private readonly counts = emptySignatureCounters();

  constructor(opts: VerifierOptions) {
    this.keys = opts.keys;
    this.clock = opts.clock ?? Date.now;
    this.requireSigned = opts.requireSigned;
    this.maxAgeUnits = (opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS) * UNITS_PER_MS;
    this.maxStreams = Math.max(1, opts.maxStreams ?? DEFAULT_MAX_STREAMS);
  }

  check(frame: Frame): SignatureCheck {
    const result = this.decide(frame);
    this.counts[result]++;
    return result;
  }

  /** Totals by result since construction (a copy). */
  counters(): SignatureCounters {
    return { ...this.counts };
  }

  /** Streams currently remembered (bounded by maxStreams). */
  get streamCount(): number {
    return this.streams.size;
  }

  private decide(frame: Frame): SignatureCheck {
    if (!frame.signed) return this.requireSigned(frame.sysid) ? "unsigned" : "ok";
    const key = this.keys(frame.sysid);
    // A key of the wrong length is a configuration mistake; treated as no key rather than thrown on the hot path.
    if (key === null || key.length !== KEY_LENGTH) return "no_key";
    const bytes = frame.bytes;
    const end = bytes.length;
    if (end < HEADER_LENGTH + CHECKSUM_LENGTH + SIGNATURE_BLOCK_LENGTH) return "bad_signature";
    const sigAt = end - SIGNATURE_LENGTH;
    // Constant time, so response timing tells an attacker nothing about how much of a guess was right.
    if (!timingSafeEqual(signatureOf(key, bytes.subarray(0, sigAt)), bytes.subarray(sigAt))) return "bad_signature";

    const linkAt = end - SIGNATURE_BLOCK_LENGTH;
    const linkId = bytes[linkAt]!;
    const timestamp = bytes.readUIntLE(linkAt + 1, 6);
    const streamKey = (frame.sysid << 16) | (frame.compid << 8) | linkId;
    const last = this.streams.get(streamKey);
    if (last !== undefined) {
      if (timestamp <= last) return "replayed";
      // Re-inserted below so the Map stays ordered by last acceptance (eviction takes the least recent).
      this.streams.delete(streamKey);
    } else {
      if (timestamp + this.maxAgeUnits < signingTimestamp(this.clock())) return "stale";
      if (this.streams.size >= this.maxStreams) {
        const oldest = this.streams.keys().next();
        if (!oldest.done) this.streams.delete(oldest.value);
      }
    }
    this.streams.set(streamKey, timestamp);
    return "ok";
  }
}

/** A message for RawEncoder.encode(name, fields). */
export interface RawOutgoing {
  name: string;
  fields: RawFields;
}

function setupSigning(target: TargetIds, key: Buffer, initialTimestamp: number): RawOutgoing {
  if (!Number.isInteger(initialTimestamp) || initialTimestamp < 0 || initialTimestamp > MAX_TIMESTAMP) {
    throw new Error(`SETUP_SIGNING initial timestamp must be a 48-bit signing timestamp, got ${initialTimestamp}`);
  }
  return {
    name: "SETUP_SIGNING",
    fields: {
      target_system: target.sysid,
      target_component: target.compid,
      secret_key: [...key],
      initial_timestamp: initialTimestamp,
    },
  };
}

/**
 * SETUP_SIGNING (id 256): gives a vehicle its signing key. Provisioning procedure:
 * 1. Connect over a trusted link only — USB or another wire, never the radio or a network: the key travels in
 *    clear, and anyone who hears it can sign as us.
 * 2. Send this message (unsigned, or signed with the old key if the vehicle already requires signing).
 *    ArduPilot stores key and timestamp in its own storage and signs on all its links at once; it keeps
 *    accepting unsigned frames on its first port (USB) and RADIO_STATUS, so a lost key can be replaced over USB.
 *    Provision on the ground, disarmed.
 * 3. Only then enable signing for that vehicle here (its key in the verifier, requireSigned, a signer on its
 *    links); in the other order the vehicle's unsigned frames would be refused in between.
 * `initialTimestamp` is a signing timestamp (`signingTimestamp(Date.now())`): the vehicle starts signing from
 * it, so a current value keeps its first frames from being stale. ArduPilot restarts from its last saved
 * timestamp + 1 minute after a reboot and catches up with GPS time or with our newer signed frames.
 * Refuses an all-zero key: to ArduPilot an all-zero key with timestamp 0 means "disable signing" (see
 * disableSigningMessage).
 */
export function setupSigningMessage(target: TargetIds, key: Buffer, initialTimestamp: number): RawOutgoing {
  checkKey(key);
  if (key.every((b) => b === 0)) throw new Error("refusing an all-zero MAVLink signing key (it disables signing)");
  return setupSigning(target, key, initialTimestamp);
}

/** SETUP_SIGNING with an all-zero key and timestamp 0: ArduPilot turns signing off. Trusted link only. */
export function disableSigningMessage(target: TargetIds): RawOutgoing {
  return setupSigning(target, Buffer.alloc(KEY_LENGTH), 0);
}
