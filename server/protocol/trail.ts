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
/**
 * How far from a live trail as a screen draws it a point the server left out may have lain, metres: half a typical
 * GPS's accuracy, and well under a pixel at any zoom a fleet map is read at.
 */
export const TRAIL_TOLERANCE_M = 1;
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

/**
 * A trail on the wire (live screens get these in "vehicles:trails"): integers, four per point, oldest first:
 * `[latE7, lonE7, altAmsl cm, time ms]` for the first point, then each point as its difference from the one before.
 * Differences of a few hundred take three or four characters where a point as an object of decimals took about
 * eighty, and JSON writes and reads a flat array of small integers several times faster than objects.
 */
export type PackedTrail = number[];

/** The columns of a trail (typed arrays or plain ones) and how many points they hold. */
export interface TrailColumns {
  lat: ArrayLike<number>;
  lon: ArrayLike<number>;
  alt: ArrayLike<number>;
  time: ArrayLike<number>;
  length: number;
}

/**
 * Packs the points of `columns` at `indexes` (in order; every point when omitted). Each value is rounded once and
 * the differences are taken between rounded values, so rounding never accumulates along the trail: a point unpacks
 * to within 1e-7° (about 1 cm), 1 cm of altitude and 1 ms of its original.
 */
export function packTrail(columns: TrailColumns, indexes?: ArrayLike<number>): PackedTrail {
  const n = indexes ? indexes.length : columns.length;
  const out: PackedTrail = new Array<number>(n * 4);
  let lat = 0, lon = 0, alt = 0, time = 0;
  for (let k = 0; k < n; k++) {
    const i = indexes ? indexes[k]! : k;
    const la = Math.round(columns.lat[i]! * 1e7), lo = Math.round(columns.lon[i]! * 1e7);
    const al = Math.round(columns.alt[i]! * 100), ti = Math.round(columns.time[i]!);
    out[k * 4] = la - lat;
    out[k * 4 + 1] = lo - lon;
    out[k * 4 + 2] = al - alt;
    out[k * 4 + 3] = ti - time;
    lat = la; lon = lo; alt = al; time = ti;
  }
  return out;
}

/** The points of a packed trail (a trailing incomplete point, which packTrail never makes, is ignored). */
export function unpackTrail(packed: readonly number[]): TrailPoint[] {
  const n = Math.floor(packed.length / 4);
  const out = new Array<TrailPoint>(n);
  let lat = 0, lon = 0, alt = 0, time = 0;
  for (let k = 0; k < n; k++) {
    lat += packed[k * 4]!;
    lon += packed[k * 4 + 1]!;
    alt += packed[k * 4 + 2]!;
    time += packed[k * 4 + 3]!;
    out[k] = { lat: lat / 1e7, lon: lon / 1e7, altAmsl: alt / 100, time };
  }
  return out;
}

/** Columns of a trail held as points (a cluster's mirrored trails, tests). */
export function trailColumns(points: readonly TrailPoint[]): TrailColumns {
  return {
    lat: points.map((p) => p.lat), lon: points.map((p) => p.lon), alt: points.map((p) => p.altAmsl), time: points.map((p) => p.time),
    length: points.length,
  };
}
