/**
 * The simulator against real ArduCopter 4.7 SITL recordings of faults (test/fixtures, copied from
 * ../shared/fixtures/ardupilot): the same scenario flown on the simulator must give, message by message, the same
 * sequence of fault states from the vehicle's first armed HEARTBEAT to its disarming: modes and CRITICAL status,
 * FENCE_STATUS, BATTERY_STATUS.charge_state, GPS fix, EKF flags, SYS_STATUS health bits and the fault texts
 * (voltages and mAh masked) with their severities. Each channel is compared on its own: only the order within a channel is
 * what the autopilot guarantees.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RawDecoder, parseTlog } from "../../server/mavlink";
import type { RawMessage } from "../../server/mavlink";
import { movedBy } from "./geo";
import { HOME, Harness } from "../../test/support/sitl/sim-harness";

const HEALTH_BITS = 0x100000 /* GEOFENCE */ | 0x2000000 /* BATTERY */ | 0x20 /* GPS */;
const FAULT_TEXT = /fence|battery|failsafe|EKF variance|aiding|using GPS|recovery|SmartRTL|Disarming/i;

type Signature = Record<"modes" | "fence" | "charge" | "gps" | "ekf" | "health" | "texts", string[]>;

function push(list: string[], value: string): void {
  if (list.at(-1) !== value) list.push(value);
}

/** The fault states a ground station sees, per channel, from the first armed HEARTBEAT to the disarming one. */
function signature(messages: Iterable<RawMessage>): Signature {
  const s: Signature = { modes: [], fence: [], charge: [], gps: [], ekf: [], health: [], texts: [] };
  let armed = false;
  for (const m of messages) {
    if (m.sysid !== 1 || m.compid !== 1) continue;
    const f = m.fields;
    if (m.name === "HEARTBEAT") {
      const isArmed = (Number(f.base_mode) & 128) !== 0;
      if (!armed && !isArmed) continue;
      armed = true;
      push(s.modes, `${Number(f.custom_mode)}${isArmed ? "" : " disarmed"}${f.system_status === 5 ? " CRITICAL" : ""}`);
      if (!isArmed) break;
      continue;
    }
    if (!armed) continue;
    switch (m.name) {
      case "FENCE_STATUS": push(s.fence, `${Number(f.breach_status)}/${Number(f.breach_count)}/${Number(f.breach_type)}`); break;
      case "BATTERY_STATUS": push(s.charge, String(f.charge_state)); break;
      case "GPS_RAW_INT": push(s.gps, `fix ${Number(f.fix_type)} sats ${Number(f.satellites_visible)}`); break;
      case "EKF_STATUS_REPORT": push(s.ekf, `0x${Number(f.flags).toString(16)}`); break;
      case "SYS_STATUS": push(s.health, `0x${(Number(f.onboard_control_sensors_health) & HEALTH_BITS).toString(16)}`); break;
      case "STATUSTEXT": {
        const text = String(f.text);
        if (FAULT_TEXT.test(text)) s.texts.push(`${Number(f.severity)} ${text.replace(/\d+\.\d+|\d+(?= mAh)/g, "#")}`);
        break;
      }
      default: break;
    }
  }
  return s;
}

function* recorded(name: string): Generator<RawMessage> {
  const path = new URL(`../../test/fixtures/${name}.tlog`, import.meta.url).pathname;
  const decoder = new RawDecoder();
  for (const { frame } of parseTlog(readFileSync(path)).entries) {
    try {
      yield decoder.decode(frame);
    } catch {
      // a message outside the dialect: not part of any signature
    }
  }
}

/** A simulated vehicle set up as the recordings' ground station did: all streams 4 Hz, three at 1 Hz. */
function recordingSetup(): Harness {
  const h = new Harness();
  h.ready();
  for (const id of [147, 162, 245]) h.command(511, [id, 1_000_000]);
  return h;
}

const disarmed = (h: Harness) => (): boolean => !h.vehicle.armed;

