import { useState } from "react";
import { vehicleColour } from "../../components";
import { isStale, useAppStore, useServerNow, useVehicleList } from "../../store";
import { IconCache } from "./icons";
import { VehicleMarker } from "./VehicleMarker";

/** All vehicles on the map. Each marker is memoised: a frame re-renders only the vehicles it carries. */
export function VehicleLayer() {
  const vehicles = useVehicleList();
  const trails = useAppStore((s) => s.trails);
  const selectedKey = useAppStore((s) => s.selectedKey);
  const lostAfterMs = useAppStore((s) => s.config.lostAfterMs);
  const select = useAppStore((s) => s.select);
  const now = useServerNow(1000);
  const [icons] = useState(() => new IconCache());

  return (
    <>
      {vehicles.map((v) => (
        <VehicleMarker
          key={v.key}
          vehicle={v}
          trail={trails[v.key]}
          colour={vehicleColour(v.sysid, v.compid)}
          stale={isStale(v, now, lostAfterMs)}
          selected={v.key === selectedKey}
          icons={icons}
          onSelect={select}
        />
      ))}
    </>
  );
}
