import { describe, expect, it } from "vitest";
import type { CameraEvent, FlightCameraEvents } from "../protocol";
import { syncFromCamera } from "./sync-camera";

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const recording = (start: number, seconds: number, ended = true): CameraEvent => ({
  kind: "recording", start, end: start + seconds * 1000, ended, from: "capture_status", component: 1, detail: "test",
});
const photo = (index: number): CameraEvent => ({
  kind: "photo", index, time: T0 + index * 1000, utc: T0 + index * 1000 - 830, lat: 53.48, lon: -2.24, altAmsl: 70, altRelative: 30, message: "CAMERA_FEEDBACK", component: 1,
});
const events = (...e: CameraEvent[]): FlightCameraEvents => ({ events: e, photosDropped: 0, clock: null });

describe("syncFromCamera", () => {
  it("takes the recording as long as the video: its start is the video's first frame", () => {
    const found = syncFromCamera(events(recording(T0, 12), recording(T0 + 60_000, 30.4)), { durationS: 30, creationTime: null });
    expect(found).toMatchObject({ ok: true, startsAt: T0 + 60_000 });
    expect(found.ok && found.detail).toMatch(/30\.40 s, 0\.40 s from the footage's 30\.00 s \(tolerance 1\.00 s/);
  });

  it("allows 1 s, or 2 % of a long video", () => {
    expect(syncFromCamera(events(recording(T0, 31.2)), { durationS: 30, creationTime: null }).ok).toBe(false);
    expect(syncFromCamera(events(recording(T0, 609)), { durationS: 600, creationTime: null }).ok).toBe(true);
    expect(syncFromCamera(events(recording(T0, 613)), { durationS: 600, creationTime: null }).ok).toBe(false);
  });

  it("between recordings of the same length, the one nearest creation_time wins, and the detail says so", () => {
    const found = syncFromCamera(events(recording(T0, 20), recording(T0 + 300_000, 20)), { durationS: 20, creationTime: new Date(T0 + 299_000).toISOString() });
    expect(found).toMatchObject({ ok: true, startsAt: T0 + 300_000 });
    expect(found.ok && found.detail).toMatch(/2 recordings fit, the one starting nearest the file's creation_time/);
  });

  it("a recording still going when the file ends fits a video at least as long as what was seen", () => {
    expect(syncFromCamera(events(recording(T0, 10, false)), { durationS: 25, creationTime: null })).toMatchObject({ ok: true, startsAt: T0 });
    expect(syncFromCamera(events(recording(T0, 10, false)), { durationS: 5, creationTime: null }).ok).toBe(false);
  });

  it("says why when nothing matches: photos only, no camera messages, or recordings of other lengths", () => {
    expect(syncFromCamera(events(photo(1), photo(2), photo(3)), { durationS: 10, creationTime: null }))
      .toEqual({ ok: false, reason: expect.stringMatching(/hold 3 photos but no video recording/) });
    expect(syncFromCamera(events(), { durationS: 10, creationTime: null }))
      .toEqual({ ok: false, reason: expect.stringMatching(/no camera messages about a video recording/) });
    const other = syncFromCamera(events(recording(T0, 12)), { durationS: 30, creationTime: null });
    expect(other).toEqual({ ok: false, reason: expect.stringMatching(/none of the flight's 1 camera recording \(2026-11-21T09:00:00\.000Z, 12\.00 s\) is as long as the footage's 30\.00 s/) });
  });

  it("reports the camera's clock against the flight's when photos carry it", () => {
    const found = syncFromCamera({ events: [recording(T0, 10)], photosDropped: 0, clock: { minMs: 830, medianMs: 839, photos: 23 } }, { durationS: 10, creationTime: null });
    expect(found.ok && found.detail).toMatch(/camera clock \(CAMERA_FEEDBACK time_usec\) is 0\.84 s behind the flight's \(median of 23 photos/);
  });
});
