import { useEffect, useRef } from "react";
import { useMap, useMapEvent } from "react-leaflet";
import { useAppStore, useAppStoreApi } from "../../store";
import { fitAll } from "./fit";

/** Keeps the view in step with the store: follow mode, pan to a new selection, one automatic fit at start. */
export function MapController() {
  const map = useMap();
  const api = useAppStoreApi();
  const followed = useAppStore((s) => (s.follow && s.selectedKey ? (s.vehicles[s.selectedKey]?.position ?? null) : null));
  const selectedKey = useAppStore((s) => s.selectedKey);
  const anyPosition = useAppStore((s) => Object.values(s.vehicles).some((v) => v.position !== null));
  const fitted = useRef(false);

  // Follow: re-centre on every position update. No animation: at 10 Hz animations would pile up and lag.
  useEffect(() => {
    if (followed) map.panTo([followed.lat, followed.lon], { animate: false });
  }, [map, followed]);

  // A vehicle picked in the list may be off screen: bring it into view once.
  useEffect(() => {
    if (!selectedKey) return;
    const p = api.getState().vehicles[selectedKey]?.position;
    if (p && !map.getBounds().pad(-0.1).contains([p.lat, p.lon])) map.panTo([p.lat, p.lon]);
  }, [map, api, selectedKey]);

  // The first time there is anything to show, show all of it; after that the operator owns the view.
  useEffect(() => {
    if (anyPosition && !fitted.current) fitted.current = fitAll(map, api.getState());
  }, [map, api, anyPosition]);

  // Dragging the map means the operator wants to look elsewhere: stop following instead of fighting them.
  useMapEvent("dragstart", () => {
    if (api.getState().follow) api.getState().setFollow(false);
  });

  return null;
}
