import { describe, expect, it } from "vitest";
import { frameMs, frameUtc, planVideo, pointAt, sessionTimeAt, videoTimeAt } from "./sync";

const T = Date.UTC(2026, 10, 21, 9, 0, 0);

describe("footage on the replay clock", () => {
  it("maps the session clock to the video's seconds and back, with the flight's shift", () => {
    expect(videoTimeAt(T + 2500, T, 0)).toBe(2.5);
    expect(videoTimeAt(T + 2500 + 60_000, T, 60_000)).toBe(2.5);
    expect(sessionTimeAt(2.5, T, 60_000)).toBe(T + 62_500);
    // The frame's UTC is the flight's own clock: the replay's shift is not in it.
    expect(frameUtc(2.5, T)).toBe(T + 2500);
    expect(frameMs(25)).toBe(40);
    expect(frameMs(null)).toBe(40);
    expect(frameMs(59.94)).toBe(17);
  });

  it("corrects the video only when it drifts more than 0.2 s, plays at the replay's speed, pauses outside its span", () => {
    expect(planVideo({ target: 3, duration: 6, current: 2.9, playing: true, speed: 2 })).toEqual({ inside: true, seekTo: null, play: true, rate: 2 });
    expect(planVideo({ target: 3, duration: 6, current: 2.5, playing: false, speed: 1 })).toEqual({ inside: true, seekTo: 3, play: false, rate: 1 });
    expect(planVideo({ target: 3, duration: 6, current: 3, playing: true, speed: "max" }).rate).toBe(16);
    expect(planVideo({ target: 3, duration: 6, current: 3, playing: true, speed: 0.1 }).rate).toBe(0.1);
    expect(planVideo({ target: -0.5, duration: 6, current: 0, playing: true, speed: 1 })).toMatchObject({ inside: false, play: false });
    expect(planVideo({ target: 6.2, duration: 6, current: 6, playing: true, speed: 1 })).toMatchObject({ inside: false, play: false });
  });

  it("places the camera between its two sidecar points, and nowhere outside the track", () => {
    const track = [{ t: 0, lat: 51, lon: -1, alt: null }, { t: 1, lat: 51.001, lon: -1.002, alt: null }, { t: 2, lat: 51.002, lon: -1.002, alt: null }];
    expect(pointAt(track, 0.5)).toEqual({ lat: 51.0005, lon: -1.001 });
    expect(pointAt(track, 2)).toEqual({ lat: 51.002, lon: -1.002 });
    expect(pointAt(track, 2.1)).toBeNull();
    expect(pointAt([], 0)).toBeNull();
  });
});
