import L from "leaflet";
import { homeIconHtml, VEHICLE_ICON_SIZE, vehicleIconHtml, type VehicleIconSpec } from "./iconHtml";

const HOME_ICON_SIZE = 22;

/**
 * Memoises Leaflet icons: a marker only gets a new icon (and Leaflet rebuilds its element) when the
 * colour, the rounded heading, staleness or selection changes, not on every frame. One cache per map.
 */
export class IconCache {
  private readonly vehicles = new Map<string, L.DivIcon>();
  private readonly homes = new Map<string, L.DivIcon>();

  vehicle(spec: VehicleIconSpec, lat: number, lon: number): L.DivIcon {
    const id = `${spec.sysid}:${spec.compid}|${spec.colour}|${spec.heading ?? "-"}|${spec.stale ? 1 : 0}|${spec.selected ? 1 : 0}`;
    let icon = this.vehicles.get(id);
    if (!icon) {
      icon = L.divIcon({
        html: vehicleIconHtml(spec, lat, lon),
        className: "vehicle-divicon",
        iconSize: [VEHICLE_ICON_SIZE, VEHICLE_ICON_SIZE],
        iconAnchor: [VEHICLE_ICON_SIZE / 2, VEHICLE_ICON_SIZE / 2],
        tooltipAnchor: [VEHICLE_ICON_SIZE / 2, 0],
      });
      this.vehicles.set(id, icon);
    }
    return icon;
  }

  home(sysid: number, compid: number, colour: string): L.DivIcon {
    const id = `${sysid}:${compid}|${colour}`;
    let icon = this.homes.get(id);
    if (!icon) {
      icon = L.divIcon({
        html: homeIconHtml(sysid, compid, colour),
        className: "home-divicon",
        iconSize: [HOME_ICON_SIZE, HOME_ICON_SIZE],
        iconAnchor: [HOME_ICON_SIZE / 2, HOME_ICON_SIZE / 2],
      });
      this.homes.set(id, icon);
    }
    return icon;
  }
}
