import { describe, expect, it } from "vitest";
import type { GpsFix, VehicleState } from "../protocol";
import { alertHarness } from "../../test/support/alerts/harness";
import { atAltitude, copter, offsetFromHome } from "../../test/support/alerts/vehicles";

const v = copter();
const fix = (f: GpsFix, satellites = 9): VehicleState => ({ ...v, gps: { fix: f, satellites, hdop: 2.1 } });

describe("GPS fix lost", () => {
  it("raises once (critical) when an armed vehicle that had 3D drops below it, through flicker, and clears after 1 s of 3D", async () => {
    const h = await alertHarness();
    h.hold(v, 1000);
    h.run([fix("2d", 6), fix("3d"), fix("2d", 5), fix("no_fix", 3), fix("3d"), fix("2d", 5), fix("3d")]);
    h.hold(fix("3d"), 800);
    h.run([fix("2d", 6)]);
    expect(h.alerts("gps_lost")).toHaveLength(1);
    expect(h.alerts("gps_lost")[0]).toMatchObject({ severity: "critical", clearedAt: null,
      text: "GPS fix lost: no fix, 3 satellites (3D fix needed)" });
    h.hold(fix("rtk_float", 18), 1100);
    expect(h.alerts("gps_lost")[0]?.clearReason).toBe("ended");
    expect(h.alerts("gps_lost")).toHaveLength(1);
  });

  it("says nothing on the ground, nor for a vehicle that never had 3D", async () => {
    const ground = await alertHarness();
    ground.hold({ ...v, armed: false }, 500);
    ground.hold({ ...fix("no_fix"), armed: false }, 5000);
    expect(ground.alerts()).toEqual([]);
    const indoor = await alertHarness();
    indoor.hold({ ...fix("none", 0) }, 5000);
    expect(indoor.alerts()).toEqual([]);
  });
});

describe("EKF position lost", () => {
  // EKF_STATUS_REPORT flags as gps_loss_ekf.tlog has them: 0x33f healthy, 0x25 position lost, 0xa7 constant position.
  const lost: VehicleState = { ...v, ekfHealthy: false, ekfFlags: 0x25 };
  it("needs 1 s of lost position; a blip raises nothing; clears 1 s after the EKF has it again", async () => {
    const h = await alertHarness();
    h.hold(v, 500);
    h.hold(lost, 700);
    h.hold(v, 200);
    h.hold(lost, 900);
    expect(h.alerts()).toEqual([]);
    h.hold(lost, 200);
    expect(h.alerts("ekf_unhealthy")).toHaveLength(1);
    expect(h.alerts("ekf_unhealthy")[0]).toMatchObject({ severity: "critical",
      text: "EKF position lost: no horizontal velocity, no horizontal position (flags 0x25)" });
    h.hold({ ...lost, ekfFlags: 0xa7 }, 500);
    expect(h.alerts("ekf_unhealthy")[0]?.text).toBe(
      "EKF position lost: no horizontal velocity, no horizontal position, constant position mode (no aiding) (flags 0xa7)");
    h.hold(v, 1100);
    expect(h.alerts("ekf_unhealthy")).toHaveLength(1);
    expect(h.alerts("ekf_unhealthy")[0]?.clearedAt).not.toBeNull();
  });

  it("says nothing for a vehicle whose EKF never had a position, and ends with disarming", async () => {
    const never = await alertHarness();
    never.hold(lost, 5000);
    expect(never.alerts()).toEqual([]);
    const h = await alertHarness();
    h.hold(v, 500);
    h.hold(lost, 1500);
    h.hold({ ...lost, armed: false, armedSince: null }, 1100);
    expect(h.alerts("ekf_unhealthy")[0]?.clearReason).toBe("ended");
    h.hold({ ...lost, armed: false, armedSince: null }, 10_000);
    expect(h.alerts("ekf_unhealthy")).toHaveLength(1);
  });
});

describe("altitude above take-off", () => {
  it("raises once around 120 m, keeps the highest, clears 5 m below after a hold", async () => {
    const h = await alertHarness();
    h.run([110, 118, 119.6, 120, 120.4, 119.8, 120.3, 123, 126.2, 125, 121, 119, 121].map((a) => atAltitude(v, a)));
    expect(h.alerts("altitude_limit")).toHaveLength(1);
    expect(h.alerts("altitude_limit")[0]).toMatchObject({ severity: "warning", text: "Altitude 126 m above take-off (limit 120 m)" });
    h.hold(atAltitude(v, 117), 10_000);
    expect(h.alerts("altitude_limit")[0]?.clearedAt).toBeNull();
    h.run([114, 116, 114].map((a) => atAltitude(v, a)));
    h.hold(atAltitude(v, 113), 3100);
    expect(h.alerts("altitude_limit")[0]?.clearedAt).not.toBeNull();
    expect(h.alerts("altitude_limit")).toHaveLength(1);
  });

  it("takes its limit from the configuration", async () => {
    const h = await alertHarness({ config: { altitudeLimit: 60 } });
    h.run([atAltitude(v, 61)]);
    expect(h.alerts("altitude_limit")[0]?.text).toBe("Altitude 61 m above take-off (limit 60 m)");
  });
});

describe("distance from home (visual line of sight)", () => {
  it("raises once beyond 500 m with GPS noise, keeps the farthest, clears 25 m inside", async () => {
    const h = await alertHarness();
    h.run([450, 495, 501, 499, 503, 498, 512, 540, 530].map((n) => offsetFromHome(v, n, 5)));
    expect(h.alerts("vlos_distance")).toHaveLength(1);
    expect(h.alerts("vlos_distance")[0]?.text).toBe("Distance from home 540 m (visual line of sight limit 500 m)");
    h.hold(offsetFromHome(v, 490), 5000);
    expect(h.alerts("vlos_distance")[0]?.clearedAt).toBeNull();
    h.hold(offsetFromHome(v, 300), 3100);
    expect(h.alerts("vlos_distance")[0]?.clearedAt).not.toBeNull();
  });

  it("needs a home position", async () => {
    const h = await alertHarness();
    h.hold({ ...offsetFromHome(v, 900), home: null }, 1000);
    expect(h.alerts()).toEqual([]);
  });
});
