import { describe, expect, it } from "vitest";
import { Harness } from "../../test/support/sitl/sim-harness";

const GUIDED = 4;

describe("SimVehicle on the wire", () => {
  it("is silent but for HEARTBEAT (1 Hz) and TIMESYNC until streams are requested", () => {
    const h = new Harness();
    h.run(30_000);
    const names = new Set(h.got.map((m) => m.name));
    expect(names).toEqual(new Set(["HEARTBEAT", "TIMESYNC", "HOME_POSITION", "GPS_GLOBAL_ORIGIN"]));
    expect(h.rate("HEARTBEAT", h.time - 20_000)).toBeCloseTo(1, 1);
    const first = h.named("HEARTBEAT")[0]!;
    expect(first.fields).toMatchObject({ type: 2, autopilot: 3, base_mode: 89, system_status: 1, mavlink_version: 3 });
    expect(h.last("HEARTBEAT")!.fields).toMatchObject({ base_mode: 81, system_status: 3, custom_mode: 0 });
    expect(first.sysid).toBe(1);
    expect(first.compid).toBe(1);
  });

  it("REQUEST_DATA_STREAM(ALL, 4) streams ~4 Hz, updates MAV1_* and stops on start_stop 0", () => {
    const h = new Harness();
    h.ready(4);
    const since = h.time;
    h.run(10_000);
    for (const name of ["GLOBAL_POSITION_INT", "ATTITUDE", "VFR_HUD", "SYS_STATUS", "GPS_RAW_INT", "BATTERY_STATUS",
      "EKF_STATUS_REPORT", "MISSION_CURRENT", "RC_CHANNELS", "RAW_IMU", "SYSTEM_TIME", "LOCAL_POSITION_NED"]) {
      expect(h.rate(name, since), name).toBeGreaterThan(3.8);
      expect(h.rate(name, since), name).toBeLessThan(4.2);
    }
    h.send("PARAM_REQUEST_READ", { target_system: 1, param_id: "MAV1_POSITION", param_index: -1 });
    expect(h.last("PARAM_VALUE")!.fields).toMatchObject({ param_id: "MAV1_POSITION", param_value: 4 });
    h.send("REQUEST_DATA_STREAM", { target_system: 1, req_stream_id: 0, req_message_rate: 0, start_stop: 0 });
    const stopped = h.time;
    h.run(3000);
    expect(h.named("GLOBAL_POSITION_INT", stopped + 1)).toHaveLength(0);
  });

  it("SET_MESSAGE_INTERVAL gives the exact rate, GET_MESSAGE_INTERVAL reports it", () => {
    const h = new Harness();
    h.heartbeat();
    h.run(3000);
    expect(h.command(511, [h.idOf("ATTITUDE"), 100_000])).toBe(0);
    expect(h.command(511, [h.idOf("GLOBAL_POSITION_INT"), 200_000])).toBe(0);
    const since = h.time;
    h.run(10_000, 33); // a tick period that does not divide the interval
    expect(h.rate("ATTITUDE", since)).toBeCloseTo(10, 0);
    expect(h.rate("GLOBAL_POSITION_INT", since)).toBeCloseTo(5, 0);
    expect(h.command(510, [h.idOf("ATTITUDE")])).toBe(0);
    expect(h.last("MESSAGE_INTERVAL")!.fields).toMatchObject({ message_id: 30, interval_us: 100_000 });
    h.command(510, [h.idOf("GPS_RAW_INT")]);
    expect(h.last("MESSAGE_INTERVAL")!.fields.interval_us).toBe(-1);
    h.command(510, [0]);
    expect(h.last("MESSAGE_INTERVAL")!.fields.interval_us).toBe(1_000_000);
    h.command(511, [h.idOf("ATTITUDE"), -1]);
    const off = h.time;
    h.run(2000);
    expect(h.named("ATTITUDE", off + 1)).toHaveLength(0);
  });

  it("SET_MESSAGE_INTERVAL streams HOME_POSITION (an ap_message outside the groups); an id without one is DENIED, said in a text", () => {
    const h = new Harness();
    h.heartbeat();
    h.run(6000);
    expect(h.command(511, [h.idOf("HOME_POSITION"), 1_000_000])).toBe(0);
    const since = h.time;
    h.run(5000);
    expect(h.named("HOME_POSITION", since + 1).length).toBeGreaterThanOrEqual(4);
    // RAW_IMU's neighbour id 28 (RAW_PRESSURE) is not streamed by ArduCopter.
    expect(h.command(511, [28, 1_000_000])).toBe(2);
    h.run(100);
    expect(h.texts()).toContain("No ap_message for mavlink id (28)");
  });

  it("sends STATUSTEXT only after a GCS packet, dropping texts older than 5 s", () => {
    const h = new Harness({ bootTimeScale: 1 });
    h.run(8000);
    expect(h.named("STATUSTEXT")).toHaveLength(0);
    h.heartbeat();
    h.run(100);
    // "ArduPilot Ready" (2.4 s) is older than 5 s by now; the EKF texts (4.4 s) are not.
    expect(h.texts()).not.toContain("ArduPilot Ready");
    expect(h.texts()).toContain("EKF3 IMU0 initialised");
  });

  it("refuses arming before the pre-arm checks pass, with FAILED and a PreArm text; accepts after", () => {
    const h = new Harness();
    h.heartbeat();
    h.run(800); // 16 s at scale 0.05: GPS fix, no EKF origin yet
    expect(h.command(176, [1, GUIDED])).toBe(4); // no position yet: GUIDED refused
    expect(h.command(400, [1])).toBe(4);
    expect(h.texts().some((t) => t.startsWith("PreArm: "))).toBe(true);
    h.run(400); // 24 s scaled: past the pre-arm checks (23.4 s)
    expect(h.command(176, [1, GUIDED])).toBe(0);
    expect(h.command(400, [1])).toBe(0);
    h.run(1100);
    expect(h.texts()).toContain("Arming motors");
    // Armed on the ground is STANDBY, as recorded; ACTIVE only once it flies.
    expect(h.last("HEARTBEAT")!.fields).toMatchObject({ base_mode: 217, custom_mode: GUIDED, system_status: 3 });
  });

  it("refuses arming in AUTO/RTL/LAND with 'Arm: Mode not armable'; force arms past PreArm", () => {
    const h = new Harness();
    h.heartbeat();
    h.run(300);
    expect(h.command(400, [1, 21196])).toBe(0); // forced, in STABILIZE
    const g = new Harness();
    g.ready();
    expect(g.command(176, [1, 9])).toBe(0);
    expect(g.command(400, [1])).toBe(4);
    expect(g.texts()).toContain("Arm: Mode not armable");
  });

  it("answers REQUEST_MESSAGE for HOME_POSITION and AUTOPILOT_VERSION, FAILED for home before the origin", () => {
    const h = new Harness();
    h.heartbeat();
    h.run(200);
    expect(h.command(512, [242])).toBe(4);
    h.run(2000);
    expect(h.command(512, [242])).toBe(0);
    expect(h.last("HOME_POSITION")!.fields).toMatchObject({ latitude: 515073998, longitude: -1278000, altitude: 10090 });
    expect(h.command(512, [148])).toBe(0);
    const v = h.last("AUTOPILOT_VERSION")!.fields;
    expect(v.flight_sw_version).toBe(0x04070000);
    expect(Number(v.capabilities) & (4 | 8 | 8192)).toBe(4 | 8 | 8192);
    expect(h.command(512, [60000])).toBe(4);
  });
});
