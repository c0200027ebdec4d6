import { memo } from "react";
import type { VehicleState } from "../../../../server/protocol";
import { formatAltitude, formatClimb, formatDistance, formatSpeed, distanceToHomeM } from "../../format";
import { formatAngle } from "./angles";
import { Reading, ReadingGroup } from "./Reading";

const DEG = 180 / Math.PI;

/** Altitudes, speeds, attitude in numbers and distance to home. Memoised on the vehicle object. */
export const FlightReadings = memo(function FlightReadings({ vehicle: v }: { vehicle: VehicleState }) {
  const p = v.position;
  return (
    <ReadingGroup title="Flight">
      <Reading label="Alt rel" id="alt-rel" title="Altitude above home">{formatAltitude(p?.altRelative)}</Reading>
      <Reading label="Alt AMSL" id="alt-amsl" title="Altitude above mean sea level">{formatAltitude(p?.altAmsl)}</Reading>
      <Reading label="Climb" id="climb">{formatClimb(v.climb)}</Reading>
      <Reading label="Ground spd" id="ground-speed">{formatSpeed(v.groundSpeed)}</Reading>
      <Reading label="Air spd" id="air-speed">{formatSpeed(v.airSpeed)}</Reading>
      <Reading label="To home" id="home-distance" title="Ground distance to home">{formatDistance(distanceToHomeM(p, v.home))}</Reading>
      <Reading label="Roll" id="roll">{formatAngle(v.attitude ? v.attitude.roll * DEG : null)}</Reading>
      <Reading label="Pitch" id="pitch">{formatAngle(v.attitude ? v.attitude.pitch * DEG : null)}</Reading>
    </ReadingGroup>
  );
});
