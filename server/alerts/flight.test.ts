import { describe, expect, it } from "vitest";
import type { GpsFix, VehicleState } from "../protocol";
import { alertHarness } from "./test-harness";
import { atAltitude, copter, offsetFromHome } from "./test-vehicles";

const v = copter();
const fix = (f: GpsFix, satellites = 9): VehicleState => ({ ...v, gps: { fix: f, satellites, hdop: 2.1 } });

describe("GPS fix lost", () => {
  it("raises once when an armed vehicle that had 3D drops below it, through flicker, and clears after 3 s of 3D", () => {
    const h = alertHarness();
    h.hold(v, 1000);
    h.run([fix("2d", 6), fix("3d"), fix("2d", 5), fix("no_fix", 3), fix("3d"), fix("2d", 5), fix("3d")]);
    h.hold(fix("3d"), 2000);
    h.run([fix("2d", 6)]);
    expect(h.alerts("gps_lost")).toHaveLength(1);
    expect(h.alerts("gps_lost")[0]).toMatchObject({ severity: "warning", clearedAt: null,
      text: "GPS fix lost: no fix, 3 satellites (3D fix needed)" });
    h.hold(fix("rtk_float", 18), 3100);
    expect(h.alerts("gps_lost")[0]?.clearReason).toBe("ended");
    expect(h.alerts("gps_lost")).toHaveLength(1);
  });

  it("says nothing on the ground, nor for a vehicle that never had 3D", () => {
    const ground = alertHarness();
    ground.hold({ ...v, armed: false }, 500);
    ground.hold({ ...fix("no_fix"), armed: false }, 5000);
    expect(ground.alerts()).toEqual([]);
    const indoor = alertHarness();
    indoor.hold({ ...fix("none", 0) }, 5000);
    expect(indoor.alerts()).toEqual([]);
  });
});

describe("EKF unhealthy", () => {
  const bad: VehicleState = { ...v, ekfHealthy: false, ekfFlags: 0x1a7 };
  it("needs 2 s of unhealthy EKF; a short blip raises nothing", () => {
    const h = alertHarness();
    h.hold(bad, 1500);
    h.hold(v, 200);
    h.hold(bad, 1900);
    expect(h.alerts()).toEqual([]);
    h.hold(bad, 300);
    expect(h.alerts("ekf_unhealthy")).toHaveLength(1);
    expect(h.alerts("ekf_unhealthy")[0]?.text).toBe("EKF unhealthy: attitude, velocity or position estimate not trusted (flags 0x1a7)");
    h.run([v, bad, v, v, bad]);
    h.hold(v, 3100);
    expect(h.alerts("ekf_unhealthy")).toHaveLength(1);
    expect(h.alerts("ekf_unhealthy")[0]?.clearedAt).not.toBeNull();
  });

  it("ends with disarming (the EKF waiting for GPS on the ground is normal)", () => {
    const h = alertHarness();
    h.hold(bad, 2500);
    h.hold({ ...bad, armed: false, armedSince: null }, 3100);
    expect(h.alerts("ekf_unhealthy")[0]?.clearReason).toBe("ended");
    h.hold({ ...bad, armed: false, armedSince: null }, 10_000);
    expect(h.alerts("ekf_unhealthy")).toHaveLength(1);
  });
});

describe("altitude above take-off", () => {
  it("raises once around 120 m, keeps the highest, clears 5 m below after a hold", () => {
    const h = alertHarness();
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

  it("takes its limit from the configuration", () => {
    const h = alertHarness({ config: { altitudeLimit: 60 } });
    h.run([atAltitude(v, 61)]);
    expect(h.alerts("altitude_limit")[0]?.text).toBe("Altitude 61 m above take-off (limit 60 m)");
  });
});

describe("distance from home (visual line of sight)", () => {
  it("raises once beyond 500 m with GPS noise, keeps the farthest, clears 25 m inside", () => {
    const h = alertHarness();
    h.run([450, 495, 501, 499, 503, 498, 512, 540, 530].map((n) => offsetFromHome(v, n, 5)));
    expect(h.alerts("vlos_distance")).toHaveLength(1);
    expect(h.alerts("vlos_distance")[0]?.text).toBe("Distance from home 540 m (visual line of sight limit 500 m)");
    h.hold(offsetFromHome(v, 490), 5000);
    expect(h.alerts("vlos_distance")[0]?.clearedAt).toBeNull();
    h.hold(offsetFromHome(v, 300), 3100);
    expect(h.alerts("vlos_distance")[0]?.clearedAt).not.toBeNull();
  });

  it("needs a home position", () => {
    const h = alertHarness();
    h.hold({ ...offsetFromHome(v, 900), home: null }, 1000);
    expect(h.alerts()).toEqual([]);
  });
});
