import type L from "leaflet";
import type { LatLngExpression, LatLngTuple, PathOptions } from "leaflet";
import { memo, useCallback, useMemo } from "react";
import { Marker, Polyline } from "react-leaflet";
import type { VehicleKey, VehicleState } from "../../../../server/protocol";
import { LOST_COLOUR } from "../../components";
import { formatVehicleLabel } from "../../format";
import type { TrailPoint } from "../../store";
import { displayHeading, roundHeading } from "./geometry";
import type { IconCache } from "./icons";
import { useVehicleLeafletMarker } from "./useVehicleLeafletMarker";

export interface VehicleMarkerProps {
  vehicle: VehicleState;
  trail: readonly TrailPoint[] | undefined;
  colour: string;
  stale: boolean;
  selected: boolean;
  icons: IconCache;
  onSelect: (key: VehicleKey) => void;
}

const NO_TRAIL: readonly TrailPoint[] = [];

function TrailLine({ trail, colour, stale }: { trail: readonly TrailPoint[]; colour: string; stale: boolean }) {
  const positions = useMemo<LatLngTuple[]>(() => trail.map((p) => [p.lat, p.lon]), [trail]);
  const pathOptions = useMemo<PathOptions>(
    () => (stale ? { color: LOST_COLOUR, weight: 2, opacity: 0.7, dashArray: "6 6" } : { color: colour, weight: 2.5, opacity: 0.85 }),
    [colour, stale],
  );
  if (positions.length < 2) return null;
  return <Polyline positions={positions} pathOptions={pathOptions} interactive={false} />;
}

function HomeMarker({ lat, lon, vehicle, colour, icons }: { lat: number; lon: number; vehicle: VehicleState; colour: string; icons: IconCache }) {
  // Keyed on the numbers: every frame brings a new `home` object even when home did not move.
  const position = useMemo<LatLngExpression>(() => [lat, lon], [lat, lon]);
  return (
    <Marker
      position={position}
      icon={icons.home(vehicle.sysid, vehicle.compid, colour)}
      interactive={false}
      keyboard={false}
      title={`Home of ${vehicle.key}`}
    />
  );
}

function LiveMarker({ vehicle, lat, lon, icon, selected, onSelect }: {
  vehicle: VehicleState;
  lat: number;
  lon: number;
  icon: L.DivIcon;
  selected: boolean;
  onSelect: (key: VehicleKey) => void;
}) {
  const { key } = vehicle;
  const onClick = useCallback(() => onSelect(key), [onSelect, key]);
  useVehicleLeafletMarker(
    { lat, lon, icon, label: formatVehicleLabel(vehicle), zIndexOffset: selected ? 2000 : 1000, title: `Vehicle ${key}` },
    onClick,
  );
  return null;
}

/** One vehicle on the map: trail, home, and the marker with its label. Memoised per vehicle. */
function VehicleMarkerView({ vehicle, trail = NO_TRAIL, colour, stale, selected, icons, onSelect }: VehicleMarkerProps) {
  const pos = vehicle.position;
  const heading = roundHeading(displayHeading(vehicle));
  const drawColour = stale ? LOST_COLOUR : colour;
  return (
    <>
      <TrailLine trail={trail} colour={colour} stale={stale} />
      {vehicle.home && <HomeMarker lat={vehicle.home.lat} lon={vehicle.home.lon} vehicle={vehicle} colour={colour} icons={icons} />}
      {pos && (
        <LiveMarker
          vehicle={vehicle}
          lat={pos.lat}
          lon={pos.lon}
          icon={icons.vehicle({ sysid: vehicle.sysid, compid: vehicle.compid, colour: drawColour, heading, stale, selected }, pos.lat, pos.lon)}
          selected={selected}
          onSelect={onSelect}
        />
      )}
    </>
  );
}

export const VehicleMarker = memo(VehicleMarkerView);
