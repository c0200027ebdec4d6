import type { FitBoundsOptions, Map as LeafletMap } from "leaflet";
import type { AppData } from "../../store";
import type { IncidentMarker } from "../../../../server/protocol";
import { collectBounds, type LatLonBounds } from "./geometry";

/** Zoom used when everything to show is a single point (one vehicle on its home). */
const SINGLE_POINT_ZOOM = 17;
/** Beyond this a fit shows a few metres of ground: no help in finding anything. */
const FIT_MAX_ZOOM = 18;

/**
 * Room around what is fitted: vehicle labels stick out ~130 px to the right of their marker, the map's buttons
 * take the top edge, the scale and notices the bottom. Without it labels and item numbers clip at the edges.
 */
export const FIT_PADDING: FitBoundsOptions = { paddingTopLeft: [40, 64], paddingBottomRight: [140, 48], maxZoom: FIT_MAX_ZOOM };

export type FitTarget = { kind: "point"; at: [number, number] } | { kind: "bounds"; bounds: LatLonBounds };

/** Where the view should go to show all of `bounds`: null for nothing, a point (zoomed in) for one place. */
export function fitTarget(bounds: LatLonBounds | null): FitTarget | null {
  if (!bounds) return null;
  const [[south, west], [north, east]] = bounds;
  return south === north && west === east ? { kind: "point", at: [south, west] } : { kind: "bounds", bounds };
}

/** The box around two boxes (either may be missing). */
export function unionBounds(a: LatLonBounds | null, b: LatLonBounds | null): LatLonBounds | null {
  if (!a || !b) return a ?? b;
  return [[Math.min(a[0][0], b[0][0]), Math.min(a[0][1], b[0][1])], [Math.max(a[1][0], b[1][0]), Math.max(a[1][1], b[1][1])]];
}

/** The box around some points (a mission's), or null. */
export function pointsBounds(points: readonly { lat: number; lon: number }[]): LatLonBounds | null {
  const ok = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  if (ok.length === 0) return null;
  const lats = ok.map((p) => p.lat);
  const lons = ok.map((p) => p.lon);
  return [[Math.min(...lats), Math.min(...lons)], [Math.max(...lats), Math.max(...lons)]];
}

/**
 * Fits without animation. Leaflet drops a zoom asked for while a zoom animation runs, and the map's box often changes
 * size just after a fit (the planner's panel opens, the charts load): the refit for the new size would be lost, and
 * an invalidateSize() in mid-animation can leave the view at the old zoom altogether.
 */
export function applyFit(map: LeafletMap, target: FitTarget | null): boolean {
  if (!target) return false;
  if (target.kind === "point") map.setView(target.at, Math.max(map.getZoom(), SINGLE_POINT_ZOOM), { animate: false });
  else map.fitBounds(target.bounds, { ...FIT_PADDING, animate: false });
  return true;
}

/** Fits the view to every vehicle, home and trail, and `extra` (the mission shown). False when there is nothing. */
export function fitAll(map: LeafletMap, state: Pick<AppData, "vehicles" | "trails"> & Partial<Pick<AppData, "incidents">>, extra: LatLonBounds | null = null): boolean {
  const vehicles = Object.values(state.vehicles);
  const bounds = collectBounds(vehicles, vehicles.map((v) => state.trails[v.key] ?? []));
  return applyFit(map, fitTarget(unionBounds(unionBounds(bounds, incidentBounds(state.incidents ?? [])), extra)));
}

/** Where the open incidents are: an area's corners, a point's circle (its radius in degrees of latitude, roughly). */
export function incidentBounds(incidents: readonly IncidentMarker[]): LatLonBounds | null {
  const points = incidents.flatMap((i) => {
    if (i.location.kind === "area") return i.location.points;
    const d = i.location.radiusM / 111_320;
    return [{ lat: i.location.lat - d, lon: i.location.lon - d }, { lat: i.location.lat + d, lon: i.location.lon + d }];
  });
  return pointsBounds(points);
}
