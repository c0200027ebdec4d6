/**
 * The telemetry the ground station asks a vehicle for. ArduPilot sends nothing but HEARTBEAT (and a few
 * occasional messages) unless asked, and forgets rates per port when it restarts: ask on every (re)connection.
 */
import { MAV_CMD, MAV_DATA_STREAM_ALL, MSG_ID } from "./ids";
import type { MsgIdName } from "./ids";
import type { OutgoingMessage, TargetIds } from "./types";

/** Message rates (Hz) requested with MAV_CMD_SET_MESSAGE_INTERVAL, in request order. */
export const TELEMETRY_RATES: ReadonlyArray<readonly [MsgIdName, number]> = Object.freeze([
  ["GLOBAL_POSITION_INT", 5],
  ["ATTITUDE", 10],
  ["VFR_HUD", 4],
  ["GPS_RAW_INT", 2],
  ["SYS_STATUS", 2],
  ["BATTERY_STATUS", 1],
  ["EKF_STATUS_REPORT", 1],
  ["MISSION_CURRENT", 1],
  ["HOME_POSITION", 0.2],
] as const);

/** Messages requested once (MAV_CMD_REQUEST_MESSAGE) because they are not streamed. */
export const REQUESTED_ONCE: readonly MsgIdName[] = Object.freeze(["AUTOPILOT_VERSION", "HOME_POSITION"] as const);

/** REQUEST_DATA_STREAM rate of the fallback, Hz. */
export const FALLBACK_STREAM_RATE_HZ = 4;

function command(target: TargetIds, cmd: number, param1: number, param2 = 0): OutgoingMessage {
  return { kind: "commandLong", target, command: cmd, confirmation: 0, params: [param1, param2, 0, 0, 0, 0, 0] };
}

/** SET_MESSAGE_INTERVAL for each telemetry message (param2: interval in µs), then REQUEST_MESSAGE for the rest. */
export function telemetryRequests(target: TargetIds): OutgoingMessage[] {
  return [
    ...TELEMETRY_RATES.map(([name, hz]) =>
      command(target, MAV_CMD.SET_MESSAGE_INTERVAL, MSG_ID[name], Math.round(1e6 / hz))),
    ...REQUESTED_ONCE.map((name) => command(target, MAV_CMD.REQUEST_MESSAGE, MSG_ID[name])),
  ];
}

/** For vehicles that do not honour SET_MESSAGE_INTERVAL: the legacy all-streams request. */
export function dataStreamFallback(target: TargetIds): OutgoingMessage[] {
  return [{
    kind: "requestDataStream", target, streamId: MAV_DATA_STREAM_ALL, rateHz: FALLBACK_STREAM_RATE_HZ, start: true,
  }];
}
