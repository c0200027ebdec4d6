import { useCallback } from "react";
import type { VehicleKey } from "../../../../server/protocol";
import { useAppStore, useServerNow, useVehicleList } from "../../store";
import { VehicleCard } from "./VehicleCard";

/** Side panel: one card per vehicle, sorted by sysid. Clicking a card selects it (and the map follows if following). */
export function VehicleList() {
  const vehicles = useVehicleList();
  const now = useServerNow(1000);
  const lostAfterMs = useAppStore((s) => s.config.lostAfterMs);
  const selectedKey = useAppStore((s) => s.selectedKey);
  const follow = useAppStore((s) => s.follow);
  const select = useAppStore((s) => s.select);
  const onSelect = useCallback((key: VehicleKey) => select(key), [select]);

  return (
    <section className="vehicle-list" aria-label="Vehicles">
      <h2 className="panel-title">
        Vehicles <span className="panel-title__count">{vehicles.length}</span>
      </h2>
      {vehicles.length === 0 ? (
        <p className="empty">No vehicles yet. Waiting for heartbeats…</p>
      ) : (
        <ul className="vehicle-list__cards" role="listbox" aria-label="Vehicles">
          {vehicles.map((v) => (
            <VehicleCard
              key={v.key}
              vehicle={v}
              now={now}
              lostAfterMs={lostAfterMs}
              selected={v.key === selectedKey}
              following={follow && v.key === selectedKey}
              onSelect={onSelect}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
