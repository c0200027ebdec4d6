/**
 * COMMAND_LONG / COMMAND_INT as ArduCopter answers them: every command gets one COMMAND_ACK; what a command
 * sends besides (REQUEST_MESSAGE's message, MESSAGE_INTERVAL) goes out after the ack, as on the real one.
 */
import { ARM_FORCE_MAGIC, MAV_CMD, MAV_RESULT } from "../../server/mavlink";
import type { RawMessage } from "../../server/mavlink";

/** The commands the simulated vehicle answers: the ground station's table plus two only the vehicle side needs. */
export const CMD = { ...MAV_CMD, PREFLIGHT_REBOOT_SHUTDOWN: 246, REQUEST_AUTOPILOT_CAPABILITIES: 520 } as const;

/** The results the simulated vehicle gives (a subset of MAV_RESULT). */
export const RESULT = {
  ACCEPTED: MAV_RESULT.ACCEPTED, TEMPORARILY_REJECTED: MAV_RESULT.TEMPORARILY_REJECTED, DENIED: MAV_RESULT.DENIED,
  UNSUPPORTED: MAV_RESULT.UNSUPPORTED, FAILED: MAV_RESULT.FAILED,
} as const;
export { ARM_FORCE_MAGIC };

/** A command with its parameters, whichever message carried it. x/y: degrees (COMMAND_INT's degE7 converted). */
export interface CommandIn {
  command: number;
  params: [number, number, number, number];
  /** COMMAND_LONG param5/6 or COMMAND_INT x/y as degrees; NaN when absent. */
  lat: number;
  lon: number;
  /** param7 / z */
  z: number;
  isInt: boolean;
}

export interface CommandOutcome {
  result: number;
  /** Sent after the ack. */
  after?: () => void;
}

/** What commands act on: the vehicle. */
export interface CommandTarget {
  arm(force: boolean): number;
  disarm(force: boolean): number;
  setMode(mode: number): number;
  takeoff(altRelative: number): number;
  reposition(lat: number, lon: number, altRelative: number | null): number;
  changeSpeed(speed: number): number;
  setMissionCurrent(seq: number): number;
  /** MISSION_START: AUTO from the current item (ArduCopter: set_mode(AUTO), then auto-armed). */
  missionStart(): number;
  reboot(): number;
  setMessageInterval(msgid: number, intervalUs: number): number;
  /** Sends MESSAGE_INTERVAL. */
  sendMessageInterval(msgid: number): void;
  /** The result for REQUEST_MESSAGE and the send to do after the ack. */
  requestMessage(msgid: number): CommandOutcome;
}

export function commandIn(msg: RawMessage): CommandIn {
  const f = msg.fields;
  const n = (k: string): number => Number(f[k] ?? 0);
  const params: [number, number, number, number] = [n("param1"), n("param2"), n("param3"), n("param4")];
  if (msg.name === "COMMAND_INT") {
    return { command: n("command"), params, lat: n("x") / 1e7, lon: n("y") / 1e7, z: n("z"), isInt: true };
  }
  return { command: n("command"), params, lat: n("param5"), lon: n("param6"), z: n("param7"), isInt: false };
}

export function runCommand(t: CommandTarget, c: CommandIn): CommandOutcome {
  const [p1, p2] = c.params;
  switch (c.command) {
    case CMD.COMPONENT_ARM_DISARM:
      return { result: p1 === 1 ? t.arm(p2 === ARM_FORCE_MAGIC) : t.disarm(p2 === ARM_FORCE_MAGIC) };
    case CMD.DO_SET_MODE:
      // param1 bit 0: custom mode; without it ArduCopter maps base modes we do not model.
      return { result: (p1 & 1) === 1 ? t.setMode(p2) : RESULT.UNSUPPORTED };
    case CMD.NAV_TAKEOFF:
      return { result: t.takeoff(c.z) };
    case CMD.NAV_LAND:
      return { result: t.setMode(9) };
    case CMD.NAV_RETURN_TO_LAUNCH:
      return { result: t.setMode(6) };
    case CMD.DO_REPOSITION: {
      if (!Number.isFinite(c.lat) || !Number.isFinite(c.lon) || (c.lat === 0 && c.lon === 0)) {
        return { result: RESULT.FAILED };
      }
      return { result: t.reposition(c.lat, c.lon, Number.isFinite(c.z) ? c.z : null) };
    }
    case CMD.DO_CHANGE_SPEED:
      return { result: t.changeSpeed(p2) };
    case CMD.DO_SET_MISSION_CURRENT:
      return { result: t.setMissionCurrent(p1) };
    case CMD.MISSION_START:
      // ArduCopter runs the whole mission only: first/last item other than 0 are refused.
      return { result: p1 === 0 && p2 === 0 ? t.missionStart() : RESULT.DENIED };
    case CMD.PREFLIGHT_REBOOT_SHUTDOWN:
      return p1 === 1 ? { result: RESULT.ACCEPTED, after: () => t.reboot() } : { result: RESULT.UNSUPPORTED };
    case CMD.SET_MESSAGE_INTERVAL:
      return { result: t.setMessageInterval(p1, p2) };
    case CMD.GET_MESSAGE_INTERVAL:
      return { result: RESULT.ACCEPTED, after: () => t.sendMessageInterval(p1) };
    case CMD.REQUEST_MESSAGE:
      return t.requestMessage(p1);
    case CMD.REQUEST_AUTOPILOT_CAPABILITIES:
      return t.requestMessage(148);
    default:
      return { result: RESULT.UNSUPPORTED };
  }
}
