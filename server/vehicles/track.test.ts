import { describe, expect, it } from "vitest";
import type { TrailPoint } from "../protocol";
import { TRAIL_MAX_POINTS, addTrailPoint } from "../protocol";
import { Track } from "./track";

describe("Track", () => {
  it("keeps exactly the points addTrailPoint keeps, past its bound and through jitter", () => {
    for (const maxPoints of [TRAIL_MAX_POINTS, 7, 1]) {
      const track = new Track(maxPoints, 2);
      const trail: TrailPoint[] = [];
      let seed = 3;
      const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
      let lat = 51.5, lon = -0.12, refused = 0;
      for (let i = 0; i < 5000; i++) {
        // A walk of steps of a few metres, a fifth of them under the 0.5 m step (hover jitter).
        const step = random() < 0.2 ? 2e-6 : 3e-5;
        lat += step * (random() - 0.3);
        lon += step * (random() - 0.3);
        const p = { lat, lon, altAmsl: 40 + random() * 10 };
        const added = track.add(p.lat, p.lon, p.altAmsl, i * 250);
        expect(added).toBe(addTrailPoint(trail, p, i * 250, maxPoints));
        if (added) expect(track.last()).toEqual(trail.at(-1));
        else refused++;
      }
      expect(refused).toBeGreaterThan(500);
      expect(track.length).toBe(trail.length);
      expect(track.points()).toEqual(trail);
    }
  });

  it("hands out new objects, and is rebuilt from what it handed out", () => {
    const track = new Track();
    for (let i = 0; i < 100; i++) track.add(10 + i * 1e-4, 20, 30 + i, i);
    const points = track.points();
    points[0]!.lat = 0;
    expect(track.points()[0]!.lat).toBe(10);
    const again = Track.of(track.points());
    expect(again.points()).toEqual(track.points());
    again.add(20, 20, 0, 1000);
    expect([again.length, track.length]).toEqual([101, 100]);
    expect(Track.of(track.points(), 10).points()).toEqual(track.points().slice(-10));
    expect(new Track().last()).toBeUndefined();
  });
});
