/** MAVLink enum values turned into the domain names of server/protocol. */
import type { GpsFix, Severity, SystemStatus, VehicleClass } from "../protocol";
import { MAV_AUTOPILOT } from "./ids";

/** MAV_TYPE -> the kind of vehicle (and so which ArduPilot mode table applies). */
export function vehicleClassOf(mavType: number): VehicleClass {
  switch (mavType) {
    case 2: // QUADROTOR
    case 3: // COAXIAL
    case 4: // HELICOPTER (ArduCopter heli frames use the copter modes)
    case 13: // HEXAROTOR
    case 14: // OCTOROTOR
    case 15: // TRICOPTER
    case 29: // DODECAROTOR
    case 35: // DECAROTOR
    case 43: // GENERIC_MULTIROTOR
      return "copter";
    case 1: // FIXED_WING
    case 19: // VTOL_TAILSITTER_DUOROTOR
    case 20: // VTOL_TAILSITTER_QUADROTOR
    case 21: // VTOL_TILTROTOR
    case 22: // VTOL_FIXEDROTOR
    case 23: // VTOL_TAILSITTER
    case 24: // VTOL_TILTWING
    case 25: // VTOL_RESERVED5
      return "plane";
    case 10: // GROUND_ROVER
      return "rover";
    case 11: // SURFACE_BOAT
      return "boat";
    case 12: // SUBMARINE
      return "sub";
    default:
      return "other";
  }
}

/**
 * MAV_TYPEs of components that send HEARTBEATs but are not vehicles: ground stations, companion computers,
 * gimbals, cameras, ADS-B receivers, peripherals, and the antenna tracker (ground equipment).
 */
const NOT_VEHICLE_TYPES: ReadonlySet<number> = new Set([
  5, // ANTENNA_TRACKER
  6, // GCS
  18, // ONBOARD_CONTROLLER
  26, // GIMBAL
  27, // ADSB
  30, // CAMERA
  31, // CHARGING_STATION
  32, // FLARM
  33, // SERVO
  34, // ODID
  36, // BATTERY
  37, // PARACHUTE
  38, // LOG
  39, // OSD
  40, // IMU
  41, // GPS
  42, // WINCH
  44, // ILLUMINATOR
]);

/** MAVLink asks components that are not flight controllers to send autopilot INVALID: they are not vehicles either. */
export function isVehicleHeartbeat(mavType: number, autopilot: number): boolean {
  return autopilot !== MAV_AUTOPILOT.INVALID && !NOT_VEHICLE_TYPES.has(mavType);
}

const AUTOPILOT_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0: "generic",
  3: "ArduPilot",
  4: "OpenPilot",
  8: "none",
  12: "PX4",
  18: "Reflex",
});

export function autopilotName(autopilot: number): string {
  return AUTOPILOT_NAMES[autopilot] ?? `AUTOPILOT(${autopilot})`;
}

const SYSTEM_STATUS: readonly SystemStatus[] = Object.freeze([
  "uninit", "boot", "calibrating", "standby", "active", "critical", "emergency", "poweroff", "terminating",
]);

/** MAV_STATE -> name; "unknown" past the enum. */
export function systemStatusOf(state: number): SystemStatus {
  return SYSTEM_STATUS[state] ?? "unknown";
}

const SEVERITIES: readonly Severity[] = Object.freeze([
  "emergency", "alert", "critical", "error", "warning", "notice", "info", "debug",
]);

/** MAV_SEVERITY -> name; anything past 7 is less severe than debug, so debug. */
export function severityOf(severity: number): Severity {
  return SEVERITIES[severity] ?? "debug";
}

const GPS_FIX: readonly GpsFix[] = Object.freeze([
  "none", "no_fix", "2d", "3d", "dgps", "rtk_float", "rtk_fixed", "static", "ppp",
]);

/** GPS_FIX_TYPE -> name; an unknown value is treated as no fix rather than trusted. */
export function gpsFixOf(fixType: number): GpsFix {
  return GPS_FIX[fixType] ?? "no_fix";
}
