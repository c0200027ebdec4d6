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
  // Open incidents count too: a control room with no drone up yet still sees where the jobs are.
  const anyPosition = useAppStore((s) => Object.values(s.vehicles).some((v) => v.position !== null) || s.incidents.length > 0);
  const fitted = useRef(false);
  /** The last automatic fit, redone when the map changes size until the operator moves the map. */
  const autoFit = useRef<(() => void) | null>(null);
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
      const bounds = unionBounds(vehicle ? collectBounds([vehicle], []) : null, extra.current);
      autoFit.current = () => applyFit(map, fitTarget(bounds));
      autoFit.current();
      return;
    }
    const p = vehicle?.position;
    if (p && !map.getBounds().pad(-0.1).contains([p.lat, p.lon])) map.panTo([p.lat, p.lon]);
  }, [map, api, selectedKey, fitKey]);

  // The first time there is anything to show, show all of it; after that the operator owns the view.
  useEffect(() => {
    if (anyPosition && !fitted.current) {
      fitted.current = fitAll(map, api.getState(), extra.current);
      if (fitted.current) autoFit.current = () => fitAll(map, api.getState(), extra.current);
    }
  }, [map, api, anyPosition]);

  // The map's box changes size (panels below it load, the window is resized): Leaflet must be told, and a fit made
  // for the old size is made again, unless the operator has moved the map since.
  useEffect(() => {
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      map.invalidateSize();
      autoFit.current?.();
    });
    observer.observe(map.getContainer());
    return () => observer.disconnect();
  }, [map]);

  // Dragging the map means the operator wants to look elsewhere: stop following instead of fighting them.
  useMapEvent("dragstart", () => {
    autoFit.current = null;
    if (api.getState().follow) api.getState().setFollow(false);
  });

  // Zooming by hand (wheel, double click, pinch, the zoom buttons, the keyboard) also makes the view the operator's:
  // no later automatic fit undoes it. Leaflet's zoom events cannot tell a hand from a fit, so the gestures are heard.
  useEffect(() => {
    const el = map.getContainer();
    const mine = () => {
      autoFit.current = null;
    };
    const onClick = (e: MouseEvent) => {
      if (e.target instanceof Element && e.target.closest(".leaflet-control-zoom")) mine();
    };
    const onKey = (e: KeyboardEvent) => {
      if (["+", "-", "=", "_"].includes(e.key) || e.key.startsWith("Arrow")) mine();
    };
    el.addEventListener("wheel", mine, { passive: true });
    el.addEventListener("dblclick", mine);
    el.addEventListener("touchstart", mine, { passive: true });
    el.addEventListener("click", onClick);
    el.addEventListener("keydown", onKey);
    return () => {
      el.removeEventListener("wheel", mine);
      el.removeEventListener("dblclick", mine);
      el.removeEventListener("touchstart", mine);
      el.removeEventListener("click", onClick);
      el.removeEventListener("keydown", onKey);
    };
  }, [map]);

  return null;
}
