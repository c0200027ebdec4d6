import "leaflet/dist/leaflet.css";
import type { Map as LeafletMap } from "leaflet";
import { useEffect, useMemo, useRef, useState } from "react";
import { CircleMarker, MapContainer, Polyline, ScaleControl, TileLayer, Tooltip, useMap, useMapEvents } from "react-leaflet";
import type { FlightPlace } from "../../../../server/protocol";
import { useAppStore } from "../../store";
import { trackBounds, type LatLonBounds, type TrackLine, type ViewEdges } from "./geo";

const MAX_ZOOM = 21;
/** A flight that never moved is one point: show its surroundings, not the whole world. */
const SINGLE_POINT_ZOOM = 17;
const TRACK_COLOUR = "#4fc3f7";
const TAKEOFF_COLOUR = "#3fb950";
const LANDING_COLOUR = "#e3b341";

/** Room around a fitted track, so its ends and the take-off and landing markers do not touch the edges. */
const TRACK_PADDING = { padding: [36, 36] as [number, number], maxZoom: 18 };

/**
 * Fits the map to the track of the selected flight, or to where the listed flights are when none is selected (not
 * the whole world), each time that changes; and again when the map gets its size (a fit on a map not yet laid out,
 * hidden or resized, would be computed from the wrong size and clip the track).
 */
function FitTrack({ bounds }: { bounds: LatLonBounds | null }) {
  const map = useMap();
  const key = bounds ? bounds.flat().join(",") : "";
  const fitted = useRef<string | null>(null);
  useEffect(() => {
    const fit = () => {
      if (!bounds || fitted.current === key) return;
      const size = map.getSize();
      if (size.x === 0 || size.y === 0) return;
      fitted.current = key;
      const [[south, west], [north, east]] = bounds;
      if (south === north && west === east) map.setView([south, west], SINGLE_POINT_ZOOM);
      else map.fitBounds(bounds, TRACK_PADDING);
    };
    fit();
    const container = map.getContainer();
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => {
      map.invalidateSize();
      // A size change after the fit: fit again to the new size.
      fitted.current = null;
      fit();
    });
    observer?.observe(container);
    return () => observer?.disconnect();
    // `key` stands for `bounds` (a new array with the same corners is the same fit)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map, key]);
  return null;
}

/** Tells the page where the map looks (for the "only flights in the current map view" filter). */
function ReportView({ onView }: { onView: (edges: ViewEdges) => void }) {
  const latest = useRef(onView);
  useEffect(() => {
    latest.current = onView;
  }, [onView]);
  const map = useMapEvents({
    moveend: () => report(),
  });
  function report() {
    const b = map.getBounds();
    latest.current({ west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() });
  }
  useEffect(() => {
    map.whenReady(report);
    // once, when the map is ready
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [map]);
  return null;
}

function Place({ place, label, colour }: { place: FlightPlace | null; label: string; colour: string }) {
  if (!place) return null;
  return (
    <CircleMarker center={[place.lat, place.lon]} radius={7} pathOptions={{ color: "#05080c", weight: 2, fillColor: colour, fillOpacity: 1 }}>
      <Tooltip>{label}</Tooltip>
    </CircleMarker>
  );
}

export interface TrackMapProps {
  lines: TrackLine[];
  /** Where the listed flights are (take-off and landing places): the view when no flight is selected. */
  overview?: LatLonBounds | null;
  takeoff: FlightPlace | null;
  landing: FlightPlace | null;
  onView: (edges: ViewEdges) => void;
}

/** The track preview: the selected flight's track, take-off and landing, fitted to view; the configured tiles or none. */
export function TrackMap({ lines, overview = null, takeoff, landing, onView }: TrackMapProps) {
  const tileUrl = useAppStore((s) => s.config.tileUrl);
  const attribution = useAppStore((s) => s.config.tileAttribution);
  const [map, setMap] = useState<LeafletMap | null>(null);
  const bounds = useMemo(() => trackBounds(lines, [takeoff, landing]), [lines, takeoff, landing]);

  // MapContainer does not forward data-* props to its element; the e2e tests look for this hook.
  useEffect(() => {
    map?.getContainer().setAttribute("data-testid", "flights-map");
  }, [map]);

  return (
    <section className={tileUrl ? "flights__map" : "flights__map flights__map--no-tiles"} aria-label="Track preview">
      <MapContainer ref={setMap} className="map" center={[20, 0]} zoom={2} minZoom={2} maxZoom={MAX_ZOOM} worldCopyJump>
        {tileUrl && <TileLayer key={tileUrl} url={tileUrl} attribution={attribution} maxNativeZoom={19} maxZoom={MAX_ZOOM} />}
        <ScaleControl position="bottomleft" imperial={false} maxWidth={120} />
        {lines.length > 0 && <Polyline positions={lines} pathOptions={{ color: TRACK_COLOUR, weight: 3, opacity: 0.9 }} />}
        <Place place={takeoff} label="Take-off" colour={TAKEOFF_COLOUR} />
        <Place place={landing} label="Landing" colour={LANDING_COLOUR} />
        <FitTrack bounds={bounds ?? overview} />
        <ReportView onView={onView} />
      </MapContainer>
      <p className="flights__legend" aria-hidden="true">
        <span className="flights__dot" style={{ background: TAKEOFF_COLOUR }} /> take-off
        <span className="flights__dot" style={{ background: LANDING_COLOUR }} /> landing
      </p>
    </section>
  );
}
