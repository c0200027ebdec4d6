/**
 * Why ArduPilot refuses one uploaded mission item, as MAV_MISSION_RESULT, in the order it checks
 * (libraries/AP_Mission/AP_Mission.cpp mavlink_int_to_mission_cmd, after sanity_check_params; and
 * GCS_MAVLink/MissionItemProtocol_Waypoints.cpp append_item for DO_JUMP). A refused item ends the upload.
 * Fence and rally items have their own loaders and are not checked here.
 */
import { frameAccepted, refusedParam, storesLocation } from "../../../server/protocol";
import { CMD, MAV_MISSION_RESULT } from "./types";
import type { MissionItem } from "./types";

/** Location::alt is stored in 24 bits of centimetres (LOCATION_ALT_MAX_M). */
const LOCATION_ALT_MAX_M = 83_000;

/** The refusal of a mission item (`count`: items of the upload), or null when ArduPilot stores it. */
export function itemRefusal(item: MissionItem, count: number): number | null {
  const bad = refusedParam(item.command, [item.param1, item.param2, item.param3, item.param4]);
  if (bad !== null) return MAV_MISSION_RESULT.INVALID_PARAM1 + bad - 1;
  if (storesLocation(item.command)) {
    if (!(Math.abs(item.x) <= 90e7)) return MAV_MISSION_RESULT.INVALID_PARAM5_X;
    if (!(Math.abs(item.y) <= 180e7)) return MAV_MISSION_RESULT.INVALID_PARAM6_Y;
    if (!(Math.abs(item.z) < LOCATION_ALT_MAX_M)) return MAV_MISSION_RESULT.INVALID_PARAM7;
    if (!frameAccepted(item.command, item.frame)) return MAV_MISSION_RESULT.UNSUPPORTED_FRAME;
  }
  if (item.command === CMD.DO_JUMP) {
    const target = Math.trunc(item.param1);
    if (target === 0 || target >= count) return MAV_MISSION_RESULT.ERROR;
  }
  return null;
}
