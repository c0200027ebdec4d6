import { useEffect, useRef } from "react";
import { useMap, useMapEvent } from "react-leaflet";
import { useAppStore, useAppStoreApi } from "../../store";
import { applyFit, fitAll, fitTarget, unionBounds } from "./fit";
import { collectBounds, type LatLonBounds } from "./geometry";

/**
 * Something besides the vehicles that the view should show (the mission in the planner), and when: the view fits
 * once each time `key` changes (another vehicle selected, another plan loaded), never on edits in between.
 */
export interface MapFitRequest {
  key: string;
  bounds: LatLonBounds | null;
}

/**
 * Keeps the view in step with the store: follow mode, a fit (or pan) on a new selection or plan, one automatic fit
 * at start. Between those the operator owns the view.
 */
export function MapController({ fit }: { fit?: MapFitRequest }) {
  const map = useMap();
  const api = useAppStoreApi();
  const followed = useAppStore((s) => (s.follow && s.selectedKey ? (s.vehicles[s.selectedKey]?.position ?? null) : null));
  const selectedKey = useAppStore((s) => s.selectedKey);
  const anyPosition = useAppStore((s) => Object.values(s.vehicles).some((v) => v.position !== null));
  const fitted = useRef(false);
  const extra = useRef<LatLonBounds | null>(null);
  extra.current = fit?.bounds ?? null;
  const fitKey = fit?.key ?? null;

  // Follow: re-centre on every position update. No animation: at 10 Hz animations would pile up and lag.
  useEffect(() => {
    if (followed) map.panTo([followed.lat, followed.lon], { animate: false });
  }, [map, followed]);

  // A new selection or plan: show the selected vehicle with what it is to fly; with no plan, bring the vehicle
  // into view if it is off screen, without changing the zoom the operator chose.
  useEffect(() => {
    const vehicle = selectedKey ? api.getState().vehicles[selectedKey] : undefined;
    if (extra.current && !api.getState().follow) {
      applyFit(map, fitTarget(unionBounds(vehicle ? collectBounds([vehicle], []) : null, extra.current)));
      return;
    }
    const p = vehicle?.position;
    if (p && !map.getBounds().pad(-0.1).contains([p.lat, p.lon])) map.panTo([p.lat, p.lon]);
  }, [map, api, selectedKey, fitKey]);

  // The first time there is anything to show, show all of it; after that the operator owns the view.
  useEffect(() => {
    if (anyPosition && !fitted.current) fitted.current = fitAll(map, api.getState(), extra.current);
  }, [map, api, anyPosition]);

  // Dragging the map means the operator wants to look elsewhere: stop following instead of fighting them.
  useMapEvent("dragstart", () => {
    if (api.getState().follow) api.getState().setFollow(false);
  });

  return null;
}
