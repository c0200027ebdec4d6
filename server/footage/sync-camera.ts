/**
 * Placing a video on a flight's clock from the camera's own messages: the recording (CAMERA_CAPTURE_STATUS, or the
 * accepted video commands) whose length is the video's length. Its start is the video's t = 0.
 *
 * Lengths are compared with a tolerance of 1 s or 2 % of the video, whichever is larger: the end of a recording is
 * known only to within one status period (ArduPilot and cameras send CAMERA_CAPTURE_STATUS at about 1 Hz), a camera
 * closes its file on a whole frame or group of pictures after the stop, and on long recordings some cameras' counts
 * drift by a fraction of a percent. Two recordings of a flight rarely differ in length by less than that; when they
 * do, the one nearest the file's creation_time is taken and the detail says so.
 */
import type { CameraEvent, FlightCameraEvents } from "../protocol";

export type CameraSyncFound = { ok: true; startsAt: number; detail: string } | { ok: false; reason: string };

type Recording = Extract<CameraEvent, { kind: "recording" }>;

export const LENGTH_TOLERANCE_MS = 1000;
export const LENGTH_TOLERANCE_FRACTION = 0.02;

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const iso = (ms: number) => new Date(Math.round(ms)).toISOString();

/** The footage's creation_time as UTC ms (read as UTC when it names no zone), or null. */
export function creationMs(created: string | null): number | null {
  if (created === null) return null;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(created);
  const at = Date.parse(zoned ? created : `${created}Z`);
  return Number.isFinite(at) ? at : null;
}

/** How the camera's clock stands against the flight's, in words (empty when no photo carried a time). */
export function clockText(clock: FlightCameraEvents["clock"]): string {
  if (!clock) return "";
  const ahead = clock.medianMs >= 0 ? "behind" : "ahead of";
  return `; the autopilot's camera clock (CAMERA_FEEDBACK time_usec) is ${seconds(Math.abs(clock.medianMs))} ${ahead} the flight's (median of ${clock.photos} photos, `
    + `${seconds(clock.minMs)} at the least; this includes the message's delivery)`;
}

function described(r: Recording): string {
  const len = r.ended ? seconds(r.end - r.start) : `at least ${seconds(r.end - r.start)} (still recording when the file ends)`;
  return `${iso(r.start)}, ${len}`;
}

/** The recording of `events` that the video (`durationS`, `creationTime`) is, or why there is none. */
export function syncFromCamera(camera: FlightCameraEvents, footage: { durationS: number; creationTime: string | null }): CameraSyncFound {
  const recordings = camera.events.filter((e): e is Recording => e.kind === "recording");
  const photos = camera.events.filter((e) => e.kind === "photo").length;
  const duration = footage.durationS * 1000;
  const tolerance = Math.max(LENGTH_TOLERANCE_MS, LENGTH_TOLERANCE_FRACTION * duration);
  if (recordings.length === 0) {
    const what = photos > 0 ? `${photos} photo${photos === 1 ? "" : "s"} but no video recording` : "no camera messages about a video recording";
    return { ok: false, reason: `the flight's camera messages hold ${what} (CAMERA_CAPTURE_STATUS video_status, or accepted VIDEO_START_CAPTURE / VIDEO_STOP_CAPTURE)` };
  }
  const fits = recordings.filter((r) => {
    const length = r.end - r.start;
    return r.ended ? Math.abs(length - duration) <= tolerance : duration >= length - tolerance;
  });
  if (fits.length === 0) {
    const list = recordings.slice(0, 5).map(described).join("; ");
    const more = recordings.length > 5 ? ` and ${recordings.length - 5} more` : "";
    return { ok: false, reason: `none of the flight's ${recordings.length} camera recording${recordings.length === 1 ? "" : "s"} (${list}${more}) is as long as the footage's ${seconds(duration)} (within ${seconds(tolerance)})` };
  }
  const created = creationMs(footage.creationTime);
  const chosen = fits.length === 1 || created === null
    ? fits.reduce((a, b) => (Math.abs(a.end - a.start - duration) <= Math.abs(b.end - b.start - duration) ? a : b))
    : fits.reduce((a, b) => (Math.abs(a.start - created) <= Math.abs(b.start - created) ? a : b));
  const why = fits.length === 1 ? "" : created === null
    ? `; ${fits.length} recordings fit, the closest in length taken (the file has no creation_time)`
    : `; ${fits.length} recordings fit, the one starting nearest the file's creation_time ${footage.creationTime} taken`;
  const gap = chosen.ended ? `, ${seconds(Math.abs(chosen.end - chosen.start - duration))} from the footage's ${seconds(duration)}` : "";
  const detail = `camera messages: recording from ${described(chosen)}${gap} (tolerance ${seconds(tolerance)}; ${chosen.detail})${why}${clockText(camera.clock)}`;
  return { ok: true, startsAt: Math.round(chosen.start), detail };
}
