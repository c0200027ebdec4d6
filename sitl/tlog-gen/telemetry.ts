/**
 * The fields of each telemetry message a generated vehicle streams, in MAVLink units, from where it is and what
 * it does. Values follow what an ArduCopter quad reports (EKF position smooth, raw GPS noisy, pitch forward with
 * speed, battery sagging under load), so the data looks like a recording rather than a test pattern.
 */
import type { RawFields } from "../../server/mavlink";
import type { LatLon } from "../sim/geo";
import { movedBy } from "../sim/geo";
import type { Kinematics } from "./plan";

/** Messages per second, as ArduCopter streams them after a ground station's usual stream requests. */
export const TELEMETRY_RATES: readonly (readonly [string, number])[] = [
  ["ATTITUDE", 10], ["GLOBAL_POSITION_INT", 5], ["VFR_HUD", 4], ["RC_CHANNELS", 4], ["SERVO_OUTPUT_RAW", 4],
  ["AHRS2", 4], ["SYS_STATUS", 2], ["GPS_RAW_INT", 2], ["VIBRATION", 2], ["NAV_CONTROLLER_OUTPUT", 2],
  ["SCALED_PRESSURE", 2], ["BATTERY_STATUS", 1], ["EKF_STATUS_REPORT", 1], ["SYSTEM_TIME", 1], ["MISSION_CURRENT", 1],
];

/** The pack: a 6S 5 Ah battery. */
const CELLS = 6;
const CAPACITY_MAH = 5000;
/** Sensors present/enabled/healthy as a flying ArduCopter reports them. */
const SENSORS = 0x1235fc2f;

export interface TelemetryContext {
  k: Kinematics;
  /** Seconds since boot. */
  sinceBoot: number;
  /** Wall-clock time of sending, µs since the epoch (SYSTEM_TIME). */
  unixUs: number;
  home: LatLon;
  homeAltM: number;
  /** Current draw, amperes, and what the pack has given since boot, mAh. */
  currentA: number;
  consumedMah: number;
  /** Mission items of the current flight (0 on the ground before any). */
  missionCount: number;
  rnd: () => number;
}

/** Amperes drawn in this state: hover and climb cost more than cruise, a disarmed vehicle draws little. */
export function currentDraw(k: Kinematics): number {
  if (!k.armed) return 0.6;
  if (k.pos.u <= 0 && k.vel.u === 0) return 4;
  return 17 + Math.max(0, k.vel.u) * 3 + Math.hypot(k.vel.n, k.vel.e) * 0.3;
}

const remaining = (c: TelemetryContext) => Math.max(0, Math.round(100 - (c.consumedMah / CAPACITY_MAH) * 100));
const volts = (c: TelemetryContext) => CELLS * (4.2 - (1 - remaining(c) / 100) * 0.7) - c.currentA * 0.015;
const noise = (c: TelemetryContext, size: number) => (c.rnd() - 0.5) * 2 * size;
const rad = (deg: number) => (deg * Math.PI) / 180;
const e7 = (deg: number) => Math.round(deg * 1e7);

function place(c: TelemetryContext): LatLon {
  return movedBy(c.home, c.k.pos.n, c.k.pos.e);
}

/** Forward tilt needed for the horizontal speed (a copter leans into its motion). */
const pitchFor = (c: TelemetryContext) => -rad(Math.min(25, Math.hypot(c.k.vel.n, c.k.vel.e) * 1.6));
const groundSpeed = (c: TelemetryContext) => Math.hypot(c.k.vel.n, c.k.vel.e);
const throttle = (c: TelemetryContext) => (!c.k.armed ? 0 : c.k.pos.u <= 0 && c.k.vel.u === 0 ? 12 : 42 + Math.round(c.k.vel.u * 6));
const pwm = (c: TelemetryContext) => (!c.k.armed ? 1000 : 1150 + throttle(c) * 6 + Math.round(noise(c, 15)));

