/**
 * The mission side of the simulated ArduCopter: shapes shared by the protocol server, the AUTO executor and the
 * .waypoints reader, and the MAVLink numbers they use (MAV_MISSION_RESULT, MISSION_STATE, frames, commands).
 */
import type { RawFields } from "../../../server/mavlink/index";

/** One stored mission item. x, y: degE7 integers for global frames (as in MISSION_ITEM_INT); z: metres. */
export interface MissionItem {
  seq: number;
  frame: number;
  command: number;
  current: number;
  autocontinue: number;
  param1: number;
  param2: number;
  param3: number;
  param4: number;
  x: number;
  y: number;
  z: number;
  missionType: number;
}

/** What the mission code needs from the vehicle that hosts it. */
export interface MissionHost {
  /** A message to the ground station; the vehicle encodes it with its own ids. */
  send(name: string, fields: RawFields): void;
  statusText(severity: number, text: string): void;
  /** Milliseconds, on the vehicle's (possibly virtual) clock. */
  now(): number;
  /** Home in degrees and metres AMSL, or null before the vehicle has one. */
  home(): { lat: number; lon: number; altAmsl: number } | null;
  /**
   * False while the autopilot is still initialising ("ArduPilot Ready" not yet said): AP_Mission's storage then
   * counts 0 items, so an upload of any items is refused with NO_SPACE and "Only 0 items are supported".
   */
  storageReady(): boolean;
}

// MAVLink numbers come from the ground station side, one table for both ends.
export { MAV_MISSION_RESULT, MAV_MISSION_TYPE } from "../../../server/mavlink";

export const MISSION_STATE = { UNKNOWN: 0, NO_MISSION: 1, NOT_STARTED: 2, ACTIVE: 3, PAUSED: 4, COMPLETE: 5 } as const;

export const MAV_FRAME = {
  GLOBAL: 0,
  LOCAL_NED: 1,
  MISSION: 2,
  GLOBAL_RELATIVE_ALT: 3,
  GLOBAL_INT: 5,
  GLOBAL_RELATIVE_ALT_INT: 6,
  GLOBAL_TERRAIN_ALT: 10,
  GLOBAL_TERRAIN_ALT_INT: 11,
} as const;

/** Mission commands the executor understands (MAV_CMD numbers). */
export const CMD = {
  NAV_WAYPOINT: 16,
  NAV_LOITER_UNLIM: 17,
  NAV_LOITER_TURNS: 18,
  NAV_LOITER_TIME: 19,
  NAV_RETURN_TO_LAUNCH: 20,
  NAV_LAND: 21,
  NAV_TAKEOFF: 22,
  NAV_DELAY: 93,
  CONDITION_DELAY: 112,
  CONDITION_DISTANCE: 114,
  CONDITION_YAW: 115,
  DO_JUMP: 177,
  DO_CHANGE_SPEED: 178,
  DO_SET_MISSION_CURRENT: 224,
} as const;

/** MAVLink severities used by the texts ArduPilot sends from its mission code. */
export const SEVERITY = { CRITICAL: 2, WARNING: 4, INFO: 6 } as const;

/** Frames whose x/y are latitude/longitude (degE7 in MissionItem, degrees in MISSION_ITEM and .waypoints). */
export function isGlobalFrame(frame: number): boolean {
  return frame === MAV_FRAME.GLOBAL || frame === MAV_FRAME.GLOBAL_RELATIVE_ALT || frame === MAV_FRAME.GLOBAL_INT
    || frame === MAV_FRAME.GLOBAL_RELATIVE_ALT_INT || frame === MAV_FRAME.GLOBAL_TERRAIN_ALT
    || frame === MAV_FRAME.GLOBAL_TERRAIN_ALT_INT;
}
