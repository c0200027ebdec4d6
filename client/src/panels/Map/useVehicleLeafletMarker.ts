import L from "leaflet";
import { useEffect, useLayoutEffect, useState } from "react";
import { useMap } from "react-leaflet";

export interface VehicleMarkerState {
  lat: number;
  lon: number;
  icon: L.DivIcon;
  label: string;
  zIndexOffset: number;
  title: string;
}

/**
 * One Leaflet marker for the component's lifetime, updated in place. Managed by hand (not with
 * react-leaflet's <Marker>) so that icon swap, position, label text and test attributes all change in
 * one layout effect, before paint: a swapped (cached) icon never shows a stale label or position.
 */
export function useVehicleLeafletMarker(state: VehicleMarkerState, onClick: () => void): void {
  const map = useMap();
  const [marker] = useState(() => L.marker([state.lat, state.lon], { icon: state.icon, title: state.title, keyboard: false }));

  useLayoutEffect(() => {
    marker.addTo(map);
    return () => {
      marker.remove();
    };
  }, [map, marker]);

  const { lat, lon, icon, label, zIndexOffset } = state;
  useLayoutEffect(() => {
    const at = marker.getLatLng();
    if (at.lat !== lat || at.lng !== lon) marker.setLatLng([lat, lon]);
    if (marker.options.icon !== icon) marker.setIcon(icon);
    if (marker.options.zIndexOffset !== zIndexOffset) marker.setZIndexOffset(zIndexOffset);
    const root = marker.getElement()?.firstElementChild;
    if (!root) return;
    root.setAttribute("data-lat", String(lat));
    root.setAttribute("data-lon", String(lon));
    const text = root.querySelector(".vlabel__text");
    if (text && text.textContent !== label) text.textContent = label;
  }, [marker, lat, lon, icon, label, zIndexOffset]);

  useEffect(() => {
    marker.on("click", onClick);
    return () => {
      marker.off("click", onClick);
    };
  }, [marker, onClick]);
}
