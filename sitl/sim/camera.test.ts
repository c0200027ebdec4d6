import { describe, expect, it } from "vitest";
import type { RawFields } from "../../server/mavlink";
import { HOME, Harness } from "../../test/support/sitl/sim-harness";
import { SimCamera, poseOf } from "./camera";
import type { CameraPose } from "./camera";
import type { CommandIn } from "./commands";
import { RESULT } from "./commands";

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);

function rig(opts: { canRecord?: boolean; countsRecordingTime?: boolean; gps?: boolean } = {}) {
  let now = T0;
  const sent: { at: number; name: string; fields: RawFields }[] = [];
  const pose = (t: number): CameraPose => ({
    timeBootMs: t - T0 + 60_000, gpsUnixMs: opts.gps === false ? null : t, lat: 53.48 + (t - T0) * 1e-8, lon: -2.24, altAmsl: 70, altRelative: 30, roll: 0, pitch: -2, yaw: 90,
  });
  const camera = new SimCamera({ now: () => now, pose, send: (name, fields) => sent.push({ at: now, name, fields }) }, opts);
  const cmd = (command: number, params: number[], param5 = 0): CommandIn => ({
    command, params: [params[0] ?? 0, params[1] ?? 0, params[2] ?? 0, params[3] ?? 0], lat: param5, lon: 0, z: 0, isInt: false,
  });
  const run = (ms: number) => {
    const end = now + ms;
    while (now < end) {
      now += 20;
      camera.tick(now);
    }
  };
  return { camera, sent, cmd, run, at: () => now };
}

describe("SimCamera (AP_Camera's answers)", () => {
  it("DO_DIGICAM_CONTROL with shot 1 takes a photo: CAMERA_FEEDBACK at once with the GPS time and position", () => {
    const { camera, sent, cmd } = rig();
    expect(camera.command(cmd(203, [], 1))).toEqual({ result: RESULT.ACCEPTED });
    expect(camera.command(cmd(203, [], 0))).toEqual({ result: RESULT.ACCEPTED });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ name: "CAMERA_FEEDBACK", fields: { img_idx: 1, time_usec: T0 * 1000, lat: 534800000, lng: -22400000, alt_rel: 30 } });
    expect(camera.photos).toBe(1);
  });

  it("without a GPS fix the photo's time_usec is 0, as GPS time_epoch_usec gives", () => {
    const { camera, sent, cmd } = rig({ gps: false });
    camera.command(cmd(203, [], 1));
    expect(sent[0]!.fields.time_usec).toBe(0);
  });

  it("resends the last feedback unchanged at the interval the ground station sets", () => {
    const { camera, sent, cmd, run, at } = rig();
    expect(camera.command(cmd(511, [180, 1_000_000]))).toEqual({ result: RESULT.ACCEPTED });
    // Before any photo ArduPilot sends image 0 with no time (the first message of camera_survey.tlog).
    run(1500);
    const shot = at();
    camera.command(cmd(203, [], 1));
    run(3000);
    const feedback = sent.filter((s) => s.name === "CAMERA_FEEDBACK");
    expect(feedback.length).toBeGreaterThanOrEqual(4);
    expect(new Set(feedback.map((s) => `${s.fields.img_idx}/${s.fields.time_usec}`))).toEqual(new Set(["0/0", `1/${shot * 1000}`]));
  });

  it("records video on a camera that can: accepted, and CAMERA_CAPTURE_STATUS counts the time since the start", () => {
    const { camera, sent, cmd, run, at } = rig();
    camera.command(cmd(511, [262, 1_000_000]));
    run(1000);
    const start = at();
    expect(camera.command(cmd(2500, [0]))).toEqual({ result: RESULT.ACCEPTED });
    run(5000);
    expect(camera.command(cmd(2501, [0]))).toEqual({ result: RESULT.ACCEPTED });
    run(2000);
    const status = sent.filter((s) => s.name === "CAMERA_CAPTURE_STATUS");
    const busy = status.filter((s) => s.fields.video_status === 1);
    expect(busy.length).toBeGreaterThanOrEqual(4);
    for (const s of busy) expect(s.at - Number(s.fields.recording_time_ms)).toBe(start);
    expect(status.at(-1)!.fields).toMatchObject({ video_status: 0, recording_time_ms: 0 });
  });

  it("a servo camera cannot record: VIDEO_START_CAPTURE fails, as record_video() returns false", () => {
    const { camera, cmd } = rig({ canRecord: false });
    expect(camera.command(cmd(2500, [0]))).toEqual({ result: RESULT.FAILED });
    expect(camera.recording).toBe(false);
  });

  it("leaves every other command, and intervals of other messages, to the vehicle", () => {
    const { camera, cmd } = rig();
    expect(camera.command(cmd(400, [1]))).toBeNull();
    expect(camera.command(cmd(511, [33, 200_000]))).toBeNull();
    expect(camera.command(cmd(512, [242]))).toBeNull();
    const req = camera.command(cmd(512, [262]));
    expect(req?.result).toBe(RESULT.ACCEPTED);
  });
});

describe("SimCamera on a simulated vehicle", () => {
  it("its photo carries the vehicle's GPS time and position, and goes out on the vehicle's link", () => {
    const h = new Harness();
    h.ready(4);
    const v = h.vehicle;
    const camera = new SimCamera({ now: () => v.now(), pose: (t) => poseOf(v.view(t)), send: (n, f) => v.send(n, f) });
    const at = h.time;
    camera.command({ command: 203, params: [0, 0, 0, 0], lat: 1, lon: 0, z: 0, isInt: false });
    const feedback = h.last("CAMERA_FEEDBACK")!;
    expect(feedback).toMatchObject({ sysid: 1, compid: 1, fields: { img_idx: 1 } });
    // The vehicle's GPS (wall) clock, which SYSTEM_TIME also sends.
    expect(Math.abs(Number(feedback.fields.time_usec) / 1000 - v.view(at).unixMs)).toBeLessThanOrEqual(5);
    expect(Number(feedback.fields.lat) / 1e7).toBeCloseTo(HOME.lat, 5);
    expect(Number(feedback.fields.lng) / 1e7).toBeCloseTo(HOME.lon, 5);
    expect(Number(feedback.fields.alt_rel)).toBeCloseTo(0, 0);
  });
});
