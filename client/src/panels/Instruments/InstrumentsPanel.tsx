import { useMemo } from "react";
import type { VehicleKey } from "../../../../server/protocol";
import { formatAge, bearingToHomeDeg } from "../../format";
import { heartbeatAge, isStale, useAppStore, useServerNow } from "../../store";
import { AttitudeIndicator } from "./AttitudeIndicator";
import { CompassRose } from "./CompassRose";
import { FlightReadings } from "./FlightReadings";
import { InstrumentsHeader } from "./InstrumentsHeader";
import { LinkReadings } from "./LinkReadings";
import { BatteryReadings, GpsReadings } from "./PowerGpsReadings";
import { StatusFeed } from "./StatusFeed";

/**
 * The pilot's instruments for one vehicle (a ~320 px column). Renders when this vehicle's object changes
 * (frames are applied once per animation frame) and on the 1 s server-clock tick; the dials, readings and
 * feed are memoised on their own inputs, so the tick only re-renders the header and link readings.
 */
export function InstrumentsPanel({ vehicleKey }: { vehicleKey: VehicleKey }) {
  const vehicle = useAppStore((s) => s.vehicles[vehicleKey]);
  const lostAfterMs = useAppStore((s) => s.config.lostAfterMs);
  const now = useServerNow(1000);
  const allEvents = useAppStore((s) => s.vehicleEvents);
  const events = useMemo(() => allEvents.filter((e) => e.key === vehicleKey), [allEvents, vehicleKey]);

  if (!vehicle) {
    return (
      <section className="instruments" aria-label={`Instruments ${vehicleKey}`}>
        <p className="empty">No data for {vehicleKey} yet.</p>
      </section>
    );
  }
  const { attitude } = vehicle;
  const stale = isStale(vehicle, now, lostAfterMs);
  // Whole degrees: the position moves a little every frame, and the rose should not redraw for invisible changes.
  const homeBearing = bearingToHomeDeg(vehicle.position, vehicle.home);
  return (
    <section
      className={stale ? "instruments instruments--stale" : "instruments"}
      aria-label={`Instruments ${vehicle.key}`}
      data-testid={`instruments-${vehicle.sysid}-${vehicle.compid}`}
      data-stale={stale}
    >
      <InstrumentsHeader vehicle={vehicle} now={now} />
      {stale && <p className="inst-stale-note" role="status">Last known state — {formatAge(heartbeatAge(vehicle, now))} old</p>}
      <div className="inst-dials">
        <AttitudeIndicator roll={attitude?.roll ?? null} pitch={attitude?.pitch ?? null} />
        <CompassRose heading={vehicle.heading} homeBearing={homeBearing === null ? null : Math.round(homeBearing) % 360} />
      </div>
      <FlightReadings vehicle={vehicle} />
      <BatteryReadings battery={vehicle.battery} />
      <GpsReadings gps={vehicle.gps} />
      <LinkReadings vehicle={vehicle} now={now} stale={stale} />
      <StatusFeed texts={vehicle.statusTexts} events={events} />
    </section>
  );
}
