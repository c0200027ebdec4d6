/**
 * Frame -> Decoded, in SI units. Only the messages of the MavMessage union are decoded; any other valid frame is
 * `{kind: "other"}` with its name, without touching its payload.
 */
import {
  autopilotName, gpsFixOf, isVehicleHeartbeat, severityOf, systemStatusOf, vehicleClassOf,
} from "./enums";
import { messageClass, num, nums, text } from "./fields";
import type { PayloadView } from "./fields";
import { MAV_AUTOPILOT, MAV_MODE_FLAG_SAFETY_ARMED, MSG_ID, mavResultName } from "./ids";
import { modeName } from "./modes";
import { missionDecoders } from "./mission";
import { messageName } from "./registry";
import type { Decoded, Frame, MavMessage } from "./types";
import type { BatteryChargeState } from "../protocol";

type Decoder = (p: PayloadView) => MavMessage;

const UINT16_UNKNOWN = 0xffff;
/** COMMAND_ACK.progress: 255 = unknown. */
const PROGRESS_UNKNOWN = 0xff;
/** MAV_SYS_STATUS_PREARM_CHECK */
export const SENSOR_PREARM_CHECK = 0x10000000;
/** EKF_STATUS_FLAGS */
export const EKF_FLAGS = {
  ATTITUDE: 1,
  VELOCITY_HORIZ: 2,
  POS_HORIZ_ABS: 16,
  CONST_POS_MODE: 128,
  UNINITIALIZED: 1024,
  GPS_GLITCH: 32768,
} as const;
/** MAV_SYS_STATUS_SENSOR bits by name, as ArduPilot fills SYS_STATUS present/enabled/health. */
const SENSOR_BITS: readonly (readonly [string, number])[] = [
  ["3D_GYRO", 0x1], ["3D_ACCEL", 0x2], ["3D_MAG", 0x4], ["ABSOLUTE_PRESSURE", 0x8], ["DIFFERENTIAL_PRESSURE", 0x10],
  ["GPS", 0x20], ["OPTICAL_FLOW", 0x40], ["VISION_POSITION", 0x80], ["LASER_POSITION", 0x100],
  ["EXTERNAL_GROUND_TRUTH", 0x200], ["ANGULAR_RATE_CONTROL", 0x400], ["ATTITUDE_STABILIZATION", 0x800],
  ["YAW_POSITION", 0x1000], ["Z_ALTITUDE_CONTROL", 0x2000], ["XY_POSITION_CONTROL", 0x4000], ["MOTOR_OUTPUTS", 0x8000],
  ["RC_RECEIVER", 0x10000], ["3D_GYRO2", 0x20000], ["3D_ACCEL2", 0x40000], ["3D_MAG2", 0x80000], ["GEOFENCE", 0x100000],
  ["AHRS", 0x200000], ["TERRAIN", 0x400000], ["REVERSE_MOTOR", 0x800000], ["LOGGING", 0x1000000], ["BATTERY", 0x2000000],
  ["PROXIMITY", 0x4000000], ["SATCOM", 0x8000000], ["PREARM_CHECK", 0x10000000], ["OBSTACLE_AVOIDANCE", 0x20000000],
  ["PROPULSION", 0x40000000],
];

/** Sensors the vehicle has and uses (present and enabled) that it reports unhealthy. */
export function unhealthySensors(present: number, enabled: number, health: number): string[] {
  const bad = present & enabled & ~health;
  return bad === 0 ? [] : SENSOR_BITS.filter(([, bit]) => (bad & bit) !== 0).map(([name]) => name);
}

/** MAV_BATTERY_CHARGE_STATE 1..7; 0 (UNDEFINED, or the field truncated away) is "not reported". */
const CHARGE_STATES: readonly (BatteryChargeState | null)[] = [
  null, "ok", "low", "critical", "emergency", "failed", "unhealthy", "charging",
];

const EKF_REQUIRED = EKF_FLAGS.ATTITUDE | EKF_FLAGS.VELOCITY_HORIZ | EKF_FLAGS.POS_HORIZ_ABS;
const EKF_BAD = EKF_FLAGS.CONST_POS_MODE | EKF_FLAGS.UNINITIALIZED | EKF_FLAGS.GPS_GLITCH;


