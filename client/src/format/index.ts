export { DASH, formatNumber, withUnit } from "./number";
export {
  formatAltitude,
  formatClimb,
  formatCoordinates,
  formatCurrent,
  formatDistance,
  formatHeading,
  formatRatioPercent,
  formatSpeed,
  formatVoltage,
} from "./units";
export { formatAge, formatClock } from "./age";
export { batteryLevel, formatBattery, BATTERY_CRITICAL_PERCENT, BATTERY_LOW_PERCENT, type BatteryDisplay } from "./battery";
export { formatGps, gpsLevel, HDOP_POOR, type GpsDisplay } from "./gps";
export { formatVehicleClass, formatVehicleLabel } from "./vehicle";
export type { Level } from "./levels";
export { distanceToHomeM, bearingToHomeDeg } from "./distance";
export { flightTimeMs, formatFlightTime } from "./duration";
export { formatByteRate } from "./rate";
