/**
 * sitl/sim/mission: the mission side of the simulated ArduCopter. MissionServer speaks the MAVLink mission
 * protocol as ArduPilot does (upload, download, legacy download, clear, set current); MissionExecutor runs the
 * mission in AUTO and tells the vehicle where to fly; parseWaypoints/formatWaypoints read and write QGC WPL 110.
 */
export { MissionServer } from "./server";
export type { MissionServerOptions } from "./server";
export { MissionExecutor } from "./executor";
export type { MissionExecutorOptions } from "./executor";
export type { NavState, NavTarget } from "./nav";
export { distanceM } from "./nav";
export { parseWaypoints, formatWaypoints, WaypointsError } from "./waypoints";
export { storedItem, homeItem, commandName } from "./items";
export { CMD, MAV_FRAME, MAV_MISSION_RESULT, MAV_MISSION_TYPE, MISSION_STATE } from "./types";
export type { MissionHost, MissionItem } from "./types";