/** value / divisor, or null for the message's "unknown" marker. Divides, as 1234 / 100 is exact where 1234 * 0.01 is not. */
function orNull(value: number, unknown: number, divisor: number): number | null {
  return value === unknown ? null : value / divisor;
}

function heartbeat(): Decoder {
  const c = messageClass(MSG_ID.HEARTBEAT, "HEARTBEAT");
  const type = num(c, "type"), autopilot = num(c, "autopilot"), baseMode = num(c, "base_mode");
  const customMode = num(c, "custom_mode"), systemStatus = num(c, "system_status");
  return (p) => {
    const mavType = type(p), autopilotId = autopilot(p), base = baseMode(p), custom = customMode(p);
    const vehicleClass = vehicleClassOf(mavType);
    return {
      kind: "heartbeat", mavType, vehicleClass,
      isVehicle: isVehicleHeartbeat(mavType, autopilotId),
      autopilot: autopilotName(autopilotId), autopilotId,
      baseMode: base, customMode: custom,
      armed: (base & MAV_MODE_FLAG_SAFETY_ARMED) !== 0,
      // custom_mode means ArduPilot's mode numbers only when ArduPilot sent it.
      mode: autopilotId === MAV_AUTOPILOT.ARDUPILOTMEGA ? modeName(vehicleClass, custom) : `MODE(${custom})`,
      systemStatus: systemStatusOf(systemStatus(p)),
    };
  };
}

function globalPosition(): Decoder {
  const c = messageClass(MSG_ID.GLOBAL_POSITION_INT, "GLOBAL_POSITION_INT");
  const lat = num(c, "lat"), lon = num(c, "lon"), alt = num(c, "alt"), rel = num(c, "relative_alt");
  const vx = num(c, "vx"), vy = num(c, "vy"), vz = num(c, "vz"), hdg = num(c, "hdg");
  return (p) => ({
    kind: "globalPosition",
    lat: lat(p) / 1e7, lon: lon(p) / 1e7, altAmsl: alt(p) / 1000, altRelative: rel(p) / 1000,
    vn: vx(p) / 100, ve: vy(p) / 100, vd: vz(p) / 100,
    heading: orNull(hdg(p), UINT16_UNKNOWN, 100),
  });
}

function attitude(): Decoder {
  const c = messageClass(MSG_ID.ATTITUDE, "ATTITUDE");
  const roll = num(c, "roll"), pitch = num(c, "pitch"), yaw = num(c, "yaw");
  const rs = num(c, "rollspeed"), ps = num(c, "pitchspeed"), ys = num(c, "yawspeed");
  return (p) => ({
    kind: "attitude", roll: roll(p), pitch: pitch(p), yaw: yaw(p), rollSpeed: rs(p), pitchSpeed: ps(p), yawSpeed: ys(p),
  });
}

function vfrHud(): Decoder {
  const c = messageClass(MSG_ID.VFR_HUD, "VFR_HUD");
  const air = num(c, "airspeed"), ground = num(c, "groundspeed"), heading = num(c, "heading");
  const throttle = num(c, "throttle"), alt = num(c, "alt"), climb = num(c, "climb");
  return (p) => ({
    kind: "vfrHud", airSpeed: air(p), groundSpeed: ground(p), heading: heading(p), throttle: throttle(p),
    altAmsl: alt(p), climb: climb(p),
  });
}

function gpsRaw(): Decoder {
  const c = messageClass(MSG_ID.GPS_RAW_INT, "GPS_RAW_INT");
  const fix = num(c, "fix_type"), sats = num(c, "satellites_visible"), eph = num(c, "eph"), epv = num(c, "epv");
  const lat = num(c, "lat"), lon = num(c, "lon"), alt = num(c, "alt"), vel = num(c, "vel"), cog = num(c, "cog");
  return (p) => ({
    kind: "gpsRaw",
    fix: gpsFixOf(fix(p)),
    satellites: orNull(sats(p), 255, 1),
    hdop: orNull(eph(p), UINT16_UNKNOWN, 100),
    vdop: orNull(epv(p), UINT16_UNKNOWN, 100),
    lat: lat(p) / 1e7, lon: lon(p) / 1e7, altAmsl: alt(p) / 1000,
    groundSpeed: orNull(vel(p), UINT16_UNKNOWN, 100),
    courseOverGround: orNull(cog(p), UINT16_UNKNOWN, 100),
  });
}

