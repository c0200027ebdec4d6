import "leaflet/dist/leaflet.css";
import type { Map as LeafletMap } from "leaflet";
import { useEffect, useState } from "react";
import { Circle, MapContainer, Polygon, ScaleControl, TileLayer } from "react-leaflet";
import type { IncidentLocation } from "../../../../server/protocol";
import { useAppStore } from "../../store";
import { locationBounds } from "./geometry";
import { INCIDENT_COLOUR } from "./IncidentLayer";

const PATH = { color: INCIDENT_COLOUR, weight: 2, fillOpacity: 0.12 };

/** The incident's place on a small map, fitted to it (read-only: Edit draws it). */
export function PlacePreview({ location }: { location: IncidentLocation }) {
  const tileUrl = useAppStore((s) => s.config.tileUrl);
  const attribution = useAppStore((s) => s.config.tileAttribution);
  const [map, setMap] = useState<LeafletMap | null>(null);
  const key = JSON.stringify(location);
  useEffect(() => {
    if (!map) return;
    map.getContainer().setAttribute("data-testid", "incident-place-preview");
    map.fitBounds(locationBounds(location), { padding: [24, 24], maxZoom: 18 });
    // `key` stands for `location`: the same place again is not a new fit
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, key]);
  return (
    <div className="incident-place__map incident-place__map--preview">
      <MapContainer ref={setMap} className="map" center={[20, 0]} zoom={2} minZoom={2} maxZoom={21}>
        {tileUrl && <TileLayer key={tileUrl} url={tileUrl} attribution={attribution} maxNativeZoom={19} maxZoom={21} />}
        <ScaleControl position="bottomleft" imperial={false} maxWidth={120} />
        {location.kind === "area"
          ? <Polygon positions={location.points.map((p) => [p.lat, p.lon] as [number, number])} interactive={false} pathOptions={PATH} />
          : <Circle center={[location.lat, location.lon]} radius={location.radiusM} interactive={false} pathOptions={PATH} />}
      </MapContainer>
    </div>
  );
}
