import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import { distance } from "@turf/distance";
import { polygon } from "@turf/helpers";
import type { LatLon, Mission, VehicleKey, VehicleState } from "../protocol";
import { Episode } from "./episode";
import type { Reading } from "./episode";
import type { AlertTuning } from "./tuning";

export type Fence = Mission["fence"];

export interface Zone {
  inclusion: boolean;
  /** Metres inside the zone's boundary (negative: outside). */
  depth(p: LatLon): number;
}

const EARTH_RADIUS_M = 6_371_008.8; // turf's mean radius, so both distances agree
const RAD = Math.PI / 180;

/**
 * Distance from p to the nearest edge of a ring, metres, on a local flat projection around p: fences span
 * hundreds of metres, where the flat error is far below GPS noise (and turf's point-to-line is not installed).
 */
function edgeDistance(p: LatLon, ring: readonly LatLon[]): number {
  const k = Math.cos(p.lat * RAD);
  const xy = (q: LatLon): [number, number] => [(q.lon - p.lon) * RAD * k * EARTH_RADIUS_M, (q.lat - p.lat) * RAD * EARTH_RADIUS_M];
  let best = Infinity;
  ring.forEach((a, i) => {
    const [ax, ay] = xy(a);
    const [bx, by] = xy(ring[(i + 1) % ring.length] ?? a);
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  });
  return best;
}

function polygonZone(inclusion: boolean, points: readonly LatLon[]): Zone {
  const ring = points.map((q) => [q.lon, q.lat]);
  const first = ring[0];
  if (first) ring.push(first);
  const shape = polygon([ring]);
  return {
    inclusion,
    depth: (p) => (booleanPointInPolygon([p.lon, p.lat], shape) ? 1 : -1) * edgeDistance(p, points),
  };
}

/**
 * Fences as zones, cached per fence object: fenceOf() is asked every tick for every vehicle and the fence
 * rarely changes. One per engine (no module state).
 */
export class FenceZones {
  private readonly cache = new WeakMap<Fence, Zone[]>();

  of(fence: Fence): Zone[] {
    const cached = this.cache.get(fence);
    if (cached) return cached;
    const zones = zonesOf(fence);
    this.cache.set(fence, zones);
    return zones;
  }
}

/** The fence as zones; polygons of fewer than 3 points (not a fence ArduPilot would accept) are left out. */
export function zonesOf(fence: Fence): Zone[] {
  return [
    ...fence.polygons.filter((poly) => poly.points.length >= 3).map((poly) => polygonZone(poly.inclusion, poly.points)),
    ...fence.circles.map((c): Zone => ({
      inclusion: c.inclusion,
      depth: (p) => c.radius - distance([c.center.lon, c.center.lat], [p.lon, p.lat], { units: "meters" }),
    })),
  ];
}

export interface Breach {
  /** Metres outside every inclusion zone, or inside an exclusion zone (the larger if both). */
  metres: number;
  outside: boolean;
  excluded: boolean;
}

/**
 * Where p stands against the fence: a breach when there are inclusion zones and p is outside all of them, or
 * when p is inside any exclusion zone (ArduPilot's polygon fence semantics). `margin`: how far inside it is.
 */
export function fenceCheck(p: LatLon, zones: readonly Zone[]): { breach: Breach | null; margin: number } {
  const inclusions = zones.filter((z) => z.inclusion).map((z) => z.depth(p));
  const exclusions = zones.filter((z) => !z.inclusion).map((z) => -z.depth(p));
  const inside = inclusions.length === 0 ? Infinity : Math.max(...inclusions);
  const clearOfExclusions = exclusions.length === 0 ? Infinity : Math.min(...exclusions);
  const margin = Math.min(inside, clearOfExclusions);
  if (margin >= 0) return { breach: null, margin };
  return { breach: { metres: -margin, outside: inside < 0, excluded: clearOfExclusions < 0 }, margin };
}

export function fenceEpisode(key: VehicleKey, tuning: AlertTuning) {
  return new Episode<Breach>(key, {
    rule: "geofence_breach",
    severity: "critical",
    raiseAfterMs: 0,
    clearAfterMs: tuning.clearAfterMs,
    worse: (a, b) => ({ metres: Math.max(a.metres, b.metres), outside: a.outside || b.outside, excluded: a.excluded || b.excluded }),
    text: (w) => {
      const where = [w.outside ? "outside the fence" : "", w.excluded ? "inside an exclusion zone" : ""].filter(Boolean).join(" and ");
      return `Geofence breach: ${Math.round(w.metres)} m ${where}`;
    },
  });
}

/** Not flying, or no fence: nothing to breach (a fence removed mid-breach ends the episode). */
export function readFence(v: VehicleState, zones: readonly Zone[], tuning: AlertTuning): Reading<Breach> | null {
  if (!v.armed || zones.length === 0) return { raise: false, clear: true };
  if (v.position === null) return null;
  const { breach, margin } = fenceCheck(v.position, zones);
  if (breach) return { raise: true, clear: false, value: breach };
  return { raise: false, clear: margin >= tuning.fenceClearM };
}
