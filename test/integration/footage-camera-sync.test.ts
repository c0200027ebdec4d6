/**
 * Footage placed on a flight's clock from the camera's own messages in the flight's .tlog, through a running server:
 * a flight whose simulated camera (sitl/sim/camera.ts, answering as ArduPilot's AP_Camera does) recorded twice, and a
 * generated video as long as one of those recordings; the real camera_survey.tlog (photos only) for the refusal.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { FootageSync } from "../../server/protocol";
import { readTrack } from "../../server/footage";
import { writeCameraTlog } from "../helpers/camera-tlog";
import type { CameraTruth } from "../helpers/camera-tlog";
import { ingested, makeVideo, tusUpload } from "../helpers/footage";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

let server: RunningServer;
let reviewer: string;
let flightId: number;
let surveyId: number;
let truth: CameraTruth;

async function importTlog(file: string, name: string): Promise<number> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(fs.readFileSync(file))]), name);
  const res = await api(server, reviewer, "/api/flights/import", { method: "POST", body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { flights: { id: number }[] }).flights[0]!.id;
}

async function upload(seconds: number, creationTime: string, name: string): Promise<number> {
  const clip = makeVideo({ seconds, creationTime, name });
  return (await ingested(server, reviewer, (await tusUpload(server, reviewer, clip)).url!)).footageId!;
}

const auto = (footageId: number, body: Record<string, unknown>) =>
  api(server, reviewer, `/api/footage/${footageId}/sync/auto`, { method: "POST", body: JSON.stringify(body) });

beforeAll(async () => {
  server = await startTestServer();
  reviewer = await signIn(server, ["reviewer"], "rita");
  const source = path.join(FIXTURES, "copter_flight_1.tlog");
  const track = await readTrack(source, { sysid: 1, compid: 1 });
  const t0 = track[0]!.time;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dmc-camera-")), "copter_flight_1_camera.tlog");
  truth = writeCameraTlog(source, out, track, {
    photosAt: [t0 + 40_000, t0 + 45_000],
    recordings: [{ at: t0 + 60_000, seconds: 20 }, { at: t0 + 110_000, seconds: 12 }],
  });
  flightId = await importTlog(out, "copter_flight_1_camera.tlog");
  surveyId = await importTlog(path.join(FIXTURES, "camera_survey.tlog"), "camera_survey.tlog");
}, 90_000);
afterAll(async () => server?.close());

describe("sync from the camera's messages", () => {
  it("the recording as long as the video gives its first frame's time, within 100 ms, audited with its source", async () => {
    expect(truth.recordings).toHaveLength(2);
    expect(truth.photos).toBe(2);
    const recording = truth.recordings[0]!;
    // Cameras often stamp creation_time at the end of the recording: 20 s off, which the camera messages put right.
    const id = await upload(20, new Date(recording.end).toISOString(), "CAM_0001.MP4");
    const res = await auto(id, { flightId });
    expect(res.status).toBe(201);
    const found = (await res.json()) as FootageSync;
    expect(found.source).toBe("camera");
    expect(Math.abs(found.startsAt - recording.start)).toBeLessThanOrEqual(100);
    expect(found.detail).toMatch(/CAMERA_CAPTURE_STATUS/);
    expect(found.detail).toMatch(/confirmed by VIDEO_START_CAPTURE accepted/);
    // Both photos carried the autopilot's GPS time: its clock against the flight's is in the detail.
    expect(found.detail).toMatch(/camera clock \(CAMERA_FEEDBACK time_usec\) is 0\.\d\d s behind the flight's \(median of 2 photos/);
    const entry = (await server.audit.list(10_000)).find((e) => e.action === "footage_sync_set" && e.target === `footage:${id}`);
    expect(JSON.parse(entry!.detail)).toMatchObject({ flight: flightId, source: "camera", startsAt: found.startsAt });
    expect((await server.audit.verify()).ok).toBe(true);

    // The shorter recording is found for a video of its length.
    const short = await upload(12, new Date(truth.recordings[1]!.start).toISOString(), "CAM_0002.MP4");
    const second = (await (await auto(short, { flightId, source: "camera" })).json()) as FootageSync;
    expect(Math.abs(second.startsAt - truth.recordings[1]!.start)).toBeLessThanOrEqual(100);
  }, 90_000);

  it("refuses with what it found when no recording is as long as the video; without a source asked, creation_time is next", async () => {
    // MP4 stores creation_time in whole seconds.
    const at = Math.floor(truth.recordings[0]!.start / 1000) * 1000 + 5_000;
    const id = await upload(35, new Date(at).toISOString(), "CAM_0003.MP4");
    const refused = await auto(id, { flightId, source: "camera" });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("no_camera_match");
    expect(body.error.message).toMatch(/none of the flight's 2 camera recordings \(.*20\.\d\d s; .*12\.\d\d s\) is as long as the footage's 35\.00 s \(within 1\.00 s\)/);
    const fallback = (await (await auto(id, { flightId })).json()) as FootageSync;
    expect(fallback).toMatchObject({ source: "creation_time", startsAt: at });
  }, 60_000);

  it("a flight with photos but no recording (the real camera_survey.tlog) is refused with what it holds", async () => {
    const id = await upload(10, "2026-12-05T08:45:00Z", "CAM_0004.MP4");
    const refused = await auto(id, { flightId: surveyId, source: "camera" });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { message: string } }).error.message)
      .toMatch(new RegExp(`flight ${surveyId}: the flight's camera messages hold 23 photos but no video recording`));
    // Asking for the sidecar of a file that has none says so; a source that is not one is a bad request.
    expect((await auto(id, { flightId: surveyId, source: "srt" })).status).toBe(422);
    expect((await auto(id, { flightId: surveyId, source: "manual" })).status).toBe(400);
  }, 60_000);
});