/** Flies until disarmed, and a little longer for the HEARTBEAT that shows it. */
function untilDisarmed(h: Harness, ms: number, each?: () => void): void {
  h.runUntil(disarmed(h), ms, each);
  h.run(1500);
}

describe("faults as the recorded ArduCopter 4.7 reports them", () => {
  it("GPS off for 30 s in flight: fix lost, EKF position lost, EKF failsafe to LAND, recovery (gps_loss_ekf)", () => {
    const h = recordingSetup();
    h.takeoff(20);
    const north = movedBy(HOME, 60, 0);
    h.command(192, [-1, 0, 0, NaN, north.lat, north.lon, 20]);
    h.runUntil(() => false, 14_000);
    h.vehicle.actions.injectFault({ at: 0, fault: "gpsLoss", durationMs: 30_000 }, h.time);
    untilDisarmed(h, 120_000);
    expect(signature(h.got)).toEqual(signature(recorded("gps_loss_ekf")));
  });

  it("battery below BATT_LOW_VOLT then BATT_CRT_VOLT while hovering: LOW, CRITICAL, LAND (battery_failsafe_land)", () => {
    const h = recordingSetup();
    for (const [name, value] of [["BATT_LOW_VOLT", 11], ["BATT_FS_LOW_ACT", 1], ["BATT_CRT_VOLT", 10.5], ["BATT_FS_CRT_ACT", 1]] as const) {
      h.param(name, value);
    }
    h.takeoff(25);
    h.runUntil(() => false, 10_000);
    // The recording lowered SIM_BATT_VOLTAGE to 10.9 V, then 10.3 V: here the pack is drained to such voltages.
    h.vehicle.actions.injectFault({ at: 0, fault: "battery", rate: 0.3 }, h.time);
    h.runUntil(() => false, 13_000);
    h.vehicle.actions.injectFault({ at: 0, fault: "battery", rate: 0.1 }, h.time);
    untilDisarmed(h, 120_000);
    expect(signature(h.got)).toEqual(signature(recorded("battery_failsafe_land")));
  });

  it("flying out of an uploaded polygon fence: breach, RTL, recovery, cleared (fence_polygon_breach)", () => {
    const h = recordingSetup();
    h.param("FENCE_TYPE", 4);
    h.param("FENCE_ACTION", 1);
    uploadSquareFence(h, 150);
    h.param("FENCE_ENABLE", 1);
    h.takeoff(20);
    const outside = movedBy(HOME, 0, 450);
    expect(h.command(192, [-1, 0, 0, NaN, outside.lat, outside.lon, 20])).toBe(4); // refused: outside the fence
    // As the recording's GCS did: 6 m/s east by GUIDED velocity commands, every 0.5 s while in GUIDED.
    untilDisarmed(h, 200_000, () => {
      if (h.vehicle.mode === 4) h.send("SET_POSITION_TARGET_LOCAL_NED", { target_system: 1, coordinate_frame: 1, type_mask: 0xdc7, vy: 6 });
    });
    expect(signature(h.got)).toEqual(signature(recorded("fence_polygon_breach")));
  });
});

/** An inclusion square of `half` metres around home, uploaded with the mission protocol as the recording did. */
function uploadSquareFence(h: Harness, half: number): void {
  const corners = [[half, half], [-half, half], [-half, -half], [half, -half]] as const;
  h.send("MISSION_COUNT", { target_system: 1, target_component: 1, count: 4, mission_type: 1 });
  corners.forEach(([n, e], seq) => {
    const p = movedBy(HOME, n, e);
    h.send("MISSION_ITEM_INT", {
      target_system: 1, target_component: 1, seq, frame: 0, command: 5001, param1: 4,
      x: Math.round(p.lat * 1e7), y: Math.round(p.lon * 1e7), z: 0, mission_type: 1,
    });
  });
  const ack = h.last("MISSION_ACK");
  if (ack?.fields.type !== 0) throw new Error(`fence upload refused: ${JSON.stringify(ack?.fields)}`);
}
