/**
 * SYS_STATUS sensor bits and HEARTBEAT system_status as ArduCopter 4.7 sets them (GCS_MAVLink_Copter.cpp
 * vehicle_system_status, update_vehicle_sensor_status_flags), checked against the recordings:
 * - system_status: BOOT until initialised, CRITICAL while any failsafe is on (battery latched until reboot, EKF,
 *   GCS; not the fence), STANDBY on the ground (armed or not), ACTIVE in the air;
 * - GEOFENCE from the fence, BATTERY health cleared by the battery failsafe, PREARM_CHECK cleared when a disarmed
 *   vehicle cannot arm, XY_POSITION_CONTROL only in modes that control position (not LAND without GPS);
 *   the GPS bit stays healthy through a GPS outage (gps_loss_ekf).
 */
import { MODE } from "./modes";
import type { SimVehicle } from "./vehicle";

/** Sensor bitmasks recorded with no fence (copter_flight_1): before pre-arm, pre-arm passed, armed. */
const SENSORS = {
  present: 0x5371fc2f,
  boot: { enabled: 0x52419c2f, health: 0x47519c2f },
  prearm: { enabled: 0x52619c2f, health: 0x57719c2f },
  armed: { enabled: 0x5361fc2f, health: 0x5771fc2f },
} as const;
const BIT = { XY_CONTROL: 0x4000, GEOFENCE: 0x100000, BATTERY: 0x2000000, PREARM: 0x10000000 } as const;
const MAV_STATE = { BOOT: 1, STANDBY: 3, ACTIVE: 4, CRITICAL: 5 } as const;

/** Modes that control horizontal position (LAND only while it uses GPS). */
const XY_MODES: ReadonlySet<number> = new Set([
  MODE.AUTO, MODE.GUIDED, MODE.LOITER, MODE.RTL, MODE.POSHOLD, MODE.BRAKE, MODE.SMART_RTL,
]);

export interface SensorBits {
  present: number;
  enabled: number;
  health: number;
}

function set(mask: number, bit: number, on: boolean): number {
  return on ? (mask | bit) >>> 0 : (mask & ~bit) >>> 0;
}

export function sensorBits(v: SimVehicle, prearmOk: boolean): SensorBits {
  const base = v.armed ? SENSORS.armed : prearmOk ? SENSORS.prearm : SENSORS.boot;
  const fence = v.failsafe.fence.sensor(v);
  const xy = v.armed && (XY_MODES.has(v.mode) || (v.mode === MODE.LAND && !v.landingWithoutGps));
  let enabled = set(base.enabled, BIT.GEOFENCE, fence.enabled);
  enabled = set(enabled, BIT.XY_CONTROL, xy);
  let health = set(base.health, BIT.GEOFENCE, fence.healthy);
  health = set(health, BIT.XY_CONTROL, v.armed ? xy : (base.health & BIT.XY_CONTROL) !== 0);
  health = set(health, BIT.BATTERY, !v.failsafe.battery.triggered);
  if (!v.armed && v.failsafe.battery.triggered) health = set(health, BIT.PREARM, false);
  return { present: set(SENSORS.present, BIT.GEOFENCE, fence.present), enabled, health };
}

export function systemStatus(v: SimVehicle, ready: boolean): number {
  if (!ready) return MAV_STATE.BOOT;
  if (v.failsafe.any) return MAV_STATE.CRITICAL;
  return v.phys.landed ? MAV_STATE.STANDBY : MAV_STATE.ACTIVE;
}
