/**
 * sitl/launch: starting vehicles for the server to connect to: the built-in simulator, ArduPilot SITL binaries,
 * ArduPilot SITL in Docker; the system-id handshake; sample-mission helpers; the `npm run sitl` start command.
 */
export type { Home, Launched } from "./types";
export { DEFAULT_HOME, homeFor, parseHome, ardupilotHome } from "./homes";
export { launchBuiltin, builtinVehicles, readMission, parseFaults, FAST_BOOT_SCALE } from "./builtin";
export type { BuiltinOptions, BuiltinVehicle } from "./builtin";
export { launchBinary, binaryArgs, SITL_BASE_PORT } from "./binary";
export type { BinaryOptions } from "./binary";
export { launchDocker, composeYaml, dockerProblem, SITL_IMAGE } from "./docker";
export type { DockerOptions } from "./docker";
export { assignSysid, describeSysid, SYSID_PARAM_NAMES } from "./sysid";
export type { SysidParamChoice, SysidParamName, SysidResult } from "./sysid";
export { missionHome, shiftMission, missionRadiusM } from "./missions";
export { checkStartOptions, serverCommand, MAX_VEHICLES, DEFAULTS } from "./options";
export type { RawStartOptions, StartOptions } from "./options";
export { runStart } from "./start";
export { exited, stopChildren } from "./process";
export type { ChildLike } from "./process";
