import "./leafletSetup";
import type { Map as LeafletMap } from "leaflet";
import { useEffect, useState, type ReactNode } from "react";
import { MapContainer, ScaleControl, TileLayer } from "react-leaflet";
import { useAppStore } from "../../store";
import { ConnectionBanner } from "./ConnectionBanner";
import { MapController } from "./MapController";
import { MapToolbar } from "./MapToolbar";
import { OfflineGrid } from "./OfflineGrid";
import { VehicleLayer } from "./VehicleLayer";

/** Before any vehicle reports a position: a world view (replaced by an automatic fit on the first fix). */
const INITIAL_CENTER: [number, number] = [20, 0];
const INITIAL_ZOOM = 2;
/** Without tiles Leaflet has no zoom limit at all; beyond ~21 a drone display is meaningless. */
const MAX_ZOOM = 21;

/** `children` are extra layers inside the map (mission editor, point picking), given by the pilot's view. */
export function MapPanel({ children }: { children?: ReactNode }) {
  const tileUrl = useAppStore((s) => s.config.tileUrl);
  const attribution = useAppStore((s) => s.config.tileAttribution);
  const [map, setMap] = useState<LeafletMap | null>(null);

  // MapContainer does not forward data-* props to its element; the e2e tests look for this hook.
  useEffect(() => {
    map?.getContainer().setAttribute("data-testid", "map");
  }, [map]);

  return (
    <section className={tileUrl ? "map-panel" : "map-panel map-panel--no-tiles"} aria-label="Map">
      <MapContainer
        ref={setMap}
        className="map"
        center={INITIAL_CENTER}
        zoom={INITIAL_ZOOM}
        minZoom={2}
        maxZoom={MAX_ZOOM}
        worldCopyJump
      >
        {tileUrl ? <TileLayer key={tileUrl} url={tileUrl} attribution={attribution} maxNativeZoom={19} maxZoom={MAX_ZOOM} /> : <OfflineGrid />}
        <ScaleControl position="bottomleft" imperial={false} maxWidth={160} />
        {children}
        <VehicleLayer />
        <MapController />
      </MapContainer>
      <MapToolbar map={map} />
      <ConnectionBanner />
      {!tileUrl && <div className="map-panel__notice">No base map: vehicles, trails and scale only</div>}
    </section>
  );
}
