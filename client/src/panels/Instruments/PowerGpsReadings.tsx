import { memo } from "react";
import type { Battery, Gps } from "../../../../server/protocol";
import { BatteryGauge, levelTone } from "../../components";
import { formatBattery, formatGps, withUnit } from "../../format";
import { Reading, ReadingGroup } from "./Reading";

export const BatteryReadings = memo(function BatteryReadings({ battery }: { battery: Battery }) {
  const b = formatBattery(battery);
  const tone = levelTone(b.level);
  return (
    <ReadingGroup title="Battery">
      <Reading label="Remaining" id="battery-remaining" tone={tone}>
        <BatteryGauge percent={battery.remaining} tone={tone} />
        {b.remaining}
      </Reading>
      <Reading label="Voltage" id="battery-voltage">{b.voltage}</Reading>
      <Reading label="Current" id="battery-current">{b.current}</Reading>
      <Reading label="Consumed" id="battery-consumed">{withUnit(battery.consumedMah, "mAh", 0)}</Reading>
    </ReadingGroup>
  );
});

export const GpsReadings = memo(function GpsReadings({ gps }: { gps: Gps }) {
  const g = formatGps(gps);
  return (
    <ReadingGroup title="GPS">
      <Reading label="Fix" id="gps-fix" tone={levelTone(g.level)}>{g.fix}</Reading>
      <Reading label="Sats" id="gps-satellites">{g.satellites}</Reading>
      <Reading label="HDOP" id="gps-hdop" tone={g.level === "caution" && gps.hdop !== null ? "caution" : "neutral"}>{g.hdop}</Reading>
    </ReadingGroup>
  );
});
