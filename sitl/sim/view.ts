/** What the telemetry builders read of a vehicle: one snapshot per send, in SI units. */
import type { RawFields } from "../../server/mavlink";
import type { BatteryState } from "./battery";
import type { PhysicsState } from "./physics";
import type { SensorBits } from "./sensors";

export interface Home {
  lat: number;
  lon: number;
  altAmsl: number;
}

export interface VehicleView {
  /** ms since this boot. */
  timeBootMs: number;
  /** Wall clock, ms since epoch (SYSTEM_TIME, GPS time). */
  unixMs: number;
  armed: boolean;
  mode: number;
  systemStatus: number;
  baseMode: number;
  /** Where the vehicle is, degrees and metres AMSL (the physics position on top of home). */
  lat: number;
  lon: number;
  altAmsl: number;
  phys: PhysicsState;
  /** Null until the EKF origin is set (no HOME_POSITION, GLOBAL_POSITION_INT zero). */
  home: Home | null;
  gpsFix: boolean;
  /** The fix was had and is lost (GPS_RAW_INT fix_type 1), as opposed to not found yet at boot (0). */
  gpsLost: boolean;
  /** GPS_RAW_INT time_usec of the last fix (frozen while it is lost). */
  lastFixUs: number;
  ekfUsingGps: boolean;
  ekfFlags: number;
  prearmOk: boolean;
  /** SYS_STATUS onboard_control_sensors_* bits. */
  sensors: SensorBits;
  battery: BatteryState;
  /** BATTERY_STATUS charge_state (MAV_BATTERY_CHARGE_STATE). */
  chargeState: number;
  /** FENCE_STATUS fields, null while the fence is off. */
  fenceStatus: RawFields | null;
  /** Percent 0..100. */
  throttle: number;
  nav: { bearing: number; distance: number; altError: number };
  mission: { seq: number; total: number; state: number };
}
