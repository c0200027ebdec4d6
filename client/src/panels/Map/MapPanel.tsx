import "./leafletSetup";
import type { Map as LeafletMap } from "leaflet";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { MapContainer, ScaleControl } from "react-leaflet";
import { useAppStore } from "../../store";
import { IncidentLayer } from "../Incidents";
import { BaseTiles } from "./BaseTiles";
import { ConnectionBanner } from "./ConnectionBanner";
import { MapController, type MapFitRequest } from "./MapController";
import { MapToolbar } from "./MapToolbar";
import { OfflineGrid } from "./OfflineGrid";
import { tileNotice } from "./tiles";
import { VehicleLayer } from "./VehicleLayer";

/** Before any vehicle reports a position: a world view (replaced by an automatic fit on the first fix). */
const INITIAL_CENTER: [number, number] = [20, 0];
const INITIAL_ZOOM = 2;
/** Without tiles Leaflet has no zoom limit at all; beyond ~21 a drone display is meaningless. */
const MAX_ZOOM = 21;

/**
 * `children` are extra layers inside the map (mission editor, point picking), given by the pilot's view; `fit`
 * what the view should also show (the mission) and when to fit to it.
 */
export function MapPanel({ children, fit }: { children?: ReactNode; fit?: MapFitRequest }) {
  const tileUrl = useAppStore((s) => s.config.tileUrl);
  const attribution = useAppStore((s) => s.config.tileAttribution);
  const [map, setMap] = useState<LeafletMap | null>(null);
  // Which source failed, so a new tile URL from the server starts out trusted again.
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const failing = tileUrl !== null && failedUrl === tileUrl;
  const onFailingChange = useCallback((now: boolean) => setFailedUrl(now ? tileUrl : null), [tileUrl]);

  // MapContainer does not forward data-* props to its element; the e2e tests look for this hook.
  useEffect(() => {
    map?.getContainer().setAttribute("data-testid", "map");
  }, [map]);

  return (
    <section className={tileUrl && !failing ? "map-panel" : "map-panel map-panel--no-tiles"} aria-label="Map">
      <MapContainer
        ref={setMap}
        className="map"
        center={INITIAL_CENTER}
        zoom={INITIAL_ZOOM}
        minZoom={2}
        maxZoom={MAX_ZOOM}
        worldCopyJump
      >
        {tileUrl ? (
          <BaseTiles key={tileUrl} url={tileUrl} attribution={attribution} maxZoom={MAX_ZOOM} failing={failing} onFailingChange={onFailingChange} />
        ) : <OfflineGrid />}
        <ScaleControl position="bottomleft" imperial={false} maxWidth={160} />
        <IncidentLayer />
        {children}
        <VehicleLayer />
        <MapController fit={fit} />
      </MapContainer>
      <MapToolbar map={map} extra={fit?.bounds ?? null} />
      <ConnectionBanner />
      {!tileUrl && <div className="map-panel__notice">No base map: vehicles, trails and scale only</div>}
      {tileUrl && failing && (
        <div className="map-panel__notice map-panel__notice--warn" role="status" data-testid="tiles-failing">{tileNotice(tileUrl, window.location.href)}</div>
      )}
    </section>
  );
}
