import { describe, expect, it } from "vitest";
import { MavlinkFramer } from "../../server/mavlink";
import { parseFaultSchedule } from "./faults";
import { Harness } from "../../test/support/sitl/sim-harness";

const GUIDED = 4;

function flying(): Harness {
  const h = new Harness();
  h.ready();
  h.command(176, [1, GUIDED]);
  h.command(400, [1]);
  h.command(22, [0, 0, 0, 0, 0, 0, 20]);
  h.run(12_000);
  return h;
}

describe("fault injection", () => {
  it("silence: nothing is sent for the duration, the vehicle keeps flying", () => {
    const h = flying();
    const t = h.time;
    h.vehicle.actions.injectFault({ at: 0, fault: "silence", durationMs: 8000 }, t);
    h.run(7900);
    expect(h.got.filter((m) => m.at > t)).toHaveLength(0);
    h.run(1000);
    expect(h.named("GLOBAL_POSITION_INT", t + 8000).length).toBeGreaterThan(0);
  });

  it("corrupt: the GCS framer counts CRC errors for a fraction of the packets", () => {
    const h = flying();
    const counts = new MavlinkFramer(() => {});
    h.vehicle.onSend((b) => counts.push(Buffer.from(b)));
    h.vehicle.actions.injectFault({ at: 0, fault: "corrupt", rate: 0.2, durationMs: 10_000 }, h.time);
    h.run(10_000);
    const { crcErrors, frames } = counts.counters;
    expect(crcErrors / (crcErrors + frames)).toBeGreaterThan(0.1);
    expect(crcErrors / (crcErrors + frames)).toBeLessThan(0.3);
  });

  it("gpsLoss: no fix at once, EKF position kept ~7 s, then the EKF failsafe lands (gps_loss_ekf timings)", () => {
    const h = flying();
    const t = h.time;
    h.vehicle.actions.injectFault({ at: 0, fault: "gpsLoss", durationMs: 60_000 }, t);
    h.run(1000);
    expect(h.last("GPS_RAW_INT")!.fields).toMatchObject({ fix_type: 1, satellites_visible: 3 });
    expect((h.last("SYS_STATUS")!.fields.onboard_control_sensors_health as number) & 0x20).toBe(0x20); // GPS bit stays
    h.run(5500);
    expect(h.last("EKF_STATUS_REPORT")!.fields.flags).toBe(0x33f); // dead reckoning
    expect(h.last("HEARTBEAT")!.fields.custom_mode).toBe(GUIDED);
    h.run(3000);
    expect(h.last("EKF_STATUS_REPORT")!.fields.flags).toBe(0x25);
    expect(h.last("HEARTBEAT")!.fields).toMatchObject({ custom_mode: 9, system_status: 5 });
    const texts = h.named("STATUSTEXT", t);
    expect(texts.map((m) => [m.fields.severity, m.fields.text])).toEqual([[2, "EKF variance"], [2, "EKF Failsafe: changed to Land Mode"]]);
    // Position lost 7 s after the fix, failsafe after 1 s of failed checks (recorded: 7.0 s and 0.8 s).
    expect(texts[0]!.at - t).toBeGreaterThanOrEqual(7900);
    expect(texts[0]!.at - t).toBeLessThanOrEqual(8200);
  });

  it("battery: below BATT_LOW_VOLT for more than 10 s -> LOW, 'Battery 1 is low', 'Battery Failsafe', BATT_FS_LOW_ACT", () => {
    const h = flying();
    h.param("BATT_FS_LOW_ACT", 2);
    const t = h.time;
    h.vehicle.actions.injectFault({ at: 0, fault: "battery" }, t);
    h.run(9_900);
    expect(h.last("SYS_STATUS")!.fields.voltage_battery as number).toBeLessThan(10_500);
    expect(h.last("BATTERY_STATUS")!.fields.charge_state).toBe(1);
    h.run(500);
    const texts = h.named("STATUSTEXT", t).map((m) => [m.fields.severity, m.fields.text]);
    expect(texts).toEqual([[4, expect.stringMatching(/^Battery 1 is low \d+\.\d\dV used \d+ mAh$/)], [4, "Battery Failsafe"]]);
    expect(h.last("HEARTBEAT")!.fields).toMatchObject({ custom_mode: 6, system_status: 5 });
    expect(h.last("BATTERY_STATUS")!.fields.charge_state).toBe(2);
    expect((h.last("SYS_STATUS")!.fields.onboard_control_sensors_health as number) & 0x2000000).toBe(0);
  });

  it("reboot: silent ~2 s, then sequence from 0, boot again, streams off until re-requested, params kept", () => {
    const h = new Harness();
    h.ready();
    h.send("PARAM_SET", { target_system: 1, param_id: "WPNAV_SPEED", param_value: 500, param_type: 9 });
    h.vehicle.actions.injectFault({ at: 0, fault: "reboot" }, h.time);
    const t = h.time;
    h.run(1900);
    expect(h.got.filter((m) => m.at > t)).toHaveLength(0);
    h.run(4000);
    const after = h.got.filter((m) => m.at > t);
    expect(after[0]!.name).toBe("HEARTBEAT");
    expect(after[0]!.seq).toBe(0);
    expect(after[0]!.fields.system_status).toBe(1);
    expect(new Set(after.map((m) => m.name))).toEqual(new Set(["HEARTBEAT", "TIMESYNC", "HOME_POSITION", "GPS_GLOBAL_ORIGIN"]));
    h.send("PARAM_REQUEST_READ", { target_system: 1, param_id: "WPNAV_SPEED", param_index: -1 });
    expect(h.last("PARAM_VALUE")!.fields.param_value).toBe(500);
  });

  it("runs a schedule and rejects a bad one with every problem", () => {
    const h = new Harness({ faults: parseFaultSchedule([{ at: 5000, fault: "silence", durationMs: 2000 }]) });
    h.run(5000);
    const t = h.time;
    h.run(1900);
    expect(h.got.filter((m) => m.at > t)).toHaveLength(0);
    expect(() => parseFaultSchedule([{ at: -1, fault: "nope" }])).toThrow(/at must.*fault must/);
  });
});