export function telemetryFields(name: string, c: TelemetryContext): RawFields {
  const ms = Math.round(c.sinceBoot * 1000);
  const p = place(c);
  const yaw = rad(c.k.yawDeg > 180 ? c.k.yawDeg - 360 : c.k.yawDeg);
  switch (name) {
    case "ATTITUDE":
      return { time_boot_ms: ms, roll: noise(c, 0.02), pitch: pitchFor(c) + noise(c, 0.01), yaw, rollspeed: noise(c, 0.01), pitchspeed: noise(c, 0.01), yawspeed: noise(c, 0.005) };
    case "GLOBAL_POSITION_INT":
      return {
        time_boot_ms: ms, lat: e7(p.lat), lon: e7(p.lon), alt: Math.round((c.homeAltM + c.k.pos.u) * 1000),
        relative_alt: Math.round(c.k.pos.u * 1000), vx: Math.round(c.k.vel.n * 100), vy: Math.round(c.k.vel.e * 100),
        vz: Math.round(-c.k.vel.u * 100), hdg: Math.round(c.k.yawDeg * 100) % 36000,
      };
    case "VFR_HUD":
      return { airspeed: groundSpeed(c) + noise(c, 0.3), groundspeed: groundSpeed(c), heading: Math.round(c.k.yawDeg) % 360, throttle: throttle(c), alt: c.homeAltM + c.k.pos.u, climb: c.k.vel.u };
    case "RC_CHANNELS":
      return { time_boot_ms: ms, chancount: 16, chan1_raw: 1500, chan2_raw: 1500, chan3_raw: 1500, chan4_raw: 1500, chan5_raw: 1800, chan6_raw: 1000, chan7_raw: 1000, chan8_raw: 1000, rssi: 255 };
    case "SERVO_OUTPUT_RAW":
      return { time_usec: Math.round(c.sinceBoot * 1e6) % 2 ** 32, port: 0, servo1_raw: pwm(c), servo2_raw: pwm(c), servo3_raw: pwm(c), servo4_raw: pwm(c) };
    case "AHRS2":
      return { roll: noise(c, 0.02), pitch: pitchFor(c), yaw, altitude: c.homeAltM + c.k.pos.u + noise(c, 0.2), lat: e7(p.lat), lng: e7(p.lon) };
    case "SYS_STATUS":
      return {
        onboard_control_sensors_present: SENSORS, onboard_control_sensors_enabled: SENSORS, onboard_control_sensors_health: SENSORS,
        load: 180 + Math.round(c.rnd() * 60), voltage_battery: Math.round(volts(c) * 1000), current_battery: Math.round(c.currentA * 100),
        battery_remaining: remaining(c), drop_rate_comm: 0, errors_comm: 0,
      };
    case "GPS_RAW_INT": {
      // The raw fix wanders a metre or so around the EKF's smooth position.
      const raw = movedBy(p, noise(c, 0.8), noise(c, 0.8));
      return {
        time_usec: Math.round(c.sinceBoot * 1e6), fix_type: 3, lat: e7(raw.lat), lon: e7(raw.lon),
        alt: Math.round((c.homeAltM + c.k.pos.u + noise(c, 1.5)) * 1000), eph: 70 + Math.round(c.rnd() * 20), epv: 110 + Math.round(c.rnd() * 30),
        vel: Math.round(groundSpeed(c) * 100), cog: Math.round(c.k.yawDeg * 100) % 36000, satellites_visible: 15 + Math.round(c.rnd() * 3),
      };
    }
    case "VIBRATION":
      return { time_usec: Math.round(c.sinceBoot * 1e6), vibration_x: c.k.armed ? 8 + noise(c, 2) : 0.5, vibration_y: c.k.armed ? 8 + noise(c, 2) : 0.5, vibration_z: c.k.armed ? 12 + noise(c, 3) : 0.5 };
    case "NAV_CONTROLLER_OUTPUT":
      return { nav_roll: 0, nav_pitch: rad(pitchFor(c)), nav_bearing: Math.round(c.k.yawDeg), target_bearing: Math.round(c.k.yawDeg), wp_dist: 0, alt_error: 0, aspd_error: 0, xtrack_error: noise(c, 0.5) };
    case "SCALED_PRESSURE":
      return { time_boot_ms: ms, press_abs: 1013.25 - (c.homeAltM + c.k.pos.u) * 0.12 + noise(c, 0.02), press_diff: 0, temperature: 2150 + Math.round(noise(c, 20)) };
    case "BATTERY_STATUS":
      return {
        id: 0, battery_function: 0, type: 1, temperature: 32767, voltages: [Math.round(volts(c) * 1000), ...Array<number>(9).fill(65535)],
        current_battery: Math.round(c.currentA * 100), current_consumed: Math.round(c.consumedMah), energy_consumed: -1,
        battery_remaining: remaining(c), time_remaining: 0, charge_state: 1,
      };
    case "EKF_STATUS_REPORT":
      return { flags: 0x3a7, velocity_variance: 0.02 + c.rnd() * 0.02, pos_horiz_variance: 0.01 + c.rnd() * 0.02, pos_vert_variance: 0.01 + c.rnd() * 0.01, compass_variance: 0.02, terrain_alt_variance: 0 };
    case "SYSTEM_TIME":
      return { time_unix_usec: c.unixUs, time_boot_ms: ms };
    case "MISSION_CURRENT":
      return { seq: c.k.wp, total: c.missionCount, mission_state: c.k.wp > 0 ? 3 : 2, mission_mode: c.k.wp > 0 ? 1 : 0 };
    default:
      throw new Error(`no telemetry generator for ${name}`);
  }
}
