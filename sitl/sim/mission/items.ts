/**
 * Mission items as ArduPilot stores them, and their MAVLink forms. ArduPilot keeps a packed Mission_Command, not
 * the item it was sent, so what comes back on download is changed (copter_flight_1_mission_protocol.txt): the
 * frame only says relative / absolute / terrain, commands without a position lose x/y/z and come back in frame 0,
 * altitudes are whole centimetres and each command keeps its params its own way (LOITER_TIME's param3 becomes +1 or
 * -1). The rules are the ground station's own table (server/protocol/ardupilot-mission.ts), so both ends agree.
 */
import type { RawFields } from "../../../server/mavlink/index";
import { storedAltitude, storedFrame, storedParams, storesLocation } from "../../../server/protocol";
import { CMD, MAV_FRAME, isGlobalFrame } from "./types";
import type { MissionItem } from "./types";

/** The item as the vehicle will give it back: what a download of it returns (mission list items only). */
export function storedItem(item: MissionItem): MissionItem {
  if (item.missionType !== 0) return storedListItem(item);
  const located = storesLocation(item.command);
  const [param1, param2, param3, param4] = storedParams(item.command, [item.param1, item.param2, item.param3, item.param4]);
  return {
    seq: item.seq,
    frame: storedFrame(item.command, item.frame),
    command: item.command,
    current: 0,
    autocontinue: 1,
    param1, param2, param3, param4,
    x: located ? Math.round(item.x) : 0,
    y: located ? Math.round(item.y) : 0,
    z: located ? storedAltitude(item.z) : 0,
    missionType: item.missionType,
  };
}

/** Fence vertices and rally points: positions as sent, params as float32 (their own storage, not AP_Mission's). */
function storedListItem(item: MissionItem): MissionItem {
  return {
    ...item, current: 0, autocontinue: 1,
    // *_INT frames come back as their float twins.
    frame: item.frame === 5 ? 0 : item.frame === 6 ? 3 : item.frame === 11 ? 10 : item.frame,
    param1: Math.fround(item.param1), param2: Math.fround(item.param2),
    param3: Math.fround(item.param3), param4: Math.fround(item.param4),
    x: Math.round(item.x), y: Math.round(item.y), z: Math.round(item.z * 100) / 100,
  };
}

/** Item 0 as ArduPilot reports it: a waypoint at home, absolute altitude. */
export function homeItem(home: { lat: number; lon: number; altAmsl: number }, missionType = 0): MissionItem {
  return {
    seq: 0, frame: MAV_FRAME.GLOBAL, command: CMD.NAV_WAYPOINT, current: 0, autocontinue: 1,
    param1: 0, param2: 0, param3: 0, param4: 0,
    x: Math.round(home.lat * 1e7), y: Math.round(home.lon * 1e7), z: Math.round(home.altAmsl * 100) / 100,
    missionType,
  };
}

function num(fields: RawFields, name: string): number {
  const v = fields[name];
  return typeof v === "number" ? v : 0;
}

/** A MISSION_ITEM_INT (73) or MISSION_ITEM (39) as a MissionItem (float lat/lon in degrees become degE7). */
export function itemFromFields(fields: RawFields, isFloat: boolean): MissionItem {
  const frame = num(fields, "frame");
  const scale = isFloat && isGlobalFrame(frame) ? 1e7 : 1;
  return {
    seq: num(fields, "seq"), frame, command: num(fields, "command"), current: num(fields, "current"),
    autocontinue: num(fields, "autocontinue"),
    param1: num(fields, "param1"), param2: num(fields, "param2"), param3: num(fields, "param3"), param4: num(fields, "param4"),
    x: Math.round(num(fields, "x") * scale), y: Math.round(num(fields, "y") * scale), z: num(fields, "z"),
    missionType: num(fields, "mission_type"),
  };
}

/** The fields of a MISSION_ITEM_INT, or of a MISSION_ITEM (x/y back to degrees) when isFloat. */
export function itemFields(item: MissionItem, target: { sysid: number; compid: number }, isFloat: boolean): RawFields {
  const scale = isFloat && isGlobalFrame(item.frame) ? 1e-7 : 1;
  return {
    target_system: target.sysid, target_component: target.compid, seq: item.seq, frame: item.frame,
    command: item.command, current: item.current, autocontinue: item.autocontinue,
    param1: item.param1, param2: item.param2, param3: item.param3, param4: item.param4,
    x: item.x * scale, y: item.y * scale, z: item.z, mission_type: item.missionType,
  };
}

/** AP_Mission::Mission_Command::type(): the short names in "Mission: 2 WP". */
const NAMES: ReadonlyMap<number, string> = new Map([
  [16, "WP"], [82, "SplineWP"], [20, "RTL"], [17, "LoitUnlim"], [19, "LoitTime"], [92, "GuidedEnable"],
  [18, "LoitTurns"], [31, "LoitAltitude"], [213, "SetYawSpd"], [112, "CondDelay"], [114, "CondDist"],
  [178, "ChangeSpeed"], [179, "SetHome"], [183, "SetServo"], [181, "SetRelay"], [184, "RepeatServo"],
  [182, "RepeatRelay"], [200, "CtrlVideo"], [202, "DigiCamCfg"], [203, "DigiCamCtrl"], [206, "SetCamTrigDst"],
  [201, "SetROI"], [194, "SetReverse"], [215, "SetRepeatDist"], [222, "GuidedLimits"], [22, "Takeoff"],
  [21, "Land"], [30, "ContinueAndChangeAlt"], [83, "AltitudeWait"], [84, "VTOLTakeoff"], [85, "VTOLLand"],
  [210, "InvertedFlight"], [207, "FenceEnable"], [212, "AutoTuneEnable"], [3000, "VTOLTransition"],
  [223, "EngineControl"], [115, "CondYaw"], [189, "LandStart"], [93, "Delay"], [211, "Gripper"],
  [94, "PayloadPlace"], [208, "Parachute"], [216, "Sprayer"], [218, "AuxFunction"], [205, "MountControl"],
  [42600, "Winch"], [217, "Scripting"], [177, "Jump"], [191, "Go Around"], [42702, "NavScriptTime"],
  [42703, "NavAttitudeTime"], [193, "PauseContinue"], [1000, "GimbalPitchYaw"],
]);

export function commandName(command: number): string {
  return NAMES.get(command) ?? "?";
}

/** AP_Mission::is_nav_cmd: everything else (DO_*, CONDITION_*) runs beside the current nav command. */
export function isNavCommand(command: number): boolean {
  return command <= 95 || command === 213 || command === 42702 || command === 42703;
}
