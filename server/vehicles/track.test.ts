import { describe, expect, it } from "vitest";
import type { TrailPoint } from "../protocol";
import { TRAIL_MAX_POINTS, addTrailPoint, unpackTrail } from "../protocol";
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

  it("takes a lower bound per point as addTrailPoint does (a mirror sharing its budget among more vehicles)", () => {
    const track = new Track();
    const trail: TrailPoint[] = [];
    for (let i = 0; i < 3000; i++) {
      const bound = i < 1500 ? TRAIL_MAX_POINTS : 300;
      const p = { lat: 51.5 + i * 1e-5, lon: -0.12, altAmsl: 40 };
      expect(track.add(p.lat, p.lon, p.altAmsl, i, bound)).toBe(addTrailPoint(trail, p, i, bound));
    }
    expect(track.length).toBeLessThanOrEqual(300);
    expect(track.points()).toEqual(trail);
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

describe("Track.packed", () => {
  /** Distance in metres from p to the segment a-b, on the local plane. */
  function offLine(p: TrailPoint, a: TrailPoint, b: TrailPoint): number {
    const kx = Math.cos((a.lat * Math.PI) / 180) * 111_195;
    const [px, py, bx, by] = [(p.lon - a.lon) * kx, (p.lat - a.lat) * 111_195, (b.lon - a.lon) * kx, (b.lat - a.lat) * 111_195];
    const len2 = bx * bx + by * by;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * bx + py * by) / len2));
    return Math.hypot(px - t * bx, py - t * by);
  }

  it("keeps what is needed to draw the track within the tolerance, first and last points exact", () => {
    const track = new Track();
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    // Legs of a survey with GPS noise: long straight runs, turns, a hover drifting a metre or two.
    let lat = 51.5, lon = -0.12, t = 0;
    for (let leg = 0; leg < 20; leg++) {
      const [dLat, dLon] = leg % 2 === 0 ? [2e-5, 0] : [0, 3e-5];
      for (let i = 0; i < 90; i++) {
        lat += dLat + (random() - 0.5) * 4e-6;
        lon += (leg % 4 < 2 ? dLon : -dLon) + (random() - 0.5) * 4e-6;
        track.add(lat, lon, 40 + random(), (t += 200));
      }
    }
    const all = track.points();
    expect(all.length).toBe(1_800);
    const kept = unpackTrail(track.packed(1));
    expect(kept.length).toBeLessThan(all.length / 2);
    expect(kept.length).toBeGreaterThan(20);
    expect(kept[0]!.time).toBe(all[0]!.time);
    expect(kept.at(-1)!.time).toBe(all.at(-1)!.time);
    // Every point left out lies within the tolerance (and the packing's centimetre) of the line between the points
    // kept on either side of it.
    let k = 0;
    for (const p of all) {
      while (kept[k + 1] !== undefined && kept[k + 1]!.time <= p.time) k++;
      if (kept[k]!.time === p.time) continue;
      expect(offLine(p, kept[k]!, kept[k + 1]!)).toBeLessThan(1.02);
    }
    // Tolerance 0 packs every point.
    expect(unpackTrail(track.packed(0))).toHaveLength(all.length);
  });

  it("makes a straight run two points, and an empty track nothing", () => {
    const track = new Track();
    for (let i = 0; i < 500; i++) track.add(51.5 + i * 1e-5, -0.12, 40, i * 100);
    expect(unpackTrail(track.packed(1)).map((p) => p.time)).toEqual([0, 49_900]);
    expect(new Track().packed(1)).toEqual([]);
  });
});
