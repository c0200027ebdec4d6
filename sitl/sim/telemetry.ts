/**
 * MAVLink fields (MAVLink names and units) of every message the simulator streams, from a VehicleView.
 * Constants copied from the recording where the real vehicle reports fixed values (sensor bitmasks, MEMINFO,
 * RC inputs) so a ground station sees what it would see from ArduCopter SITL.
 */
import type { RawFields } from "../../server/mavlink";
import type { VehicleView } from "./view";

const deg7 = (deg: number): number => Math.round(deg * 1e7);
const mm = (m: number): number => Math.round(m * 1000);
const cm = (m: number): number => Math.round(m * 100);

export type Builder = (v: VehicleView) => RawFields | null;

function headingCdeg(v: VehicleView): number {
  return Math.round(v.phys.heading * 100) % 36000;
}

const globalPosition: Builder = (v): RawFields => {
  // Before the origin the real one sends an all-zero payload (time aside).
  if (!v.home) return { time_boot_ms: v.timeBootMs };
  return {
    time_boot_ms: v.timeBootMs, lat: deg7(v.lat), lon: deg7(v.lon), alt: mm(v.altAmsl),
    relative_alt: mm(v.phys.up), vx: cm(v.phys.vn), vy: cm(v.phys.ve), vz: cm(-v.phys.vu), hdg: headingCdeg(v),
  };
};

const gpsRaw: Builder = (v): RawFields => {
  if (!v.gpsFix && !v.gpsLost) return { time_usec: 0, eph: 65535, epv: 65535, fix_type: 0 };
  const speed = Math.hypot(v.phys.vn, v.phys.ve);
  const cog = speed > 0.2 ? Math.round(((Math.atan2(v.phys.ve, v.phys.vn) * 18000) / Math.PI + 36000) % 36000) : 0;
  // A lost fix (gps_loss_ekf): fix_type 1 with 3 satellites, time_usec frozen at the last fix, the rest as before.
  return {
    time_usec: v.gpsLost ? v.lastFixUs : v.timeBootMs * 1000, lat: deg7(v.lat), lon: deg7(v.lon), alt: mm(v.altAmsl),
    eph: 121, epv: 200, vel: cm(speed), cog, fix_type: v.gpsLost ? 1 : 6, satellites_visible: v.gpsLost ? 3 : 10,
    alt_ellipsoid: mm(v.altAmsl), h_acc: 300, v_acc: 300,
  };
};

const sysStatus: Builder = (v) => {
  const bits = v.sensors;
  return {
    onboard_control_sensors_present: bits.present, onboard_control_sensors_enabled: bits.enabled,
    onboard_control_sensors_health: bits.health, load: 0, voltage_battery: Math.round(v.battery.voltage * 1000),
    current_battery: cm(v.battery.current), battery_remaining: Math.round(v.battery.remaining * 100),
  };
};

const batteryStatus: Builder = (v) => ({
  current_consumed: Math.round(v.battery.consumedMah),
  energy_consumed: Math.round((v.battery.consumedMah * v.battery.voltage) / 100), // hJ, as ArduPilot
  temperature: 32767,
  voltages: [Math.round(v.battery.voltage * 1000), ...new Array<number>(9).fill(65535)],
  current_battery: cm(v.battery.current), id: 0, battery_remaining: Math.round(v.battery.remaining * 100),
  // MAV_BATTERY_CHARGE_STATE from the battery failsafe level, as ArduPilot sets it (not from the percentage).
  charge_state: v.chargeState, voltages_ext: [0, 0, 0, 0],
});

// Variances stay small through a GPS outage (gps_loss_ekf): the failsafe comes from the lost position flags.
const ekfStatus: Builder = (v) => ({
  velocity_variance: v.ekfUsingGps ? 0.012 : 0, pos_horiz_variance: v.ekfUsingGps ? 0.006 : 0,
  pos_vert_variance: 0.0005, compass_variance: 0.008, terrain_alt_variance: 0, flags: v.ekfFlags,
});

const pwm = (throttle: number): number => Math.round(1000 + throttle * 15);

