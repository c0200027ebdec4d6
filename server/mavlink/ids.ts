/**
 * MAVLink numbers the rest of the server needs, by name, so nobody outside this folder writes raw numbers.
 * Checked against mavlink-mappings by ids.test.ts.
 */
import { ardupilotmega, common } from "mavlink-mappings";

export const MSG_ID = {
  HEARTBEAT: 0,
  SYS_STATUS: 1,
  PARAM_VALUE: 22,
  GPS_RAW_INT: 24,
  ATTITUDE: 30,
  GLOBAL_POSITION_INT: 33,
  MISSION_ITEM: 39,
  MISSION_REQUEST: 40,
  MISSION_SET_CURRENT: 41,
  MISSION_CURRENT: 42,
  MISSION_REQUEST_LIST: 43,
  MISSION_COUNT: 44,
  MISSION_CLEAR_ALL: 45,
  MISSION_ITEM_REACHED: 46,
  MISSION_ACK: 47,
  MISSION_REQUEST_INT: 51,
  REQUEST_DATA_STREAM: 66,
  MISSION_ITEM_INT: 73,
  VFR_HUD: 74,
  COMMAND_LONG: 76,
  COMMAND_ACK: 77,
  TIMESYNC: 111,
  BATTERY_STATUS: 147,
  FENCE_STATUS: 162,
  AUTOPILOT_VERSION: 148,
  EKF_STATUS_REPORT: 193,
  HOME_POSITION: 242,
  MESSAGE_INTERVAL: 244,
  STATUSTEXT: 253,
} as const;

export type MsgIdName = keyof typeof MSG_ID;

export const MAV_CMD = {
  NAV_WAYPOINT: 16,
  NAV_RETURN_TO_LAUNCH: 20,
  NAV_LAND: 21,
  NAV_TAKEOFF: 22,
  DO_SET_MODE: 176,
  DO_CHANGE_SPEED: 178,
  DO_REPOSITION: 192,
  DO_SET_MISSION_CURRENT: 224,
  MISSION_START: 300,
  COMPONENT_ARM_DISARM: 400,
  GET_MESSAGE_INTERVAL: 510,
  SET_MESSAGE_INTERVAL: 511,
  REQUEST_MESSAGE: 512,
} as const;

/** COMPONENT_ARM_DISARM param2 that forces arming/disarming past the checks: never sent by default. */
export const ARM_FORCE_MAGIC = 21196;

/** DO_SET_MODE param1: custom_mode is valid (MAV_MODE_FLAG_CUSTOM_MODE_ENABLED). */
export const MAV_MODE_FLAG_CUSTOM_MODE_ENABLED = 1;
export const MAV_MODE_FLAG_SAFETY_ARMED = 128;

export const MAV_RESULT = {
  ACCEPTED: 0,
  TEMPORARILY_REJECTED: 1,
  DENIED: 2,
  UNSUPPORTED: 3,
  FAILED: 4,
  IN_PROGRESS: 5,
  CANCELLED: 6,
  COMMAND_LONG_ONLY: 7,
  COMMAND_INT_ONLY: 8,
  COMMAND_UNSUPPORTED_MAV_FRAME: 9,
} as const;

export type MavResultName = keyof typeof MAV_RESULT;

const RESULT_NAMES: readonly MavResultName[] = Object.freeze(
  (Object.keys(MAV_RESULT) as MavResultName[]).sort((a, b) => MAV_RESULT[a] - MAV_RESULT[b]),
);

/** "ACCEPTED", "FAILED", ...; "RESULT(n)" for a number this dialect does not define. */
export function mavResultName(result: number): string {
  return RESULT_NAMES[result] ?? `RESULT(${result})`;
}

/** MAV_CMD names by number: the common dialect's, then ArduPilot's own. */
const CMD_NAMES = common.MavCmd as unknown as Readonly<Record<number, string | undefined>>;
const ARDUPILOT_CMD_NAMES = ardupilotmega.MavCmd as unknown as Readonly<Record<number, string | undefined>>;

/** "DO_REPOSITION", "SET_MESSAGE_INTERVAL"...; "CMD(n)" for a number the dialect does not name. */
export function mavCmdName(command: number): string {
  return CMD_NAMES[command] ?? ARDUPILOT_CMD_NAMES[command] ?? `CMD(${command})`;
}

export const MAV_DATA_STREAM_ALL = 0;

/** MAV_MISSION_TYPE: the lists a vehicle keeps (ALL only for MISSION_CLEAR_ALL). */
export const MAV_MISSION_TYPE = { MISSION: 0, FENCE: 1, RALLY: 2, ALL: 255 } as const;

/** MAV_MISSION_RESULT, the `type` of MISSION_ACK. */
export const MAV_MISSION_RESULT = {
  ACCEPTED: 0,
  ERROR: 1,
  UNSUPPORTED_FRAME: 2,
  UNSUPPORTED: 3,
  NO_SPACE: 4,
  INVALID: 5,
  INVALID_PARAM1: 6,
  INVALID_PARAM2: 7,
  INVALID_PARAM3: 8,
  INVALID_PARAM4: 9,
  INVALID_PARAM5_X: 10,
  INVALID_PARAM6_Y: 11,
  INVALID_PARAM7: 12,
  INVALID_SEQUENCE: 13,
  DENIED: 14,
  OPERATION_CANCELLED: 15,
} as const;

export type MavMissionResultName = keyof typeof MAV_MISSION_RESULT;

const MISSION_RESULT_NAMES: readonly MavMissionResultName[] = Object.freeze(
  (Object.keys(MAV_MISSION_RESULT) as MavMissionResultName[])
    .sort((a, b) => MAV_MISSION_RESULT[a] - MAV_MISSION_RESULT[b]),
);

/** "NO_SPACE", "DENIED", ...; "MISSION_RESULT(n)" for a number this dialect does not define. */
export function mavMissionResultName(result: number): string {
  return MISSION_RESULT_NAMES[result] ?? `MISSION_RESULT(${result})`;
}

export const MAV_TYPE = {
  GENERIC: 0,
  FIXED_WING: 1,
  QUADROTOR: 2,
  GCS: 6,
  ONBOARD_CONTROLLER: 18,
} as const;

export const MAV_AUTOPILOT = {
  GENERIC: 0,
  ARDUPILOTMEGA: 3,
  INVALID: 8,
  PX4: 12,
} as const;

export const MAV_STATE_ACTIVE = 4;

/** The ground station's own identity unless configured (DESIGN: sysid 255, MAV_COMP_ID_MISSIONPLANNER). */
export const GCS_DEFAULT_IDS = Object.freeze({ sysid: 255, compid: 190 });
