import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import { distance } from "@turf/distance";
import { polygon } from "@turf/helpers";
import type { FenceBreachType, LatLon, Mission, VehicleKey, VehicleState } from "../protocol";
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

/** A breach the vehicle reports (FENCE_STATUS), named by its breach type and, when it said so, its own words. */
export interface VehicleBreach {
  type: FenceBreachType;
  /** The fence the vehicle named in its text ("Polygon", "Circle", "Max alt"), or null. */
  named: string | null;
  count: number;
}

export interface FenceWorst {
  vehicle: VehicleBreach | null;
  geometric: Breach | null;
}

const BREACH_WORDS: Readonly<Record<FenceBreachType, string>> = {
  none: "fence", min_alt: "minimum altitude fence", max_alt: "maximum altitude fence", boundary: "boundary fence (polygon or circle)",
};

function vehicleWords(b: VehicleBreach): string {
  const what = b.named === null ? BREACH_WORDS[b.type] : `${b.named.toLowerCase()} fence`;
  return `vehicle reports ${what} breached${b.count > 1 ? ` (breach ${b.count})` : ""}`;
}

function geometricWords(w: Breach): string {
  const where = [w.outside ? "outside the fence" : "", w.excluded ? "inside an exclusion zone" : ""].filter(Boolean).join(" and ");
  return `${Math.round(w.metres)} m ${where}`;
}

/** The vehicle's own text about a breach: "Polygon fence breached", "Circle fence breached", "Max alt fence breached". */
export function fenceNameOfText(text: string): string | null {
  const m = /^\s*(.*?)\s*fence breach(ed)?\b/i.exec(text);
  if (!m || /cleared/i.test(text)) return null;
  const name = (m[1] ?? "").trim();
  return name === "" ? null : name;
}

/**
 * One geofence rule, two sources, never two alerts: FENCE_STATUS is the authority for every fence the vehicle
 * enforces (uploaded by us or set by its parameters: FENCE_TYPE, FENCE_RADIUS, FENCE_ALT_MAX); the geometric check
 * against the fence verified on the vehicle is used only for a vehicle that does not report FENCE_STATUS (its own
 * fence disabled), as an early warning of the same episode.
 */
export function fenceEpisode(key: VehicleKey, tuning: AlertTuning) {
  return new Episode<FenceWorst>(key, {
    rule: "geofence_breach",
    severity: "critical",
    raiseAfterMs: 0,
    clearAfterMs: tuning.vehicleClearMs,
    worse: (a, b) => ({
      vehicle: b.vehicle === null ? a.vehicle : { ...b.vehicle, named: b.vehicle.named ?? a.vehicle?.named ?? null },
      geometric: a.geometric === null ? b.geometric : b.geometric === null ? a.geometric : {
        metres: Math.max(a.geometric.metres, b.geometric.metres),
        outside: a.geometric.outside || b.geometric.outside,
        excluded: a.geometric.excluded || b.geometric.excluded,
      },
    }),
    text: (w) => `Geofence breach: ${[w.vehicle && vehicleWords(w.vehicle), w.geometric && geometricWords(w.geometric)]
      .filter(Boolean).join("; ")}`,
  });
}

/** FENCE_STATUS when the vehicle reports it; otherwise the fence we know against the position, while armed. */
export function readFence(v: VehicleState, zones: readonly Zone[], named: string | null, tuning: AlertTuning): Reading<FenceWorst> | null {
  const fence = v.fence ?? null;
  if (fence !== null) {
    if (!fence.breached) return { raise: false, clear: true };
    return { raise: true, clear: false, value: { vehicle: { type: fence.breachType, named, count: fence.breachCount }, geometric: null } };
  }
  if (!v.armed || zones.length === 0) return { raise: false, clear: true };
  if (v.position === null) return null;
  const { breach, margin } = fenceCheck(v.position, zones);
  if (breach) return { raise: true, clear: false, value: { vehicle: null, geometric: breach } };
  return { raise: false, clear: margin >= tuning.fenceClearM };
}
