/**
 * Fence shapes as AC_PolyFence_loader reads them from the fence list (mission_type 1): polygon vertices
 * (MAV_CMD_NAV_FENCE_POLYGON_VERTEX_INCLUSION 5001 / _EXCLUSION 5002, param1 = vertex count) and circles
 * (MAV_CMD_NAV_FENCE_CIRCLE_INCLUSION 5003 / _EXCLUSION 5004, param1 = radius m), in metres north/east of the
 * vehicle's origin. A point breaches when it is outside any inclusion zone or inside any exclusion zone.
 */
import type { MissionItem } from "./mission";

export const FENCE_CMD = { POLY_INCLUSION: 5001, POLY_EXCLUSION: 5002, CIRCLE_INCLUSION: 5003, CIRCLE_EXCLUSION: 5004 } as const;

export interface NE {
  north: number;
  east: number;
}

export type Zone =
  | { kind: "polygon"; inclusion: boolean; vertices: NE[] }
  | { kind: "circle"; inclusion: boolean; centre: NE; radius: number };

/** Fence items into zones; `toNE` converts degE7 lat/lon. Incomplete polygons are dropped (ArduPilot refuses them). */
export function zonesOf(items: readonly MissionItem[], toNE: (lat: number, lon: number) => NE): Zone[] {
  const zones: Zone[] = [];
  for (let i = 0; i < items.length;) {
    const item = items[i]!;
    const at = toNE(item.x / 1e7, item.y / 1e7);
    if (item.command === FENCE_CMD.CIRCLE_INCLUSION || item.command === FENCE_CMD.CIRCLE_EXCLUSION) {
      zones.push({ kind: "circle", inclusion: item.command === FENCE_CMD.CIRCLE_INCLUSION, centre: at, radius: item.param1 });
      i++;
      continue;
    }
    if (item.command !== FENCE_CMD.POLY_INCLUSION && item.command !== FENCE_CMD.POLY_EXCLUSION) {
      i++;
      continue;
    }
    const count = Math.round(item.param1);
    const run = items.slice(i, i + count);
    if (count >= 3 && run.length === count && run.every((r) => r.command === item.command)) {
      zones.push({
        kind: "polygon", inclusion: item.command === FENCE_CMD.POLY_INCLUSION,
        vertices: run.map((r) => toNE(r.x / 1e7, r.y / 1e7)),
      });
    }
    i += Math.max(1, count);
  }
  return zones;
}

function inside(p: NE, zone: Zone): boolean {
  if (zone.kind === "circle") return Math.hypot(p.north - zone.centre.north, p.east - zone.centre.east) < zone.radius;
  let result = false;
  const v = zone.vertices;
  for (let i = 0, j = v.length - 1; i < v.length; j = i++) {
    const a = v[i]!;
    const b = v[j]!;
    if ((a.north > p.north) !== (b.north > p.north)
      && p.east < ((b.east - a.east) * (p.north - a.north)) / (b.north - a.north) + a.east) result = !result;
  }
  return result;
}

/** Distance from p to the zone's boundary, metres. */
function boundaryDistance(p: NE, zone: Zone): number {
  if (zone.kind === "circle") {
    return Math.abs(Math.hypot(p.north - zone.centre.north, p.east - zone.centre.east) - zone.radius);
  }
  let best = Infinity;
  const v = zone.vertices;
  for (let i = 0, j = v.length - 1; i < v.length; j = i++) best = Math.min(best, segmentDistance(p, v[j]!, v[i]!));
  return best;
}

function segmentDistance(p: NE, a: NE, b: NE): number {
  const dn = b.north - a.north;
  const de = b.east - a.east;
  const len2 = dn * dn + de * de;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.north - a.north) * dn + (p.east - a.east) * de) / len2));
  return Math.hypot(p.north - (a.north + t * dn), p.east - (a.east + t * de));
}

/** How far outside the zones p is (metres, the largest breach), or null when it breaches none. */
export function zoneBreach(p: NE, zones: readonly Zone[]): number | null {
  let worst: number | null = null;
  for (const zone of zones) {
    if (inside(p, zone) === zone.inclusion) continue;
    const d = boundaryDistance(p, zone);
    worst = worst === null ? d : Math.max(worst, d);
  }
  return worst;
}
