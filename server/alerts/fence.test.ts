import { describe, expect, it } from "vitest";
import type { Mission } from "../protocol";
import { fenceCheck, zonesOf } from "./fence";
import { alertHarness } from "../../test/support/alerts/harness";
import { copter, HOME, offsetFromHome, pointFromHome } from "../../test/support/alerts/vehicles";

const v = copter();
/** A 400 m square centred on home (inclusion) with a 50 m exclusion circle 100 m east of home. */
const square = [pointFromHome(200, -200), pointFromHome(200, 200), pointFromHome(-200, 200), pointFromHome(-200, -200)];
const fence: Mission["fence"] = {
  polygons: [{ inclusion: true, points: square }],
  circles: [{ inclusion: false, center: pointFromHome(0, 100), radius: 50 }],
};

describe("fenceCheck", () => {
  it("measures how far inside or outside the fence a point is", async () => {
    const zones = zonesOf(fence);
    expect(fenceCheck(HOME, zones).breach).toBeNull();
    expect(fenceCheck(HOME, zones).margin).toBeCloseTo(50, 0); // 200 m to the square's edge, 50 m to the circle's rim
    const out = fenceCheck(pointFromHome(230, 0), zones);
    expect(out.breach?.outside).toBe(true);
    expect(out.breach?.metres).toBeCloseTo(30, 0);
    const excluded = fenceCheck(pointFromHome(0, 90), zones);
    expect(excluded.breach).toMatchObject({ outside: false, excluded: true });
    expect(excluded.breach?.metres).toBeCloseTo(40, 0);
  });

  it("with only exclusion zones, anywhere outside them is fine; degenerate polygons are ignored", async () => {
    const zones = zonesOf({ polygons: [{ inclusion: true, points: square.slice(0, 2) }], circles: fence.circles });
    expect(fenceCheck(pointFromHome(5000, 0), zones).breach).toBeNull();
  });
});

describe("geofence breach alert", () => {
  it("raises once (critical) crossing the edge back and forth, keeps the farthest, clears 5 m inside after a hold", async () => {
    const h = await alertHarness();
    h.fences.set("1:1", fence);
    h.run([150, 195, 201, 199, 202, 198, 215, 230, 221].map((n) => offsetFromHome(v, n)));
    expect(h.alerts("geofence_breach")).toHaveLength(1);
    expect(h.alerts("geofence_breach")[0]).toMatchObject({ severity: "critical", text: "Geofence breach: 30 m outside the fence" });
    h.hold(offsetFromHome(v, 197), 5000);
    expect(h.alerts("geofence_breach")[0]?.clearedAt).toBeNull();
    h.hold(offsetFromHome(v, 190), 3100);
    expect(h.alerts("geofence_breach")[0]?.clearedAt).not.toBeNull();
    h.hold(offsetFromHome(v, 0, 80), 500);
    expect(h.alerts("geofence_breach")).toHaveLength(2);
    expect(h.alerts("geofence_breach")[1]?.text).toBe("Geofence breach: 30 m inside an exclusion zone");
  });

  it("no fence, or on the ground: no breach", async () => {
    const h = await alertHarness();
    h.hold(offsetFromHome(v, 5000), 1000);
    h.fences.set("1:1", fence);
    h.hold({ ...offsetFromHome(v, 5000), armed: false }, 1000);
    expect(h.alerts("geofence_breach")).toEqual([]);
  });
});

describe("FENCE_STATUS, the vehicle's own verdict", () => {
  const breached = (breachType: "boundary" | "max_alt", count = 1) => ({ ...v, fence: { breached: true, breachCount: count, breachType } });
  const inside = { ...v, fence: { breached: false, breachCount: 1, breachType: "none" as const } };

  it("raises for a fence set only by parameters (never uploaded here), named by the vehicle, cleared 1 s after breach_status 0", async () => {
    const h = await alertHarness();
    h.hold({ ...v, fence: { breached: false, breachCount: 0, breachType: "none" } }, 500);
    h.run([breached("max_alt")]);
    expect(h.alerts("geofence_breach")[0]).toMatchObject({ severity: "critical",
      text: "Geofence breach: vehicle reports maximum altitude fence breached" });
    // ArduCopter says which fence at NOTICE ("Max alt fence breached"): below the text threshold, but it names it.
    h.engine.statusText("1:1", { time: h.clock.now, severity: "notice", text: "Max alt fence breached" });
    h.hold(breached("max_alt"), 500);
    expect(h.alerts("geofence_breach")[0]?.text).toBe("Geofence breach: vehicle reports max alt fence breached");
    expect(h.alerts("statustext")).toEqual([]);
    h.hold(inside, 900);
    expect(h.alerts("geofence_breach")[0]?.clearedAt).toBeNull();
    h.hold(inside, 200);
    expect(h.alerts("geofence_breach")[0]?.clearReason).toBe("ended");
  });

  it("is the only source once reported: an uploaded fence breached as well does not raise a second alert", async () => {
    const h = await alertHarness();
    h.fences.set("1:1", fence);
    const outside = offsetFromHome(v, 260);
    h.hold({ ...outside, fence: { breached: true, breachCount: 1, breachType: "boundary" } }, 2000);
    expect(h.alerts("geofence_breach")).toHaveLength(1);
    expect(h.alerts("geofence_breach")[0]?.text).toBe("Geofence breach: vehicle reports boundary fence (polygon or circle) breached");
    // The vehicle says it is back inside: its verdict stands over our geometry.
    h.hold({ ...outside, fence: { breached: false, breachCount: 1, breachType: "none" } }, 1100);
    expect(h.alerts("geofence_breach")[0]?.clearReason).toBe("ended");
    expect(h.alerts("geofence_breach")).toHaveLength(1);
  });
});
