/** MAV_MISSION_RESULT in words for the pilot, and the MissionType <-> MAV_MISSION_TYPE numbers. */
import type { MissionType } from "../protocol";
import { MAV_MISSION_RESULT, MAV_MISSION_TYPE, mavMissionResultName } from "../mavlink";

export const MISSION_TYPE_NUMBER: Readonly<Record<MissionType, number>> = Object.freeze({
  mission: MAV_MISSION_TYPE.MISSION,
  fence: MAV_MISSION_TYPE.FENCE,
  rally: MAV_MISSION_TYPE.RALLY,
});

const LIST_NAME: Readonly<Record<MissionType, string>> = { mission: "mission", fence: "fence", rally: "rally point" };

/** "the fence list" */
export function listName(type: MissionType): string {
  return `the ${LIST_NAME[type]} list`;
}

const R = MAV_MISSION_RESULT;

/**
 * Why the vehicle said no, in words. `count` is the size of the list being uploaded (for NO_SPACE).
 * Unknown codes keep their number so nothing is hidden.
 */
export function missionResultText(result: number, count?: number): string {
  switch (result) {
    case R.ACCEPTED: return "Accepted by the vehicle";
    case R.ERROR: return "The vehicle reported an error (it may have no transfer in progress any more)";
    case R.UNSUPPORTED_FRAME: return "The vehicle does not support the coordinate frame of an item";
    case R.UNSUPPORTED: return "The vehicle does not support this command or list";
    case R.NO_SPACE:
      return count === undefined ? "The vehicle has no room for this list" : `The vehicle has no room for ${count} items`;
    case R.INVALID: return "The vehicle found an item with an invalid value";
    case R.INVALID_PARAM1: case R.INVALID_PARAM2: case R.INVALID_PARAM3: case R.INVALID_PARAM4:
      return `The vehicle found an invalid param${result - R.INVALID_PARAM1 + 1} in an item`;
    case R.INVALID_PARAM5_X: return "The vehicle found an invalid latitude / x (param5) in an item";
    case R.INVALID_PARAM6_Y: return "The vehicle found an invalid longitude / y (param6) in an item";
    case R.INVALID_PARAM7: return "The vehicle found an invalid altitude / z (param7) in an item";
    case R.INVALID_SEQUENCE: return "The vehicle received an item out of sequence";
    case R.DENIED: return "The vehicle refused the transfer (busy with another transfer, or not allowed now)";
    case R.OPERATION_CANCELLED: return "The vehicle cancelled the transfer (timeout on its side)";
    default: return `The vehicle refused the transfer (${mavMissionResultName(result)})`;
  }
}
