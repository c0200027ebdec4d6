import type { VehicleState } from "../../../../server/protocol";
import type { TrailPoint } from "../../store";

/** Heading in degrees for the marker: the reported heading, else the attitude yaw, else null (no arrow). */
export function displayHeading(v: Pick<VehicleState, "heading" | "attitude">): number | null {
  if (v.heading !== null && Number.isFinite(v.heading)) return v.heading;
  if (v.attitude && Number.isFinite(v.attitude.yaw)) return (v.attitude.yaw * 180) / Math.PI;
  return null;
}

/** Icons are cached per heading step: finer steps would not be visible and would multiply the cache. */
export const HEADING_STEP_DEG = 5;

export function roundHeading(degrees: number | null, step = HEADING_STEP_DEG): number | null {
  if (degrees === null) return null;
  const r = Math.round(degrees / step) * step;
  return ((r % 360) + 360) % 360;
}

export type LatLonBounds = [[number, number], [number, number]];

/** Box around every vehicle, trail point and home; null when there is nothing to show. */
export function collectBounds(
  vehicles: readonly Pick<VehicleState, "position" | "home">[],
  trails: readonly (readonly TrailPoint[])[],
): LatLonBounds | null {
  let minLat = Infinity;
  let minLon = Infinity;
  let maxLat = -Infinity;
  let maxLon = -Infinity;
  const add = (lat: number, lon: number) => {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
  };
  for (const v of vehicles) {
    if (v.position) add(v.position.lat, v.position.lon);
    if (v.home) add(v.home.lat, v.home.lon);
  }
  for (const trail of trails) for (const p of trail) add(p.lat, p.lon);
  return minLat === Infinity ? null : [[minLat, minLon], [maxLat, maxLon]];
}
