/**
 * A real flight's .tlog with a camera's traffic added, as a ground station recording both sides would hold it: the
 * ground station's COMMAND_LONGs (SET_MESSAGE_INTERVAL for CAMERA_CAPTURE_STATUS, DO_DIGICAM_CONTROL,
 * VIDEO_START_CAPTURE / VIDEO_STOP_CAPTURE) and the simulated vehicle camera's answers (sitl/sim/camera.ts: acks,
 * CAMERA_FEEDBACK, CAMERA_CAPTURE_STATUS), each arriving after a small varying delay, all interleaved by time.
 */
import fs from "node:fs";
import { RawDecoder, RawEncoder, frameOf, readTlogFile } from "../../server/mavlink";
import type { Frame, RawFields } from "../../server/mavlink";
import { positionAt } from "../../server/footage";
import type { TrackPosition } from "../../server/footage";
import { SimCamera } from "../../sitl/sim/camera";
import type { CameraPose } from "../../sitl/sim/camera";
import { commandIn } from "../../sitl/sim/commands";

export interface CameraPlan {
  /** Recordings: when the ground station sends VIDEO_START_CAPTURE (flight clock, ms) and for how long. */
  recordings: { at: number; seconds: number }[];
  /** When the ground station sends DO_DIGICAM_CONTROL (shot 1). */
  photosAt: number[];
  /** A camera that cannot record (servo/relay): its video commands fail. */
  canRecord?: boolean;
}

export interface CameraTruth {
  /** When the camera started and stopped recording (flight clock, ms). */
  recordings: { start: number; end: number }[];
  photos: number;
}

/** A sender of frames in MAVLink's own units (unit tests of readers of camera messages). */
export function frameSender(ids: { sysid: number; compid: number }): (name: string, fields: RawFields) => Frame {
  const enc = new RawEncoder(ids);
  return (name, fields) => frameOf(enc.encode(name, fields));
}

const LINK_MS = 10;
const STEP_MS = 20;

/** Writes `out`: `source` with the camera traffic of `plan` in it. */
export function writeCameraTlog(source: string, out: string, track: readonly TrackPosition[], plan: CameraPlan): CameraTruth {
  const entries: { timeUs: number; bytes: Buffer }[] = readTlogFile(source).entries.map((e) => ({ timeUs: e.timeUs, bytes: Buffer.from(e.frame.bytes) }));
  const vehicle = new RawEncoder({ sysid: 1, compid: 1 });
  const gcs = new RawEncoder({ sysid: 255, compid: 190 });
  const decoder = new RawDecoder();
  let now = 0;
  let k = 0;
  // Delivery delays of 5..60 ms, the same every run.
  const delay = () => 5 + ((k++ * 37) % 56);
  const add = (ms: number, bytes: Buffer) => entries.push({ timeUs: Math.round(ms * 1000), bytes });
  const pose = (t: number): CameraPose => {
    const p = positionAt(track, t) ?? track[0]!;
    return { timeBootMs: t - track[0]!.time, gpsUnixMs: t, lat: p.lat, lon: p.lon, altAmsl: 70, altRelative: 30, roll: 0, pitch: 0, yaw: 0 };
  };
  const camera = new SimCamera({ now: () => now, pose, send: (name, fields) => add(now + delay(), vehicle.encode(name, fields)) }, { canRecord: plan.canRecord ?? true });
  const truth: CameraTruth = { recordings: [], photos: 0 };
  // The ground station's own heartbeat, once a second, as a recording of both sides holds it.
  const first = entries[0]!.timeUs / 1000;
  const end = entries.at(-1)!.timeUs / 1000;
  for (let t = first + 500; t < end; t += 1000) add(t, gcs.encode("HEARTBEAT", { type: 6, autopilot: 8, base_mode: 0, custom_mode: 0, system_status: 4, mavlink_version: 3 }));

  const actions: { at: number; command: number; params: number[]; param5?: number }[] = [
    { at: track[0]!.time + 1000, command: 511, params: [262, 1_000_000] },
    ...plan.photosAt.map((at) => ({ at, command: 203, params: [], param5: 1 })),
    ...plan.recordings.flatMap((r) => [{ at: r.at, command: 2500, params: [0] }, { at: r.at + r.seconds * 1000, command: 2501, params: [0] }]),
  ].sort((a, b) => a.at - b.at);
  now = actions[0]!.at;
  const last = actions.at(-1)!.at + 3000;
  let next = 0;
  while (now <= last) {
    while (next < actions.length && actions[next]!.at <= now) {
      const a = actions[next++]!;
      const p = a.params;
      const bytes = gcs.encode("COMMAND_LONG", {
        command: a.command, target_system: 1, target_component: 1, param1: p[0] ?? 0, param2: p[1] ?? 0, param5: a.param5 ?? 0,
      });
      add(a.at, bytes);
      now = Math.max(now, a.at + LINK_MS);
      const outcome = camera.command(commandIn(decoder.decode(frameOf(bytes))));
      if (!outcome) throw new Error(`the camera does not answer command ${a.command}`);
      add(now + delay(), vehicle.encode("COMMAND_ACK", { command: a.command, result: outcome.result, target_system: 255, target_component: 190 }));
      outcome.after?.();
      if (a.command === 2500 && camera.recording) truth.recordings.push({ start: now, end: now });
      if (a.command === 2501 && truth.recordings.length > 0) truth.recordings.at(-1)!.end = now;
    }
    camera.tick(now);
    now += STEP_MS;
  }
  truth.photos = camera.photos;
  entries.sort((a, b) => a.timeUs - b.timeUs);
  const chunks: Buffer[] = [];
  for (const e of entries) {
    const t = Buffer.alloc(8);
    t.writeBigUInt64BE(BigInt(e.timeUs));
    chunks.push(t, e.bytes);
  }
  fs.writeFileSync(out, Buffer.concat(chunks));
  return truth;
}
