import { useEffect } from "react";
import { CircleMarker, Tooltip, useMap, useMapEvents } from "react-leaflet";

export interface PickedPoint {
  lat: number;
  lon: number;
}

/**
 * Lets the pilot pick a point on the map (for "Go to"): while active, the cursor is a crosshair and the next
 * click is the point. The chosen point stays marked until it is used or cancelled.
 */
export function PickPointLayer({ active, point, onPick }: {
  active: boolean;
  point: PickedPoint | null;
  onPick: (point: PickedPoint) => void;
}) {
  const map = useMap();
  useEffect(() => {
    const el = map.getContainer();
    el.classList.toggle("map--picking", active);
    return () => el.classList.remove("map--picking");
  }, [map, active]);
  useMapEvents({
    click(e) {
      if (active) onPick({ lat: e.latlng.lat, lon: e.latlng.lng });
    },
  });
  if (!point) return null;
  return (
    <CircleMarker center={[point.lat, point.lon]} radius={9} pathOptions={{ color: "#f0b429", weight: 3, fillOpacity: 0.2 }}>
      <Tooltip permanent direction="top" offset={[0, -8]}>Go to</Tooltip>
    </CircleMarker>
  );
}
