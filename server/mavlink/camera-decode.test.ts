import { describe, expect, it } from "vitest";
import { decodeCameraFrame } from "./camera-decode";
import { RawEncoder } from "./raw";
import { frameOf } from "./tlog-stream";

const camera = new RawEncoder({ sysid: 1, compid: 100 });
const frame = (name: string, fields: Record<string, number>) => frameOf(camera.encode(name, fields));

describe("decodeCameraFrame", () => {
  it("CAMERA_IMAGE_CAPTURED: degE7 and mm to degrees and metres, UTC µs to ms, capture_result 1 is a photo", () => {
    expect(decodeCameraFrame(frame("CAMERA_IMAGE_CAPTURED", {
      time_utc: 1_795_234_652_385_250, time_boot_ms: 60_000, lat: 534808001, lon: -22426003, alt: 70_060, relative_alt: 29_980, image_index: 0, capture_result: 1,
    }))).toEqual({
      kind: "imageCaptured", cameraId: 0, imageIndex: 0, utcMs: 1_795_234_652_385.25, bootMs: 60_000, lat: 53.4808001, lon: -2.2426003, altAmsl: 70.06, altRelative: 29.98, ok: true,
    });
  });

  it("CAMERA_FEEDBACK before any photo: image 0, no time, no position", () => {
    expect(decodeCameraFrame(frame("CAMERA_FEEDBACK", { img_idx: 0 }))).toMatchObject({ kind: "cameraFeedback", imageIndex: 0, utcMs: null, lat: null, lon: null });
  });

  it("CAMERA_CAPTURE_STATUS: video_status 1 is recording, with the camera's count of it", () => {
    expect(decodeCameraFrame(frame("CAMERA_CAPTURE_STATUS", { video_status: 1, recording_time_ms: 12_345, image_count: 3 })))
      .toMatchObject({ kind: "captureStatus", recording: true, recordingMs: 12_345, imageCount: 3 });
  });

  it("only camera commands and their acks are read; other commands are left alone", () => {
    const gcs = new RawEncoder({ sysid: 255, compid: 190 });
    expect(decodeCameraFrame(frameOf(gcs.encode("COMMAND_LONG", { command: 2500, target_system: 1, target_component: 1 }))))
      .toEqual({ kind: "cameraCommand", command: 2500, targetSystem: 1, targetComponent: 1, param1: 0 });
    expect(decodeCameraFrame(frameOf(gcs.encode("COMMAND_LONG", { command: 400, target_system: 1 })))).toBeNull();
    expect(decodeCameraFrame(frameOf(camera.encode("COMMAND_ACK", { command: 2501, result: 4, target_system: 255 }))))
      .toEqual({ kind: "cameraCommandAck", command: 2501, result: 4, targetSystem: 255 });
    expect(decodeCameraFrame(frameOf(camera.encode("HEARTBEAT", {})))).toBeNull();
  });
});
