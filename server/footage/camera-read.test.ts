import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { frameSender } from "../../test/helpers/camera-tlog";
import type { CameraEvent, FlightCameraEvents } from "../protocol";
import { CameraFold, MAX_PHOTOS, readCameraEvents } from "./camera-read";
import { positionAt } from "./sync";
import { readTrack } from "./track-read";

const FIXTURE = path.resolve(__dirname, "../../test/fixtures/camera_survey.tlog");
type Photo = Extract<CameraEvent, { kind: "photo" }>;

const R = 6_371_008.8;
function metres(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const k = Math.PI / 180;
  const x = (bLon - aLon) * k * Math.cos(((aLat + bLat) / 2) * k);
  return Math.hypot(x, (bLat - aLat) * k) * R;
}

describe("camera events of a real ArduCopter survey (camera_survey.tlog)", () => {
  let camera: FlightCameraEvents;
  let photos: Photo[];
  beforeAll(async () => {
    camera = await readCameraEvents(FIXTURE, { sysid: 1 });
    photos = camera.events.filter((e): e is Photo => e.kind === "photo");
  });

  it("counts each of the 23 photos once, though CAMERA_FEEDBACK repeats every second", () => {
    expect(photos.map((p) => p.index)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(camera.events.filter((e) => e.kind === "recording")).toEqual([]);
    expect(camera.photosDropped).toBe(0);
    expect(new Set(photos.map((p) => p.message))).toEqual(new Set(["CAMERA_FEEDBACK"]));
  });

  it("gives them in time order, on both clocks", () => {
    for (let i = 1; i < photos.length; i++) {
      expect(photos[i]!.time).toBeGreaterThan(photos[i - 1]!.time);
      expect(photos[i]!.utc!).toBeGreaterThan(photos[i - 1]!.utc!);
    }
    // The survey's photos were taken between the mission start (AUTO at 41.9 s) and the disarm (189 s).
    const first = 1796462236757 + 41_957;
    expect(photos[0]!.time).toBeGreaterThan(first);
    expect(photos.at(-1)!.time).toBeLessThan(1796462236757 + 188_976);
  });

  it("places them in the survey area over Manchester, at the 30 m of the mission", () => {
    for (const p of photos) {
      expect(metres(p.lat!, p.lon!, 53.4808, -2.2426)).toBeLessThan(250);
      expect(p.altRelative!).toBeCloseTo(30, 0);
    }
  });

  it("the camera's UTC (GPS time) and the recording's clock differ by one steady offset, and the photo sits on the track there", async () => {
    const d = photos.map((p) => p.time - p.utc!);
    expect(Math.max(...d) - Math.min(...d)).toBeLessThan(100);
    expect(camera.clock).toMatchObject({ photos: 23 });
    expect(camera.clock!.minMs).toBeGreaterThanOrEqual(0);
    expect(camera.clock!.medianMs).toBeLessThan(1500);
    // At the photo's UTC moved onto the flight's clock, the vehicle's own track is where the photo says it was.
    const track = await readTrack(FIXTURE, { sysid: 1, compid: 1 });
    for (const p of photos) {
      const at = positionAt(track, p.utc! + camera.clock!.medianMs);
      expect(at).not.toBeNull();
      expect(metres(p.lat!, p.lon!, at!.lat, at!.lon)).toBeLessThan(5);
    }
  });

  it("reads the camera of the vehicle asked for only", async () => {
    expect((await readCameraEvents(FIXTURE, { sysid: 2 })).events).toEqual([]);
  });
});

describe("CameraFold", () => {
  const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
  const vehicle = frameSender({ sysid: 1, compid: 1 });
  const gcs = frameSender({ sysid: 255, compid: 190 });
  const push = (fold: CameraFold, ms: number, from: typeof vehicle, name: string, fields: Parameters<typeof vehicle>[1]) => fold.push(ms * 1000, from(name, fields));
  const status = (fold: CameraFold, ms: number, recording: boolean, recMs: number) =>
    push(fold, ms, vehicle, "CAMERA_CAPTURE_STATUS", { video_status: recording ? 1 : 0, recording_time_ms: recMs, time_boot_ms: ms - T0 });

  it("a recording from CAMERA_CAPTURE_STATUS starts at the earliest time - recording_time_ms and ends between the last busy and first idle status", () => {
    const fold = new CameraFold({ sysid: 1 });
    const start = T0 + 10_123;
    status(fold, T0 + 9_900, false, 0);
    // Statuses at about 1 Hz, each delivered 0..80 ms late.
    for (let k = 0; k < 20; k++) {
      const sentAt = start + 400 + k * 1000;
      status(fold, sentAt + ((k * 37) % 80), true, sentAt - start);
    }
    status(fold, start + 20_400 + 30, false, 0);
    const [r] = fold.finish().events;
    expect(r).toMatchObject({ kind: "recording", from: "capture_status", ended: true, component: 1 });
    if (r?.kind !== "recording") throw new Error("no recording");
    expect(r.start).toBe(start);
    expect(Math.abs(r.end - (start + 20_000))).toBeLessThanOrEqual(500);
  });

  it("accepted video commands give a recording only when the ground station's command is in the file too", () => {
    const both = new CameraFold({ sysid: 1 });
    push(both, T0, gcs, "COMMAND_LONG", { command: 2500, target_system: 1, target_component: 1 });
    push(both, T0 + 40, vehicle, "COMMAND_ACK", { command: 2500, result: 0, target_system: 255, target_component: 190 });
    push(both, T0 + 30_000, gcs, "COMMAND_LONG", { command: 2501, target_system: 1, target_component: 1 });
    push(both, T0 + 30_030, vehicle, "COMMAND_ACK", { command: 2501, result: 0, target_system: 255, target_component: 190 });
    expect(both.finish().events).toMatchObject([{ kind: "recording", from: "command_ack", start: T0 + 40, end: T0 + 30_030, ended: true }]);

    const acksOnly = new CameraFold({ sysid: 1 });
    push(acksOnly, T0 + 40, vehicle, "COMMAND_ACK", { command: 2500, result: 0 });
    push(acksOnly, T0 + 30_030, vehicle, "COMMAND_ACK", { command: 2501, result: 0 });
    expect(acksOnly.finish().events).toEqual([]);

    const failed = new CameraFold({ sysid: 1 });
    push(failed, T0, gcs, "COMMAND_LONG", { command: 2500, target_system: 1 });
    push(failed, T0 + 40, vehicle, "COMMAND_ACK", { command: 2500, result: 4 });
    expect(failed.finish().events).toEqual([]);
  });

  it("one recording seen both ways is one recording, from the camera's status, naming the commands", () => {
    const fold = new CameraFold({ sysid: 1 });
    push(fold, T0, gcs, "COMMAND_LONG", { command: 2500, target_system: 1, target_component: 1 });
    push(fold, T0 + 20, vehicle, "COMMAND_ACK", { command: 2500, result: 0 });
    for (let k = 1; k <= 5; k++) status(fold, T0 + 20 + k * 1000 + 10, true, k * 1000);
    push(fold, T0 + 5_500, gcs, "COMMAND_LONG", { command: 2501, target_system: 1, target_component: 1 });
    push(fold, T0 + 5_520, vehicle, "COMMAND_ACK", { command: 2501, result: 0 });
    status(fold, T0 + 6_030, false, 0);
    const events = fold.finish().events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ from: "capture_status", start: T0 + 30 });
    expect(events[0]!.kind === "recording" && events[0]!.detail).toMatch(/confirmed by VIDEO_START_CAPTURE accepted/);
  });

  it("keeps at most MAX_PHOTOS photos and counts what it leaves out", () => {
    const fold = new CameraFold({ sysid: 1 });
    // CAMERA_IMAGE_CAPTURED's image_index is an int32: a file can claim any number of photos.
    for (let i = 0; i < MAX_PHOTOS + 25; i++) push(fold, T0 + i, vehicle, "CAMERA_IMAGE_CAPTURED", { image_index: i, capture_result: 1 });
    const out = fold.finish();
    expect(out.events).toHaveLength(MAX_PHOTOS);
    expect(out.photosDropped).toBe(25);
  }, 30_000);

  it("a photo number seen again with a new camera time is a new photo (the count restarts on a reboot)", () => {
    const fold = new CameraFold({ sysid: 1 });
    const feedback = (ms: number, idx: number, utcMs: number) => push(fold, ms, vehicle, "CAMERA_FEEDBACK", { img_idx: idx, time_usec: utcMs * 1000, lat: 534808000, lng: -22426000 });
    feedback(T0, 0, 0);
    feedback(T0 + 100, 1, T0);
    feedback(T0 + 1100, 1, T0);
    feedback(T0 + 2100, 1, T0);
    feedback(T0 + 60_000, 1, T0 + 59_900);
    const out = fold.finish();
    expect(out.events.map((e) => e.kind === "photo" && [e.index, e.time, e.utc])).toEqual([[1, T0 + 100, T0], [1, T0 + 60_000, T0 + 59_900]]);
    expect(out.clock).toEqual({ minMs: 100, medianMs: 100, photos: 2 });
  });
});
