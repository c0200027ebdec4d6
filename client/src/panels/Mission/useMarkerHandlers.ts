import type L from "leaflet";
import type { LeafletEventHandlerFnMap } from "leaflet";
import { useMemo } from "react";
import type { LatLon } from "../../../../server/protocol";

/** Stable Leaflet handlers for a draggable marker: react-leaflet rebinds whenever the handler object changes. */
export function useMarkerHandlers(handlers: { drop?: (at: LatLon) => void; click?: () => void; remove?: () => void }): LeafletEventHandlerFnMap {
  const { drop, click, remove } = handlers;
  return useMemo(() => {
    const map: LeafletEventHandlerFnMap = {};
    if (drop) {
      map.dragend = (e) => {
        const p = (e.target as L.Marker).getLatLng();
        drop({ lat: p.lat, lon: p.lng });
      };
    }
    if (click) map.click = () => click();
    if (remove) {
      map.contextmenu = (e) => {
        // Right-click deletes; the browser menu would hide the map.
        e.originalEvent.preventDefault();
        remove();
      };
    }
    return map;
  }, [drop, click, remove]);
}
