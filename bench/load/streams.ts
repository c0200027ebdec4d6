/**
 * What one armed ArduCopter sends at its usual stream rates (~35 packets/s), as raw MAVLink from our encoder.
 * A load vehicle does not answer the ground station: it keeps these rates whatever is asked (the requests it gets
 * are counted instead). GLOBAL_POSITION_INT.relative_alt carries the send time (ms modulo 100 s, as millimetres)
 * so that a viewer can tell how old the position it is shown is: both run on this machine's clock.
 */
import type { RawFields } from "../../server/mavlink";

export const TIME_WINDOW_MS = 100_000;

/** Messages per second of each stream: 35 in all. */
export const STREAMS: readonly { name: string; hz: number }[] = [
  { name: "HEARTBEAT", hz: 1 }, { name: "SYS_STATUS", hz: 2 }, { name: "SYSTEM_TIME", hz: 1 }, { name: "GPS_RAW_INT", hz: 2 },
  { name: "GLOBAL_POSITION_INT", hz: 5 }, { name: "ATTITUDE", hz: 10 }, { name: "VFR_HUD", hz: 5 }, { name: "BATTERY_STATUS", hz: 1 },
  { name: "EKF_STATUS_REPORT", hz: 1 }, { name: "MISSION_CURRENT", hz: 1 }, { name: "NAV_CONTROLLER_OUTPUT", hz: 2 },
  { name: "SERVO_OUTPUT_RAW", hz: 2 }, { name: "RC_CHANNELS", hz: 2 },
];

export const PACKETS_PER_SECOND = STREAMS.reduce((n, s) => n + s.hz, 0);

/** Where vehicle `i` flies: a circle of 150 m around its own centre, one lap every two minutes. */
export function poseAt(i: number, bootMs: number): { lat: number; lon: number; hdg: number } {
  const centreLat = 53.40 + (i % 20) * 0.01;
  const centreLon = -2.30 + Math.floor(i / 20) * 0.015;
  const a = (bootMs / 120_000) * 2 * Math.PI + i;
  const lat = centreLat + (150 / 111_320) * Math.cos(a);
  const lon = centreLon + (150 / (111_320 * Math.cos((centreLat * Math.PI) / 180))) * Math.sin(a);
  const hdg = ((((a + Math.PI / 2) * 180) / Math.PI) % 360 + 360) % 360;
  return { lat, lon, hdg };
}

/** The fields of `name` for vehicle `i`, `bootMs` after its boot, sent at wall time `nowMs`. */
export function fieldsOf(name: string, i: number, bootMs: number, nowMs: number): RawFields {
  const p = poseAt(i, bootMs);
  const boot = bootMs >>> 0;
  // GLOBAL_POSITION_INT's hdg (0..35999 cdeg); VFR_HUD's heading is it truncated to whole degrees, as ArduPilot sends.
  const hdgCdeg = Math.round(p.hdg * 100) % 36000;
  switch (name) {
    case "HEARTBEAT": return { type: 2, autopilot: 3, base_mode: 217, custom_mode: 5, system_status: 4, mavlink_version: 3 };
    case "SYS_STATUS": return {
      onboard_control_sensors_present: 0x0160fc2f, onboard_control_sensors_enabled: 0x0160fc2f, onboard_control_sensors_health: 0x0160fc2f,
      load: 250, voltage_battery: 15_800, current_battery: 1_250, battery_remaining: 80, drop_rate_comm: 0, errors_comm: 0,
    };
    case "SYSTEM_TIME": return { time_unix_usec: nowMs * 1000, time_boot_ms: boot };
    case "GPS_RAW_INT": return {
      time_usec: bootMs * 1000, fix_type: 3, lat: Math.round(p.lat * 1e7), lon: Math.round(p.lon * 1e7), alt: 60_000, eph: 80, epv: 120,
      vel: 800, cog: hdgCdeg, satellites_visible: 14,
    };
    case "GLOBAL_POSITION_INT": return {
      time_boot_ms: boot, lat: Math.round(p.lat * 1e7), lon: Math.round(p.lon * 1e7), alt: 60_000 + (nowMs % TIME_WINDOW_MS),
      relative_alt: nowMs % TIME_WINDOW_MS, vx: 0, vy: 0, vz: 0, hdg: hdgCdeg,
    };
    case "ATTITUDE": return { time_boot_ms: boot, roll: 0.05, pitch: -0.03, yaw: ((p.hdg > 180 ? p.hdg - 360 : p.hdg) * Math.PI) / 180 };
    case "VFR_HUD": return { airspeed: 8, groundspeed: 8, heading: Math.floor(hdgCdeg / 100), throttle: 45, alt: 40, climb: 0 };
    case "BATTERY_STATUS": return {
      id: 0, battery_function: 0, type: 0, temperature: 32767, voltages: [15_800, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535],
      current_battery: 1_250, current_consumed: 900, energy_consumed: -1, battery_remaining: 80,
    };
    case "EKF_STATUS_REPORT": return { flags: 0x3ff, velocity_variance: 0.1, pos_horiz_variance: 0.1, pos_vert_variance: 0.1, compass_variance: 0.1, terrain_alt_variance: 0 };
    case "MISSION_CURRENT": return { seq: 0 };
    case "NAV_CONTROLLER_OUTPUT": return { nav_roll: 3, nav_pitch: -2, nav_bearing: Math.round(p.hdg), target_bearing: Math.round(p.hdg), wp_dist: 0, alt_error: 0, aspd_error: 0, xtrack_error: 0 };
    case "SERVO_OUTPUT_RAW": return { time_usec: boot * 1000 % 0xffffffff, port: 0, servo1_raw: 1500, servo2_raw: 1500, servo3_raw: 1500, servo4_raw: 1500 };
    case "RC_CHANNELS": return { time_boot_ms: boot, chancount: 8, chan1_raw: 1500, chan2_raw: 1500, chan3_raw: 1500, chan4_raw: 1500, rssi: 255 };
    default: throw new Error(`no load stream ${name}`);
  }
}

/** The send time a position carries, from its relative altitude (m) and the time it was received. */
export function sentAt(altRelativeM: number, receivedMs: number): number {
  const carried = Math.round(altRelativeM * 1000);
  const age = (((receivedMs % TIME_WINDOW_MS) - carried) % TIME_WINDOW_MS + TIME_WINDOW_MS) % TIME_WINDOW_MS;
  return receivedMs - age;
}