export const BUILDERS: ReadonlyMap<string, Builder> = new Map<string, Builder>([
  ["GLOBAL_POSITION_INT", globalPosition],
  ["GPS_RAW_INT", gpsRaw],
  ["SYS_STATUS", sysStatus],
  ["BATTERY_STATUS", batteryStatus],
  ["EKF_STATUS_REPORT", ekfStatus],
  ["FENCE_STATUS", (v) => v.fenceStatus],
  // Streamed only when asked by SET_MESSAGE_INTERVAL; nothing while the vehicle has no home (as ArduPilot).
  ["HOME_POSITION", (v) => homeFields(v)],
  ["GPS_GLOBAL_ORIGIN", (v) => originFields(v)],
  ["ATTITUDE", (v) => ({
    time_boot_ms: v.timeBootMs, roll: v.phys.roll, pitch: v.phys.pitch,
    yaw: ((v.phys.heading > 180 ? v.phys.heading - 360 : v.phys.heading) * Math.PI) / 180,
    rollspeed: 0, pitchspeed: 0, yawspeed: v.phys.yawRate,
  })],
  ["VFR_HUD", (v) => {
    const gs = Math.hypot(v.phys.vn, v.phys.ve);
    return {
      airspeed: gs, groundspeed: gs, alt: v.home ? v.altAmsl : 0, climb: v.phys.vu,
      // ArduPilot's VFR_HUD heading is GLOBAL_POSITION_INT's, truncated to whole degrees (yaw_sensor / 100).
      heading: Math.floor(headingCdeg(v) / 100), throttle: Math.round(v.throttle),
    };
  }],
  ["LOCAL_POSITION_NED", (v) => v.home ? {
    time_boot_ms: v.timeBootMs, x: v.phys.north, y: v.phys.east, z: -v.phys.up,
    vx: v.phys.vn, vy: v.phys.ve, vz: -v.phys.vu,
  } : null],
  ["MISSION_CURRENT", (v) => ({
    seq: v.mission.seq, total: v.mission.total, mission_state: v.mission.state, mission_mode: v.mode === 3 ? 1 : 0,
  })],
  ["NAV_CONTROLLER_OUTPUT", (v) => ({
    nav_roll: (v.phys.roll * 180) / Math.PI, nav_pitch: (v.phys.pitch * 180) / Math.PI, alt_error: v.nav.altError,
    nav_bearing: Math.round(v.nav.bearing), target_bearing: Math.round(v.nav.bearing),
    wp_dist: Math.min(65535, Math.round(v.nav.distance)),
  })],
  ["SERVO_OUTPUT_RAW", (v) => {
    const out = v.armed ? pwm(v.throttle) : 1000;
    return {
      time_usec: (v.timeBootMs * 1000) % 2 ** 32, servo1_raw: out, servo2_raw: out, servo3_raw: out, servo4_raw: out,
    };
  }],
  ["RC_CHANNELS", (v) => ({
    time_boot_ms: v.timeBootMs, chan1_raw: 1500, chan2_raw: 1500, chan3_raw: 1000, chan4_raw: 1500,
    chan5_raw: 1800, chan6_raw: 1000, chan7_raw: 1000, chan8_raw: 1800, chancount: 8, rssi: 255,
  })],
  ["POWER_STATUS", () => ({ Vcc: 5000, Vservo: 0, flags: 0 })],
  ["MEMINFO", () => ({ brkval: 0, freemem: 65535, freemem32: 524288 })],
  ["SYSTEM_TIME", (v) => ({ time_unix_usec: v.unixMs * 1000, time_boot_ms: v.timeBootMs })],
  ["VIBRATION", (v) => ({ time_usec: v.timeBootMs * 1000, vibration_x: 0.01, vibration_y: 0.003, vibration_z: 0.009 })],
  ["RAW_IMU", (v) => ({
    time_usec: v.timeBootMs * 1000, xacc: Math.round(Math.sin(v.phys.pitch) * 1000),
    yacc: Math.round(-Math.sin(v.phys.roll) * 1000), zacc: -1000, xmag: 95, ymag: -140, zmag: 459, temperature: 2959,
  })],
  ["SCALED_PRESSURE", (v) => ({
    time_boot_ms: v.timeBootMs, press_abs: 1013.25 * Math.exp(-(v.altAmsl) / 8434), temperature: 3406,
  })],
  ["AHRS", () => ({ omegaIx: 0, omegaIy: 0, omegaIz: 0, error_rp: 0.005, error_yaw: 0.01 })],
  ["WIND", () => ({ direction: -180, speed: 0, speed_z: 0 })],
]);

export function heartbeatFields(v: VehicleView): RawFields {
  return {
    type: 2, autopilot: 3, base_mode: v.baseMode, custom_mode: v.mode, system_status: v.systemStatus,
    mavlink_version: 3,
  };
}

/** HOME_POSITION: approach vector and quaternion as ArduPilot fills them (q identity). */
export function homeFields(v: VehicleView): RawFields | null {
  if (!v.home) return null;
  return {
    latitude: deg7(v.home.lat), longitude: deg7(v.home.lon), altitude: mm(v.home.altAmsl),
    q: [1, 0, 0, 0], time_usec: v.timeBootMs * 1000,
  };
}

export function originFields(v: VehicleView): RawFields | null {
  if (!v.home) return null;
  return {
    latitude: deg7(v.home.lat), longitude: deg7(v.home.lon), altitude: mm(v.home.altAmsl),
    time_usec: v.timeBootMs * 1000,
  };
}
