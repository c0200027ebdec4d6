import type { Battery } from "../../../server/protocol";
import type { Level } from "./levels";
import { withUnit } from "./number";
import { formatCurrent, formatVoltage } from "./units";

/** Remaining-capacity thresholds (%): below LOW shows caution, below CRITICAL a warning. */
export const BATTERY_LOW_PERCENT = 40;
export const BATTERY_CRITICAL_PERCENT = 20;

export interface BatteryDisplay {
  voltage: string;
  current: string;
  remaining: string;
  level: Level;
}

export function batteryLevel(remaining: number | null): Level {
  if (remaining === null || !Number.isFinite(remaining)) return "unknown";
  if (remaining < BATTERY_CRITICAL_PERCENT) return "warning";
  if (remaining < BATTERY_LOW_PERCENT) return "caution";
  return "ok";
}

export function formatBattery(battery: Battery): BatteryDisplay {
  return {
    voltage: formatVoltage(battery.voltage),
    current: formatCurrent(battery.current),
    remaining: withUnit(battery.remaining, "%", 0),
    level: batteryLevel(battery.remaining),
  };
}
