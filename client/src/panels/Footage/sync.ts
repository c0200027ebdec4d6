/**
 * The footage's clock against the replay's. A sync says the file's first frame (t = 0) was at `startsAt` on the
 * flight's clock; a replay shifts each flight by `shiftMs` onto the session clock (only when aligning take-offs).
 */

/** Frames at 25 fps when the file does not say. */
export const frameMs = (fps: number | null): number => Math.round(1000 / (fps && fps > 0 ? fps : 25));

/** Seconds into the video at a moment of the session clock (may be outside the video). */
export const videoTimeAt = (sessionTime: number, startsAt: number, shiftMs: number): number => (sessionTime - startsAt - shiftMs) / 1000;

/** The session clock's moment at a time of the video. */
export const sessionTimeAt = (videoTime: number, startsAt: number, shiftMs: number): number => startsAt + shiftMs + videoTime * 1000;

/** The UTC moment a frame was taken (the flight's own clock, without the replay's shift). */
export const frameUtc = (videoTime: number, startsAt: number): number => startsAt + videoTime * 1000;

/** Past this the video is moved to the replay's moment; below it, playing on keeps the picture smooth. */
export const DRIFT_S = 0.2;

export interface VideoPlan {
  /** Where the video should be: null outside its span ("no footage at this moment"). */
  inside: boolean;
  seekTo: number | null;
  play: boolean;
  rate: number;
}

/**
 * What the video does for a replay state: inside its span, follow (seek only when off by more than DRIFT_S, play
 * at the replay's speed while it plays); outside, pause and say so.
 */
export function planVideo(opts: { target: number; duration: number; current: number; playing: boolean; speed: number | "max" }): VideoPlan {
  const { target, duration, current, playing } = opts;
  if (!(target >= 0 && target <= duration)) return { inside: false, seekTo: null, play: false, rate: 1 };
  // Browsers play between 1/16 and 16 times; "max" outruns any video, which then follows by seeking.
  const rate = opts.speed === "max" ? 16 : Math.min(16, Math.max(0.0625, opts.speed));
  return { inside: true, seekTo: Math.abs(current - target) > DRIFT_S ? target : null, play: playing && target < duration, rate };
}

/** The camera's point at a video time, between the sidecar's two points around it; null outside the track. */
export function pointAt<P extends { t: number; lat: number; lon: number }>(track: readonly P[], t: number): { lat: number; lon: number } | null {
  if (track.length === 0 || t < track[0]!.t || t > track[track.length - 1]!.t) return null;
  let lo = 0;
  let hi = track.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (track[mid]!.t <= t) lo = mid;
    else hi = mid;
  }
  const a = track[lo]!;
  const b = track[hi]!;
  const f = b.t > a.t ? (t - a.t) / (b.t - a.t) : 0;
  return { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f };
}