function sysStatus(): Decoder {
  const c = messageClass(MSG_ID.SYS_STATUS, "SYS_STATUS");
  const present = num(c, "onboard_control_sensors_present"), enabled = num(c, "onboard_control_sensors_enabled");
  const health = num(c, "onboard_control_sensors_health"), load = num(c, "load");
  const voltage = num(c, "voltage_battery"), current = num(c, "current_battery");
  const remaining = num(c, "battery_remaining"), drop = num(c, "drop_rate_comm");
  return (p) => {
    const sensorsPresent = present(p), sensorsHealth = health(p), sensorsEnabled = enabled(p);
    return {
      kind: "sysStatus",
      voltage: orNull(voltage(p), UINT16_UNKNOWN, 1000),
      current: orNull(current(p), -1, 100),
      remaining: orNull(remaining(p), -1, 1),
      sensorsPresent, sensorsEnabled, sensorsHealth,
      prearmOk: sensorsPresent & SENSOR_PREARM_CHECK ? (sensorsHealth & SENSOR_PREARM_CHECK) !== 0 : null,
      unhealthy: unhealthySensors(sensorsPresent, sensorsEnabled, sensorsHealth),
      load: load(p) / 1000,
      dropRateComm: drop(p) / 10000,
    };
  };
}

function batteryStatus(): Decoder {
  const c = messageClass(MSG_ID.BATTERY_STATUS, "BATTERY_STATUS");
  const id = num(c, "id"), current = num(c, "current_battery"), consumed = num(c, "current_consumed");
  const remaining = num(c, "battery_remaining"), voltages = nums(c, "voltages"), ext = nums(c, "voltages_ext");
  const chargeState = num(c, "charge_state");
  return (p) => {
    // Cells 1-10: 65535 = not present. Cells 11-14 (extension): 0 = not present (so truncation drops them).
    const cells = voltages(p).filter((mv) => mv !== UINT16_UNKNOWN);
    for (const mv of ext(p)) if (mv !== 0 && mv !== UINT16_UNKNOWN) cells.push(mv);
    return {
      kind: "batteryStatus",
      id: id(p),
      voltage: cells.length === 0 ? null : cells.reduce((sum, mv) => sum + mv, 0) / 1000,
      current: orNull(current(p), -1, 100),
      consumedMah: orNull(consumed(p), -1, 1),
      remaining: orNull(remaining(p), -1, 1),
      cellVoltages: cells.map((mv) => mv / 1000),
      chargeState: CHARGE_STATES[chargeState(p)] ?? null,
    };
  };
}

function statusText(): Decoder {
  const c = messageClass(MSG_ID.STATUSTEXT, "STATUSTEXT");
  const severity = num(c, "severity"), body = text(c, "text");
  return (p) => ({ kind: "statusText", severity: severityOf(severity(p)), text: body(p) });
}

function homePosition(): Decoder {
  const c = messageClass(MSG_ID.HOME_POSITION, "HOME_POSITION");
  const lat = num(c, "latitude"), lon = num(c, "longitude"), alt = num(c, "altitude");
  return (p) => ({ kind: "homePosition", lat: lat(p) / 1e7, lon: lon(p) / 1e7, altAmsl: alt(p) / 1000 });
}

function missionCurrent(): Decoder {
  const c = messageClass(MSG_ID.MISSION_CURRENT, "MISSION_CURRENT");
  const seq = num(c, "seq"), total = num(c, "total"), state = num(c, "mission_state");
  return (p) => {
    const t = total(p), s = state(p);
    return {
      kind: "missionCurrent",
      seq: seq(p),
      // total: 0 = not supported (or not sent), 65535 = no mission on the vehicle.
      total: t === 0 ? null : t === UINT16_UNKNOWN ? 0 : t,
      // MISSION_STATE 0 = unknown (or not sent).
      missionState: s === 0 ? null : s,
    };
  };
}

