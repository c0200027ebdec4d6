import type { Map as LeafletMap } from "leaflet";
import type { AppData } from "../../store";
import { collectBounds } from "./geometry";

/** Zoom used when everything to show is a single point (one vehicle on its home). */
const SINGLE_POINT_ZOOM = 17;

/** Fits the view to every vehicle, home and trail. Returns false when there is nothing to fit. */
export function fitAll(map: LeafletMap, state: Pick<AppData, "vehicles" | "trails">): boolean {
  const vehicles = Object.values(state.vehicles);
  const bounds = collectBounds(vehicles, vehicles.map((v) => state.trails[v.key] ?? []));
  if (!bounds) return false;
  const [[south, west], [north, east]] = bounds;
  if (south === north && west === east) map.setView([south, west], Math.max(map.getZoom(), SINGLE_POINT_ZOOM));
  else map.fitBounds(bounds, { padding: [48, 48], maxZoom: 18 });
  return true;
}
