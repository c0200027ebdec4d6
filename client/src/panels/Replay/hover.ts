import type { TrailPoint, VehicleKey } from "../../../../server/protocol";

export interface HoverPoint {
  key: VehicleKey;
  lat: number;
  lon: number;
}

/** The trail point at or just before `time` (binary search: trails are in time order and may hold thousands). */
export function pointAt(trail: readonly TrailPoint[], time: number): TrailPoint | null {
  let lo = 0;
  let hi = trail.length - 1;
  let found: TrailPoint | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = trail[mid];
    if (!p) break;
    if (p.time <= time) {
      found = p;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Where each vehicle was at a hovered moment, from the flown part of its track (the replay's trails). A moment
 * not played yet has no trail point: nothing is previewed there rather than a guess.
 */
export function hoverPoints(trails: Readonly<Record<VehicleKey, readonly TrailPoint[]>>, time: number): HoverPoint[] {
  const out: HoverPoint[] = [];
  for (const [key, trail] of Object.entries(trails) as [VehicleKey, readonly TrailPoint[]][]) {
    const p = pointAt(trail, time);
    const last = trail[trail.length - 1];
    if (p && last && time <= last.time) out.push({ key, lat: p.lat, lon: p.lon });
  }
  return out;
}