function missionItemReached(): Decoder {
  const seq = num(messageClass(MSG_ID.MISSION_ITEM_REACHED, "MISSION_ITEM_REACHED"), "seq");
  return (p) => ({ kind: "missionItemReached", seq: seq(p) });
}

function ekfStatus(): Decoder {
  const flags = num(messageClass(MSG_ID.EKF_STATUS_REPORT, "EKF_STATUS_REPORT"), "flags");
  return (p) => {
    const f = flags(p);
    return { kind: "ekfStatus", flags: f, healthy: (f & EKF_REQUIRED) === EKF_REQUIRED && (f & EKF_BAD) === 0 };
  };
}

const FIRMWARE_TYPE_SUFFIX: Readonly<Record<number, string>> = Object.freeze({
  0: "-dev", 64: "-alpha", 128: "-beta", 192: "-rc", 255: "",
});

/** ArduPilot packs flight_sw_version as major << 24 | minor << 16 | patch << 8 | FIRMWARE_VERSION_TYPE. */
export function firmwareVersion(packed: number): string {
  const type = packed & 0xff;
  const suffix = FIRMWARE_TYPE_SUFFIX[type] ?? `-type${type}`;
  return `${packed >>> 24}.${(packed >>> 16) & 0xff}.${(packed >>> 8) & 0xff}${suffix}`;
}

function autopilotVersion(): Decoder {
  const version = num(messageClass(MSG_ID.AUTOPILOT_VERSION, "AUTOPILOT_VERSION"), "flight_sw_version");
  return (p) => ({ kind: "autopilotVersion", firmware: firmwareVersion(version(p)) });
}

function commandAck(): Decoder {
  const c = messageClass(MSG_ID.COMMAND_ACK, "COMMAND_ACK");
  const command = num(c, "command"), result = num(c, "result"), progress = num(c, "progress");
  return (p) => {
    const r = result(p), pr = progress(p);
    return {
      kind: "commandAck", command: command(p), result: r, resultName: mavResultName(r),
      progress: pr === PROGRESS_UNKNOWN ? null : pr,
    };
  };
}

function buildDecoders(): ReadonlyMap<number, Decoder> {
  return new Map<number, Decoder>([
    [MSG_ID.HEARTBEAT, heartbeat()],
    [MSG_ID.GLOBAL_POSITION_INT, globalPosition()],
    [MSG_ID.ATTITUDE, attitude()],
    [MSG_ID.VFR_HUD, vfrHud()],
    [MSG_ID.GPS_RAW_INT, gpsRaw()],
    [MSG_ID.SYS_STATUS, sysStatus()],
    [MSG_ID.BATTERY_STATUS, batteryStatus()],
    [MSG_ID.STATUSTEXT, statusText()],
    [MSG_ID.HOME_POSITION, homePosition()],
    [MSG_ID.MISSION_CURRENT, missionCurrent()],
    [MSG_ID.MISSION_ITEM_REACHED, missionItemReached()],
    [MSG_ID.EKF_STATUS_REPORT, ekfStatus()],
    [MSG_ID.AUTOPILOT_VERSION, autopilotVersion()],
    [MSG_ID.COMMAND_ACK, commandAck()],
    ...missionDecoders(),
  ]);
}

/** Built once at import (checks every field name against the dialect), never changed. */
const DECODERS = buildDecoders();
/** The same, indexed by msgid (an array lookup per frame instead of a Map's). */
const BY_MSGID: readonly (Decoder | undefined)[] = (() => {
  const out = new Array<Decoder | undefined>(Math.max(...DECODERS.keys()) + 1).fill(undefined);
  for (const [msgid, decode] of DECODERS) out[msgid] = decode;
  return out;
})();

/** The msgids decodeFrame interprets; everything else decodes as "other". */
export const DECODED_MSG_IDS: ReadonlySet<number> = new Set(DECODERS.keys());

export function decodeFrame(frame: Frame): Decoded {
  const decode = frame.msgid < BY_MSGID.length ? BY_MSGID[frame.msgid] : undefined;
  return {
    sysid: frame.sysid,
    compid: frame.compid,
    seq: frame.seq,
    msgid: frame.msgid,
    message: decode ? decode(frame) : { kind: "other", name: messageName(frame.msgid) },
  };
}
