import type { PackedTrail, TrailPoint } from "../protocol";
import { TRAIL_MAX_POINTS, TRAIL_MIN_STEP_M, groundDistanceOf, packTrail, trailDrop } from "../protocol";
import { simplifiedIndexes } from "./simplify";

/**
 * A vehicle's recent track as the registry keeps it: the points addTrailPoint (protocol/trail.ts) would keep, by the
 * same rules (a point per TRAIL_MIN_STEP_M moved, the oldest tenth dropped at once when full), held as numbers in
 * typed arrays rather than an object per point. Every position of every vehicle comes through here: objects kept for
 * minutes were most of what the garbage collector had to copy and promote, and cost more than the rest of the state.
 * Points are made as objects only when handed out.
 */
export class Track {
  private lat: Float64Array;
  private lon: Float64Array;
  private alt: Float64Array;
  private time: Float64Array;
  private count = 0;

  constructor(private readonly maxPoints = TRAIL_MAX_POINTS, capacity = 64) {
    const size = Math.max(1, Math.min(capacity, maxPoints));
    this.lat = new Float64Array(size);
    this.lon = new Float64Array(size);
    this.alt = new Float64Array(size);
    this.time = new Float64Array(size);
  }

  /** A track holding `points` (a dump's), oldest first; the newest maxPoints of them if there are more. */
  static of(points: readonly TrailPoint[], maxPoints = TRAIL_MAX_POINTS): Track {
    const track = new Track(maxPoints, points.length);
    for (const p of points.slice(-maxPoints)) track.put(p.lat, p.lon, p.altAmsl, p.time);
    return track;
  }

  get length(): number {
    return this.count;
  }

  /**
   * Appends the point if it moved more than TRAIL_MIN_STEP_M from the last one; whether it did. `maxPoints` lowers the
   * track's bound for this point (a cluster's mirror shares its budget among however many vehicles it holds).
   */
  add(lat: number, lon: number, altAmsl: number, time: number, maxPoints = this.maxPoints): boolean {
    const n = this.count;
    if (n > 0 && groundDistanceOf(this.lat[n - 1]!, this.lon[n - 1]!, lat, lon) <= TRAIL_MIN_STEP_M) return false;
    const bound = Math.min(maxPoints, this.maxPoints);
    if (n >= bound) {
      const drop = trailDrop(n, bound);
      for (const a of [this.lat, this.lon, this.alt, this.time]) a.copyWithin(0, drop, n);
      this.count = n - drop;
    }
    this.put(lat, lon, altAmsl, time);
    return true;
  }

  /** The newest point, or undefined when empty. */
  last(): TrailPoint | undefined {
    return this.count === 0 ? undefined : this.point(this.count - 1);
  }

  /** Every point, oldest first (new objects). */
  points(): TrailPoint[] {
    const out = new Array<TrailPoint>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.point(i);
    return out;
  }

  /**
   * The track as a screen gets it: only the points needed to draw it within `toleranceM` (see simplifiedIndexes),
   * packed (packTrail). Read from the arrays as they are: no object per point is made.
   */
  packed(toleranceM: number): PackedTrail {
    const columns = { lat: this.lat, lon: this.lon, alt: this.alt, time: this.time, length: this.count };
    if (toleranceM <= 0) return packTrail(columns);
    return packTrail(columns, simplifiedIndexes(this.count, (i) => this.lat[i]!, (i) => this.lon[i]!, toleranceM));
  }

  private point(i: number): TrailPoint {
    return { lat: this.lat[i]!, lon: this.lon[i]!, altAmsl: this.alt[i]!, time: this.time[i]! };
  }

  private put(lat: number, lon: number, altAmsl: number, time: number): void {
    const n = this.count;
    if (n === this.lat.length) this.grow(Math.min(this.maxPoints, n * 2));
    this.lat[n] = lat;
    this.lon[n] = lon;
    this.alt[n] = altAmsl;
    this.time[n] = time;
    this.count = n + 1;
  }

  private grow(size: number): void {
    const bigger = (a: Float64Array) => {
      const b = new Float64Array(size);
      b.set(a.subarray(0, this.count));
      return b;
    };
    this.lat = bigger(this.lat);
    this.lon = bigger(this.lon);
    this.alt = bigger(this.alt);
    this.time = bigger(this.time);
  }
}
