/**
 * When each packet of a generated recording is sent: a vehicle's boot chatter, heartbeats, its telemetry streams
 * at their rates, mission progress and command acks; the ground station's heartbeats and commands. Pure timing:
 * the contents are filled in later, in time order, because they depend on state carried from packet to packet.
 */
import { messageId } from "../../server/mavlink";
import type { PowerSession } from "./plan";
import { TELEMETRY_RATES } from "./telemetry";

export type VehicleEvent =
  | { t: number; kind: "heartbeat" }
  | { t: number; kind: "telemetry"; name: string }
  | { t: number; kind: "text"; severity: number; text: string }
  | { t: number; kind: "home" }
  | { t: number; kind: "ack"; command: number }
  | { t: number; kind: "reached"; wp: number };

export type GcsEvent =
  | { t: number; kind: "heartbeat" }
  | { t: number; kind: "command"; target: number; command: number; params: number[] };

export const MAV_CMD_COMPONENT_ARM_DISARM = 400;
export const MAV_CMD_SET_MESSAGE_INTERVAL = 511;
/** The ground station asks for the streams this long after it first hears a vehicle; they start just after. */
const REQUEST_AFTER_S = 3;
const STREAMS_AFTER_S = 4;
/** Sent when the ground station asks the vehicle to arm; arming shows on the next heartbeat. */
const ARM_COMMAND_BEFORE_S = 0.8;

const BOOT_TEXT: readonly [number, number, string][] = [
  [0.8, 6, "ArduCopter V4.5.7 (2a3dc4b7)"],
  [0.9, 6, "ChibiOS: 6a85082c"],
  [1.0, 6, "Frame: QUAD/X"],
  [25, 6, "EKF3 IMU0 is using GPS"],
  [25.1, 6, "EKF3 IMU1 is using GPS"],
];

const byTime = <T extends { t: number }>(events: T[]): T[] => events.sort((a, b) => a.t - b.t);

/** Every packet one vehicle sends in one power session, in sending order. */
export function vehicleEvents(session: PowerSession): VehicleEvent[] {
  const { bootT, offT, flight } = session;
  const events: VehicleEvent[] = [];
  const push = (e: VehicleEvent) => {
    if (e.t < offT) events.push(e);
  };
  for (let t = bootT; t < offT; t += 1) push({ t, kind: "heartbeat" });
  for (const [after, severity, text] of BOOT_TEXT) push({ t: bootT + after, kind: "text", severity, text });
  // Home is set once the GPS is good, and again at arming (ArduCopter moves home to where it arms).
  push({ t: bootT + 30, kind: "home" });
  TELEMETRY_RATES.forEach(([name, hz], i) => {
    push({ t: bootT + REQUEST_AFTER_S + 0.05 + i * 0.02, kind: "ack", command: MAV_CMD_SET_MESSAGE_INTERVAL });
    // A small phase per stream, as the scheduler spreads them over its loop.
    for (let n = 0, start = bootT + STREAMS_AFTER_S + i * 0.0037; start + n / hz < offT; n++) {
      push({ t: start + n / hz, kind: "telemetry", name });
    }
  });
  if (flight) {
    push({ t: flight.armT - ARM_COMMAND_BEFORE_S + 0.02, kind: "ack", command: MAV_CMD_COMPONENT_ARM_DISARM });
    push({ t: flight.armT + 0.05, kind: "home" });
    for (const leg of flight.legs) {
      if (leg.wp === 0) continue;
      push({ t: leg.t1, kind: "reached", wp: leg.wp });
      push({ t: leg.t1 + 0.001, kind: "text", severity: 6, text: `Reached command #${leg.wp}` });
    }
    push({ t: flight.disarmT - 2, kind: "text", severity: 6, text: "Land complete" });
  }
  return byTime(events);
}

/** The ground station: a heartbeat a second all along, stream requests to each vehicle it hears, arm commands. */
export function gcsEvents(durationS: number, vehicles: { sysid: number; sessions: PowerSession[] }[]): GcsEvent[] {
  const events: GcsEvent[] = [];
  for (let t = 0.5; t < durationS; t += 1) events.push({ t, kind: "heartbeat" });
  for (const v of vehicles) {
    for (const s of v.sessions) {
      TELEMETRY_RATES.forEach(([name, hz], i) => {
        if (s.bootT + REQUEST_AFTER_S >= s.offT) return;
        events.push({ t: s.bootT + REQUEST_AFTER_S + i * 0.02, kind: "command", target: v.sysid, command: MAV_CMD_SET_MESSAGE_INTERVAL, params: [messageId(name), 1e6 / hz] });
      });
      if (s.flight) {
        events.push({ t: s.flight.armT - ARM_COMMAND_BEFORE_S, kind: "command", target: v.sysid, command: MAV_CMD_COMPONENT_ARM_DISARM, params: [1, 0] });
      }
    }
  }
  return byTime(events);
}
