import "leaflet/dist/leaflet.css";
import type { Map as LeafletMap } from "leaflet";
import { useEffect, useState } from "react";
import { Circle, CircleMarker, MapContainer, Polygon, Polyline, ScaleControl, TileLayer, useMapEvents } from "react-leaflet";
import type { IncidentLocation, LatLon } from "../../../../server/protocol";
import { useAppStore } from "../../store";
import { describeLocation } from "./format";
import { locationBounds } from "./geometry";
import { INCIDENT_COLOUR } from "./IncidentLayer";
import { addCorner, closeArea, parseLatLon, placePoint, type PlaceTool } from "./place";

const MAX_ZOOM = 21;
/** Close enough to a street to click corners of a block. */
const GO_TO_ZOOM = 16;
const ll = (p: LatLon): [number, number] => [p.lat, p.lon];

function Clicks({ tool, onClick, onDouble }: { tool: PlaceTool; onClick: (p: LatLon) => void; onDouble: () => void }) {
  const map = useMapEvents({
    click: (e) => onClick({ lat: e.latlng.lat, lon: e.latlng.lng }),
    dblclick: () => onDouble(),
  });
  // A double-click closes an area: it must not also zoom the map.
  useEffect(() => {
    if (tool === "area") map.doubleClickZoom.disable();
    else map.doubleClickZoom.enable();
  }, [map, tool]);
  return null;
}

export interface PlaceEditorProps {
  value: IncidentLocation | null;
  onChange: (next: IncidentLocation | null) => void;
  problem?: string;
}

/** Draws an incident's place: a point with a radius, or an area clicked corner by corner. */
export function PlaceEditor({ value, onChange, problem }: PlaceEditorProps) {
  const tileUrl = useAppStore((s) => s.config.tileUrl);
  const attribution = useAppStore((s) => s.config.tileAttribution);
  const [map, setMap] = useState<LeafletMap | null>(null);
  const [tool, setTool] = useState<PlaceTool>("none");
  const [pending, setPending] = useState<LatLon[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [goTo, setGoTo] = useState("");

  useEffect(() => {
    map?.getContainer().setAttribute("data-testid", "incident-place-map");
  }, [map]);
  // The map opens on the place already set (an edit), once it exists.
  useEffect(() => {
    if (map && value) map.fitBounds(locationBounds(value), { padding: [24, 24], maxZoom: 18 });
    // only when the map appears: later changes are the user's own drawing
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map]);

  const choose = (next: PlaceTool) => {
    setTool(next);
    setPending([]);
    setMessage(next === "point" ? "Click the map where it happened." : next === "area" ? "Click each corner; double-click or Done to close." : null);
  };
  const finish = () => {
    const r = closeArea(pending);
    if (!r.ok) return setMessage(r.message);
    onChange(r.location);
    setPending([]);
    setTool("none");
    setMessage(null);
  };
  const click = (p: LatLon) => {
    if (tool === "point") onChange(placePoint(p, value));
    if (tool === "area") setPending((old) => addCorner(old, p));
  };
  const go = () => {
    const p = parseLatLon(goTo);
    if (!p) return setMessage("Type a place as latitude, longitude (e.g. 51.5074, -0.1278).");
    map?.setView(ll(p), GO_TO_ZOOM);
    setMessage(null);
  };

  return (
    <fieldset className="incident-place" data-testid="incident-place">
      <legend>Place</legend>
      <div className="incident-place__tools" role="toolbar" aria-label="Place tools">
        <button type="button" className={`btn btn--small${tool === "point" ? " btn--active" : ""}`} aria-pressed={tool === "point"}
          onClick={() => choose(tool === "point" ? "none" : "point")}>Point</button>
        <button type="button" className={`btn btn--small${tool === "area" ? " btn--active" : ""}`} aria-pressed={tool === "area"}
          onClick={() => choose(tool === "area" ? "none" : "area")}>Area</button>
        {tool === "area" && <button type="button" className="btn btn--small" onClick={finish}>Done</button>}
        <button type="button" className="btn btn--small" onClick={() => { onChange(null); choose("none"); }}>Clear</button>
        {value?.kind === "point" && (
          <label className="incident-place__radius">
            Radius (m)
            <input type="number" min={1} max={50_000} step={1} value={value.radiusM}
              onChange={(e) => onChange({ ...value, radiusM: Number(e.target.value) })} />
          </label>
        )}
        <span className="topbar__spacer" />
        <input className="incident-place__goto" aria-label="Centre the map on (latitude, longitude)" placeholder="lat, lon"
          value={goTo} onChange={(e) => setGoTo(e.target.value)} onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); go(); } }} />
        <button type="button" className="btn btn--small" onClick={go}>Go</button>
      </div>
      <div className={tool === "none" ? "incident-place__map" : "incident-place__map incident-place__map--drawing"}>
        <MapContainer ref={setMap} className="map" center={[20, 0]} zoom={2} minZoom={2} maxZoom={MAX_ZOOM} worldCopyJump>
          {tileUrl && <TileLayer key={tileUrl} url={tileUrl} attribution={attribution} maxNativeZoom={19} maxZoom={MAX_ZOOM} />}
          <ScaleControl position="bottomleft" imperial={false} maxWidth={120} />
          <Clicks tool={tool} onClick={click} onDouble={() => { if (tool === "area") finish(); }} />
          {value?.kind === "area" && <Polygon positions={value.points.map(ll)} interactive={false} pathOptions={{ color: INCIDENT_COLOUR, weight: 2 }} />}
          {value?.kind === "point" && (
            <>
              <Circle center={[value.lat, value.lon]} radius={value.radiusM} interactive={false} pathOptions={{ color: INCIDENT_COLOUR, weight: 2 }} />
              <CircleMarker center={[value.lat, value.lon]} radius={5} interactive={false} pathOptions={{ color: INCIDENT_COLOUR, fillOpacity: 1 }} />
            </>
          )}
          {pending.length > 0 && <Polyline positions={pending.map(ll)} interactive={false} pathOptions={{ color: INCIDENT_COLOUR, weight: 2, dashArray: "4 6" }} />}
          {pending.map((p, i) => <CircleMarker key={i} center={ll(p)} radius={4} interactive={false} pathOptions={{ color: INCIDENT_COLOUR }} />)}
        </MapContainer>
      </div>
      <p className="incident-place__state" data-testid="incident-place-state">
        {tool === "area" && pending.length > 0 ? `Drawing an area: ${pending.length} ${pending.length === 1 ? "corner" : "corners"}` : describeLocation(value)}
      </p>
      {message && <p className="incident-place__hint" role="status">{message}</p>}
      {problem && <p className="tone--danger" role="alert">{problem}</p>}
    </fieldset>
  );
}
