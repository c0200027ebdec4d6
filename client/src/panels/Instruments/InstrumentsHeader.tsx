import type { VehicleState } from "../../../../server/protocol";
import { Badge, ColourDot, vehicleColour } from "../../components";
import { DASH, formatVehicleClass, flightTimeMs, formatFlightTime } from "../../format";

/** Key, mode, armed state and the flight-time stopwatch (server clock `now`; a dash while disarmed). */
export function InstrumentsHeader({ vehicle: v, now }: { vehicle: VehicleState; now: number }) {
  const flight = v.armed ? flightTimeMs(v.armedSince, now) : null;
  return (
    <header className="inst-head">
      <ColourDot colour={vehicleColour(v.sysid, v.compid)} />
      <span className="inst-head__key">{v.key}</span>
      <span className="inst-head__class">{formatVehicleClass(v.vehicleClass)}</span>
      <span className="inst-head__spacer" />
      {v.armed ? <Badge tone="danger">ARMED</Badge> : <Badge tone="neutral">DISARMED</Badge>}
      <div className="inst-head__row">
        <span className="inst-head__mode" data-testid="inst-mode" title="Flight mode">{v.mode || DASH}</span>
        <span className="inst-head__timer" title="Flight time since arming">
          <span className="inst-head__timer-label" id={`inst-flight-${v.sysid}-${v.compid}`}>Flight</span>
          <span role="timer" aria-labelledby={`inst-flight-${v.sysid}-${v.compid}`} data-testid="inst-flight-time">
            {formatFlightTime(flight)}
          </span>
        </span>
      </div>
    </header>
  );
}
