/** Where a vehicle has been: the server keeps a bounded track per vehicle, the client draws it. */
export interface TrailPoint {
  lat: number;
  lon: number;
  altAmsl: number;
  /** Time of the sample, ms (server clock, or the virtual clock of a replay). */
  time: number;
}

/** Enough for ~7 min at 5 Hz of continuous motion; older points are dropped first. */
export const TRAIL_MAX_POINTS = 2000;
/** Below this a vehicle hovering in place would fill its trail with GPS jitter. */
export const TRAIL_MIN_STEP_M = 0.5;

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/**
 * Ground distance in metres. Equirectangular is accurate to well under 1% at the
 * distances that matter here (sub-metre steps to a few km) and cheaper than haversine.
 */
export function groundDistanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return groundDistanceOf(a.lat, a.lon, b.lat, b.lon);
}

/** groundDistanceM of two points given as numbers (for tracks kept in typed arrays). */
export function groundDistanceOf(latA: number, lonA: number, latB: number, lonB: number): number {
  const x = (lonB - lonA) * RAD * Math.cos(((latA + latB) / 2) * RAD);
  const y = (latB - latA) * RAD;
  return Math.sqrt(x * x + y * y) * EARTH_RADIUS_M;
}

/** How many of the oldest points a full trail of `length` drops before its next point: a tenth of the maximum at once. */
export function trailDrop(length: number, maxPoints: number): number {
  return Math.max(1, length - maxPoints + Math.ceil(maxPoints / 10));
}

/** True when `point` is far enough from the trail's last point to be worth a new point. */
export function extendsTrail(trail: readonly TrailPoint[], point: { lat: number; lon: number }, minStepM = TRAIL_MIN_STEP_M): boolean {
  const last = trail[trail.length - 1];
  return last === undefined || groundDistanceM(last, point) > minStepM;
}

/**
 * Appends a point to a trail kept by the server, in place, if it moved more than TRAIL_MIN_STEP_M; whether it did.
 * Past `maxPoints` the oldest tenth goes at once, rather than one point shifted out on every push.
 */
export function addTrailPoint(trail: TrailPoint[], p: { lat: number; lon: number; altAmsl: number }, time: number, maxPoints = TRAIL_MAX_POINTS): boolean {
  if (!extendsTrail(trail, p)) return false;
  if (trail.length >= maxPoints) {
    // A loop and a shorter length, not splice(0, k): splice builds the array of what it removes, and took several
    // times as long on the live path (every position of every vehicle comes through here).
    const drop = trailDrop(trail.length, maxPoints);
    const keep = trail.length - drop;
    for (let i = 0; i < keep; i++) trail[i] = trail[i + drop]!;
    trail.length = keep;
  }
  trail.push({ lat: p.lat, lon: p.lon, altAmsl: p.altAmsl, time });
  return true;
}

/**
 * Returns the trail with `point` appended if it moved more than `minStepM` from the last point,
 * otherwise the same array (so unchanged trails keep their identity and nothing re-renders).
 */
export function appendTrailPoint(
  trail: readonly TrailPoint[],
  point: TrailPoint,
  maxPoints = TRAIL_MAX_POINTS,
  minStepM = TRAIL_MIN_STEP_M,
): readonly TrailPoint[] {
  if (!extendsTrail(trail, point, minStepM)) return trail;
  if (trail.length < maxPoints) return [...trail, point];
  return [...trail.slice(trail.length - maxPoints + 1), point];
}
