/**
 * Hostile variants of real MAVLink frames, for the fuzz run (`npm run fuzz`) and the tests that feed junk to a
 * link: what a stranger in radio range or on the UDP port can send. Some variants are given a good checksum
 * (resealed), so they get past the framer and test what lies behind it.
 */
import { mavlinkCrc } from "./crc";
import { STX_V1, STX_V2 } from "./framer";
import { REGISTRY } from "./registry";

export type MutationKind =
  | "bitflip" | "truncate" | "lying-length" | "signed-no-signature" | "v1-of-v2" | "forged-id" | "forged-heartbeat"
  | "random-bytes" | "original";

export const MUTATION_KINDS: readonly MutationKind[] = [
  "bitflip", "truncate", "lying-length", "signed-no-signature", "v1-of-v2", "forged-id", "forged-heartbeat",
  "random-bytes", "original",
];

/** Recomputes the checksum of the frame at the start of `frame` (v1 or v2, from its own header) in place. */
export function resealFrame(frame: Buffer): Buffer {
  const v2 = frame[0] === STX_V2;
  const plen = frame[1] ?? 0;
  const header = v2 ? 10 : 6;
  const msgid = v2 ? frame[7]! | (frame[8]! << 8) | (frame[9]! << 16) : frame[5]!;
  const extra = msgid < REGISTRY.crcExtra.length ? REGISTRY.crcExtra[msgid]! : -1;
  const end = header + plen;
  if (extra < 0 || frame.length < end + 2) return frame;
  const crc = mavlinkCrc(frame, 1, end, extra);
  frame[end] = crc & 0xff;
  frame[end + 1] = crc >> 8;
  return frame;
}

/** A v2 frame with its system and component ids replaced, resealed. */
export function withIds(frame: Buffer, sysid: number, compid: number): Buffer {
  const out = Buffer.from(frame);
  if (out[0] !== STX_V2) {
    out[3] = sysid;
    out[4] = compid;
  } else {
    out[5] = sysid;
    out[6] = compid;
  }
  return resealFrame(out);
}

/** A HEARTBEAT of a quadcopter running ArduPilot, from any ids: what a forger sends to be taken for a vehicle. */
export function vehicleHeartbeat(sysid: number, compid: number, seq: number): Buffer {
  // custom_mode (uint32), type 2 (quadrotor), autopilot 3 (ArduPilot), base_mode, system_status 3 (standby), version 3.
  const payload = Buffer.from([0, 0, 0, 0, 2, 3, 81, 3, 3]);
  const frame = Buffer.alloc(12 + payload.length);
  frame[0] = STX_V2;
  frame[1] = payload.length;
  frame[4] = seq & 0xff;
  frame[5] = sysid;
  frame[6] = compid;
  payload.copy(frame, 10);
  return resealFrame(frame);
}

/**
 * One hostile variant of a real frame. `random` is a seeded generator in [0, 1) so a run can be repeated.
 * forged-id and forged-heartbeat use a fresh (sysid, compid) from `nextId`.
 */
export function mutate(kind: MutationKind, frame: Buffer, random: () => number, nextId: () => [number, number]): Buffer {
  const int = (n: number) => Math.floor(random() * n);
  switch (kind) {
    case "original":
      return Buffer.from(frame);
    case "bitflip": {
      const out = Buffer.from(frame);
      for (let i = 1 + int(3); i > 0; i--) out[int(out.length)]! ^= 1 << int(8);
      return out;
    }
    case "truncate":
      return Buffer.from(frame.subarray(0, int(frame.length)));
    case "lying-length": {
      const out = Buffer.from(frame);
      out[1] = int(256);
      // Half of them also carry a checksum that is right for the length they claim, over whatever follows.
      if (random() < 0.5) {
        const need = (out[0] === STX_V2 ? 12 : 8) + out[1]!;
        return resealFrame(need > out.length ? Buffer.concat([out, Buffer.alloc(need - out.length)]) : out.subarray(0, need));
      }
      return out;
    }
    case "signed-no-signature": {
      if (frame[0] !== STX_V2) return Buffer.from(frame);
      const out = Buffer.from(frame);
      out[2] = 0x01;
      return resealFrame(out);
    }
    case "v1-of-v2": {
      if (frame[0] !== STX_V2) return Buffer.from(frame);
      const msgid = frame[7]! | (frame[8]! << 8) | (frame[9]! << 16);
      if (msgid > 255) return Buffer.from(frame);
      const plen = frame[1]!;
      const out = Buffer.alloc(8 + plen);
      out[0] = STX_V1;
      out[1] = plen;
      out[2] = frame[4]!;
      out[3] = frame[5]!;
      out[4] = frame[6]!;
      out[5] = msgid;
      frame.copy(out, 6, 10, 10 + plen);
      return resealFrame(out);
    }
    case "forged-id": {
      const [sysid, compid] = nextId();
      return frame[0] === STX_V2 || frame[0] === STX_V1 ? withIds(frame, sysid, compid) : Buffer.from(frame);
    }
    case "forged-heartbeat": {
      const [sysid, compid] = nextId();
      return vehicleHeartbeat(sysid, compid, int(256));
    }
    case "random-bytes": {
      const out = Buffer.alloc(1 + int(300));
      for (let i = 0; i < out.length; i++) out[i] = int(256);
      return out;
    }
  }
}
