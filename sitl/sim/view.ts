/** What the telemetry builders read of a vehicle: one snapshot per send, in SI units. */
import type { BatteryState } from "./battery";
import type { PhysicsState } from "./physics";

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
  ekfUsingGps: boolean;
  prearmOk: boolean;
  battery: BatteryState;
  /** Percent 0..100. */
  throttle: number;
  nav: { bearing: number; distance: number; altError: number };
  mission: { seq: number; total: number; state: number };
}
