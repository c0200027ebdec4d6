import { memo, useCallback, useMemo } from "react";
import { Marker, Polyline, useMapEvents } from "react-leaflet";
import type { LatLon, MissionProgress } from "../../../../server/protocol";
import { FenceLayer } from "./FenceLayer";
import { type ItemMarker, itemMarkers, pathPoints } from "./layerModel";
import { useMissionEditor } from "./MissionEditorContext";
import { itemIcon, rallyIcon } from "./missionIcons";
import { DEFAULT_CIRCLE_RADIUS_M, type EditorAction } from "./reducer";
import { useMarkerHandlers } from "./useMarkerHandlers";

export interface MissionMapLayerProps {
  /** The selected vehicle's VehicleState.mission, when not given to the provider with the vehicle. */
  progress?: MissionProgress | null;
}

const ll = (p: LatLon): [number, number] => [p.lat, p.lon];

/** Turns a map click into the edit of the current tool. */
function MapClicks() {
  const { state, dispatch } = useMissionEditor();
  const { mode, inclusion } = state;
  useMapEvents({
    click(e) {
      const at = { lat: e.latlng.lat, lon: e.latlng.lng };
      switch (mode) {
        case "select": return;
        case "waypoint": return dispatch({ type: "addWaypoint", ...at });
        case "polygon": return dispatch({ type: "pendingAdd", ...at });
        case "circle": return dispatch({ type: "addCircle", inclusion, center: at, radius: DEFAULT_CIRCLE_RADIUS_M });
        case "rally": return dispatch({ type: "addRally", ...at });
      }
    },
  });
  return null;
}

const ItemMarkerView = memo(function ItemMarkerView({ marker, selected, draggable, dispatch }: {
  marker: ItemMarker;
  selected: boolean;
  draggable: boolean;
  dispatch: (a: EditorAction) => void;
}) {
  const { index, seq, kind, progress, lat, lon } = marker;
  const icon = useMemo(() => itemIcon({ seq, kind, progress, selected, lat, lon }), [seq, kind, progress, selected, lat, lon]);
  const drop = useCallback((at: LatLon) => dispatch({ type: "moveItem", index, ...at }), [dispatch, index]);
  const click = useCallback(() => dispatch({ type: "select", index }), [dispatch, index]);
  const eventHandlers = useMarkerHandlers({ drop, click });
  return (
    <Marker position={[lat, lon]} icon={icon} draggable={draggable} eventHandlers={eventHandlers} title={`Item ${seq}`} zIndexOffset={selected ? 900 : 800} />
  );
});

const RallyMarker = memo(function RallyMarker({ index, at, draggable, dispatch }: {
  index: number;
  at: LatLon;
  draggable: boolean;
  dispatch: (a: EditorAction) => void;
}) {
  const icon = useMemo(() => rallyIcon(index, at.lat, at.lon), [index, at.lat, at.lon]);
  const drop = useCallback((to: LatLon) => dispatch({ type: "moveRally", index, ...to }), [dispatch, index]);
  const remove = useCallback(() => dispatch({ type: "deleteRally", index }), [dispatch, index]);
  const eventHandlers = useMarkerHandlers({ drop, remove: draggable ? remove : undefined });
  return <Marker position={ll(at)} icon={icon} draggable={draggable} eventHandlers={eventHandlers} title={`Rally point ${index + 1}`} />;
});

/**
 * The mission on the map, for inside the react-leaflet MapContainer: the draft's path (dashed while it differs
 * from what is verified on the vehicle, solid once it is the vehicle's), numbered items, fence zones and rally
 * points; the vehicle's own mission in grey when the draft differs from it.
 */
export function MissionMapLayer({ progress }: MissionMapLayerProps) {
  const { state, dispatch, home, inSync, onVehicle, vehicle } = useMissionEditor();
  const flight = progress === undefined ? (vehicle?.mission ?? null) : progress;
  const { draft, mode, selected } = state;
  const path = useMemo(() => pathPoints(draft, home).map(ll), [draft, home]);
  const vehiclePath = useMemo(() => (!inSync && onVehicle?.plan ? pathPoints(onVehicle.plan, home).map(ll) : []), [inSync, onVehicle, home]);
  const markers = useMemo(() => itemMarkers(draft, flight, inSync), [draft, flight, inSync]);
  const itemsDraggable = mode === "select" || mode === "waypoint";

  return (
    <>
      <MapClicks />
      <FenceLayer />
      {vehiclePath.length > 1 && <Polyline positions={vehiclePath} interactive={false} pathOptions={{ color: "#8a97a8", weight: 2, opacity: 0.7 }} />}
      {path.length > 1 && (
        <Polyline
          positions={path}
          interactive={false}
          pathOptions={inSync ? { color: "#ffd54f", weight: 3, opacity: 0.95, dashArray: "" } : { color: "#ffd54f", weight: 2.5, opacity: 0.9, dashArray: "8 8" }}
        />
      )}
      {markers.map((m) => (
        <ItemMarkerView key={m.index} marker={m} selected={m.index === selected} draggable={itemsDraggable} dispatch={dispatch} />
      ))}
      {draft.rally.map((r, i) => (
        <RallyMarker key={i} index={i} at={r} draggable={mode === "rally"} dispatch={dispatch} />
      ))}
    </>
  );
}
