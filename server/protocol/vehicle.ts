/**
 * Domain types of a vehicle as the ground station sees it. All values are SI (degrees for lat/lon,
 * metres, m/s, radians for attitude, volts, amperes) — MAVLink units never cross `server/mavlink/`.
 * `null` means "not reported yet" or "reported as unknown"; the UI shows it as a dash, never as zero.
 */

/** (sysid, compid) as a string key, e.g. "1:1". */
export type VehicleKey = `${number}:${number}`;

export function vehicleKey(sysid: number, compid: number): VehicleKey {
  return `${sysid}:${compid}`;
}

export type VehicleClass = "copter" | "plane" | "rover" | "boat" | "sub" | "other";

export type SystemStatus =
  | "uninit" | "boot" | "calibrating" | "standby" | "active" | "critical" | "emergency" | "poweroff"
  | "terminating" | "unknown";

export type GpsFix = "none" | "no_fix" | "2d" | "3d" | "dgps" | "rtk_float" | "rtk_fixed" | "static" | "ppp";

/** MAV_SEVERITY 0..7 by name. */
export type Severity = "emergency" | "alert" | "critical" | "error" | "warning" | "notice" | "info" | "debug";

export interface Position {
  lat: number;
  lon: number;
  /** Altitude above mean sea level, metres. */
  altAmsl: number;
  /** Altitude above home, metres. */
  altRelative: number;
}

export interface Attitude {
  roll: number;
  pitch: number;
  yaw: number;
}

export interface Battery {
  voltage: number | null;
  current: number | null;
  remaining: number | null;
  consumedMah: number | null;
}

export interface Gps {
  fix: GpsFix;
  satellites: number | null;
  hdop: number | null;
}

/** BATTERY_STATUS charge_state: the autopilot's own judgement of the pack from its BATT_* settings. */
export type BatteryChargeState = "ok" | "low" | "critical" | "emergency" | "failed" | "unhealthy" | "charging";

/** FENCE_STATUS breach_type: which limit was crossed (a polygon and a circle fence are both "boundary"). */
export type FenceBreachType = "none" | "min_alt" | "max_alt" | "boundary";

/** FENCE_STATUS as the vehicle reports it: the authority on breaches, for fences we uploaded or not. */
export interface FenceState {
  breached: boolean;
  breachCount: number;
  breachType: FenceBreachType;
}

export interface Home {
  lat: number;
  lon: number;
  altAmsl: number;
}

export interface StatusText {
  /** Server receive time, ms since epoch (or the virtual clock of a replay). */
  time: number;
  severity: Severity;
  text: string;
}

/** MISSION_STATE as reported in MISSION_CURRENT (null when the autopilot does not report it). */
export type MissionState = "unknown" | "no_mission" | "not_started" | "active" | "paused" | "complete";

export interface MissionProgress {
  /** Current mission item (seq). */
  current: number;
  /** Total items as reported by MISSION_CURRENT, or null. */
  total: number | null;
  /** Sequence numbers reached in the current run, in the order reported. */
  reached: number[];
  state: MissionState | null;
}

export type LinkState = "ok" | "lost";

export interface VehicleLinkHealth {
  state: LinkState;
  /** Milliseconds since the last HEARTBEAT, at the time the state was produced. */
  heartbeatAgeMs: number;
  /** Time of the last HEARTBEAT (ms since epoch / virtual clock). */
  lastHeartbeat: number;
  /** Packets received from this vehicle, and packets missed according to sequence gaps. */
  packetsReceived: number;
  packetsLost: number;
  /** packetsLost / (packetsReceived + packetsLost), 0..1. */
  lossRatio: number;
  /** Bytes per second received from this vehicle over the last second. */
  bytesPerSecond: number;
  /** Ids of the links this vehicle was heard on. */
  links: string[];
}

/** How many STATUSTEXTs a vehicle state keeps (newest last); screens trim what frames add to it to the same. */
export const STATUS_TEXT_LIMIT = 20;

export interface VehicleState {
  key: VehicleKey;
  sysid: number;
  compid: number;
  vehicleClass: VehicleClass;
  /** MAV_TYPE number as reported, for detail views. */
  mavType: number;
  autopilot: string;
  firmware: string | null;
  mode: string;
  customMode: number;
  armed: boolean;
  /** When the vehicle was last seen to arm (ms, server or replay clock); null while disarmed. Flight time = now - this. */
  armedSince: number | null;
  systemStatus: SystemStatus;
  position: Position | null;
  /** Degrees 0..360, from GLOBAL_POSITION_INT (or VFR_HUD), null when unknown. */
  heading: number | null;
  groundSpeed: number | null;
  airSpeed: number | null;
  /** Vertical speed, m/s, positive up. */
  climb: number | null;
  attitude: Attitude | null;
  battery: Battery;
  gps: Gps;
  /** True when the EKF reports good attitude, velocity and horizontal position. Null until reported. */
  ekfHealthy: boolean | null;
  ekfFlags: number | null;
  /** BATTERY_STATUS charge_state of the flight battery; absent or null until reported. */
  batteryState?: BatteryChargeState | null;
  /** FENCE_STATUS; absent or null until reported (a vehicle with no fence enabled may never send it). */
  fence?: FenceState | null;
  /**
   * SYS_STATUS sensors present and enabled but not healthy, by MAV_SYS_STATUS_SENSOR name without prefix
   * ("BATTERY", "GEOFENCE", "RC_RECEIVER"...); absent until reported.
   */
  sensorsUnhealthy?: string[];
  home: Home | null;
  mission: MissionProgress | null;
  /** The last STATUSTEXTs, newest last (bounded). */
  statusTexts: StatusText[];
  link: VehicleLinkHealth;
  /** Time of the last message of any kind. */
  lastUpdate: number;
}