describe("parameters", () => {
  it("lists all, reads by name and index, sets known ones and ignores unknown names", () => {
    const h = new Harness();
    h.heartbeat();
    h.run(200);
    h.send("PARAM_REQUEST_LIST", { target_system: 1 });
    const all = h.named("PARAM_VALUE");
    expect(all.length).toBe(all[0]!.fields.param_count);
    expect(all.map((m) => m.fields.param_index)).toEqual(all.map((_m, i) => i));
    const names = all.map((m) => m.fields.param_id);
    for (const n of ["MAV_SYSID", "MAV_GCS_SYSID", "MAV1_POSITION", "WPNAV_SPEED", "RTL_ALT", "BATT_LOW_VOLT"]) {
      expect(names).toContain(n);
    }
    expect(all.find((m) => m.fields.param_id === "MAV_SYSID")!.fields).toMatchObject({ param_value: 1, param_type: 9 });
    h.send("PARAM_REQUEST_READ", { target_system: 1, param_index: 0, param_id: "" });
    expect(h.last("PARAM_VALUE")!.fields.param_id).toBe(names[0]);
    const before = h.got.length;
    h.send("PARAM_SET", { target_system: 1, param_id: "NO_SUCH_PARAM", param_value: 1, param_type: 9 });
    h.send("PARAM_REQUEST_READ", { target_system: 1, param_id: "SYSID_THISMAV", param_index: -1 });
    expect(h.got.length).toBe(before);
  });

  it("ignores frames addressed to another system", () => {
    const h = new Harness();
    h.run(200);
    h.send("PARAM_REQUEST_LIST", { target_system: 2 });
    expect(h.named("PARAM_VALUE")).toHaveLength(0);
  });
});
