/**
 * Gives a running ArduPilot SITL its own MAVLink system id. Every SITL starts as sysid 1, and a ground station
 * keys vehicles by sysid, so N instances must be told apart before the server connects. The parameter's name
 * changed between firmware generations (MAV_SYSID in 4.7, SYSID_THISMAV before), and ArduPilot answers a
 * PARAM_SET for an unknown name with silence; so "auto" tries the new name, then the old. ArduPilot stores the
 * value at once but applies it only at boot, hence the reboot (MAV_CMD_PREFLIGHT_REBOOT_SHUTDOWN) afterwards.
 */
import type { Logger } from "pino";
import type { RawMessage } from "../../server/mavlink";
import { isVehicleHeartbeatRaw, MavSession } from "./session";

export const SYSID_PARAM_NAMES = ["MAV_SYSID", "SYSID_THISMAV"] as const;
export type SysidParamName = (typeof SYSID_PARAM_NAMES)[number];
export type SysidParamChoice = "auto" | SysidParamName;

const MAV_CMD_PREFLIGHT_REBOOT_SHUTDOWN = 246;
/** ArduPilot sends every parameter as a float; the name decides its real type, so REAL32 is accepted for all. */
const MAV_PARAM_TYPE_REAL32 = 9;

export interface SysidOptions {
  paramName: SysidParamChoice;
  logger: Logger;
  /** How long to wait for the first HEARTBEAT (a SITL binary boots in ~1 s; a Docker image may be pulling). */
  bootTimeoutMs?: number;
  /** How long to wait for each PARAM_VALUE / COMMAND_ACK. */
  replyTimeoutMs?: number;
  /** Abandons the handshake (another instance failed, or Ctrl-C). */
  signal?: AbortSignal;
  /** After the reboot, wait for a HEARTBEAT with the new id (needs a vehicle that really reboots). */
  confirm?: boolean;
}

export interface SysidResult {
  url: string;
  from: number;
  to: number;
  /** The parameter the firmware accepted; null when the vehicle already had the wanted id. */
  paramName: SysidParamName | null;
  /** COMMAND_ACK result of the reboot: 0 accepted; null when no reboot was needed or no ack came. */
  rebootResult: number | null;
  /** The vehicle was seen again with the new id (only with confirm). */
  confirmed: boolean;
}

function isParamValue(name: string) {
  return (m: RawMessage): boolean => m.name === "PARAM_VALUE" && m.fields.param_id === name;
}

export async function assignSysid(url: string, want: number, opts: SysidOptions): Promise<SysidResult> {
  const bootMs = opts.bootTimeoutMs ?? 60_000;
  const replyMs = opts.replyTimeoutMs ?? 2_000;
  const session = new MavSession(url, opts.logger);
  const onAbort = (): void => session.cancel();
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await session.open();
    const hb = await session.waitFor(isVehicleHeartbeatRaw, bootMs);
    if (opts.signal?.aborted === true) throw new Error(`${url}: abandoned`);
    if (hb === null) throw new Error(`${url}: no vehicle HEARTBEAT within ${bootMs / 1000} s (is the SITL running?)`);
    const target = { target_system: hb.sysid, target_component: hb.compid };
    if (hb.sysid === want) return { url, from: hb.sysid, to: want, paramName: null, rebootResult: null, confirmed: true };

    const names = opts.paramName === "auto" ? SYSID_PARAM_NAMES : [opts.paramName];
    let accepted: SysidParamName | null = null;
    for (const name of names) {
      const echo = session.waitFor(isParamValue(name), replyMs);
      session.send("PARAM_SET", { ...target, param_id: name, param_value: want, param_type: MAV_PARAM_TYPE_REAL32 });
      const reply = await echo;
      if (reply !== null && Math.round(Number(reply.fields.param_value)) === want) {
        accepted = name;
        break;
      }
      opts.logger.debug({ url, name }, "no PARAM_VALUE echo: the firmware does not know this name");
    }
    if (accepted === null) {
      throw new Error(`${url}: the vehicle did not accept ${names.join(" or ")} = ${want} (no PARAM_VALUE echo); `
        + "set its system id by hand, or pass --param-name with the name your firmware uses");
    }

    const isAck = (m: RawMessage): boolean => m.name === "COMMAND_ACK" && m.fields.command === MAV_CMD_PREFLIGHT_REBOOT_SHUTDOWN;
    const ack = session.waitFor(isAck, replyMs);
    session.send("COMMAND_LONG", { ...target, command: MAV_CMD_PREFLIGHT_REBOOT_SHUTDOWN, confirmation: 0, param1: 1 });
    const rebootAck = await ack;
    const rebootResult = rebootAck === null ? null : Number(rebootAck.fields.result);
    let confirmed = false;
    if (opts.confirm === true && rebootResult === 0) {
      // The reboot drops the TCP connection; the link reconnects by itself and the vehicle comes back.
      confirmed = (await session.waitFor((m) => isVehicleHeartbeatRaw(m) && m.sysid === want, bootMs)) !== null;
    }
    return { url, from: hb.sysid, to: want, paramName: accepted, rebootResult, confirmed };
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await session.close();
  }
}

/** One line for the user about what happened to a vehicle's system id. */
export function describeSysid(r: SysidResult): string {
  if (r.paramName === null) return `${r.url}: already system id ${r.to}`;
  const reboot = r.rebootResult === 0 ? (r.confirmed ? "rebooted, now live" : "rebooting to apply it")
    : `reboot not acknowledged: restart that SITL for the new id to take effect`;
  return `${r.url}: system id ${r.from} -> ${r.to} (${r.paramName}; ${reboot})`;
}
