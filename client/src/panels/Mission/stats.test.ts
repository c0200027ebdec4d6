import { describe, expect, it } from "vitest";
import type { Mission } from "../../../../server/protocol";
import { copterFlight1, towerBridge } from "../../test/missions";
import { newItem } from "./kinds";
import { missionStats } from "./stats";

describe("missionStats on the sample missions", () => {
  it("copter_flight_1: a 100 m diamond at 30 m, RTL", () => {
    const s = missionStats(copterFlight1());
    // home -> N 99.9 m, three 141.3 m sides, W -> home 99.9 m
    expect(s.distanceM).toBeCloseTo(623.57, 1);
    // climb 30/2.5 + 99.9/5 + 3 * 141.26/5 + RTL 99.9/5 + descent 30/1.5
    expect(s.timeS).toBeCloseTo(12 + 19.98 + 84.76 + 19.98 + 20, 1);
    expect(s.holdS).toBe(0);
    expect(s.maxDistanceFromStartM).toBeCloseTo(99.89, 1);
    expect(s.maxAltitudeM).toBe(30);
    expect(s).toMatchObject({ itemCount: 6, navCount: 6 });
  });

  it("inspection-tower-bridge: the 30 s loiter counts", () => {
    const s = missionStats(towerBridge());
    expect(s.distanceM).toBeCloseTo(744.9, 1);
    expect(s.holdS).toBe(30);
    // climb 50/2.5 + 373.37/5 + 30 + RTL 371.53/5 + descent 50/1.5
    expect(s.timeS).toBeCloseTo(20 + 74.675 + 30 + 74.305 + 33.333, 1);
  });
});

describe("missionStats model", () => {
  it("a DO_CHANGE_SPEED changes the speed of the legs after it", () => {
    const m = copterFlight1();
    m.items.splice(1, 0, newItem("speed", null));
    const speed = m.items[1]!;
    speed.params = [1, 10, -1, 0];
    const s = missionStats(m);
    expect(s.timeS).toBeCloseTo(12 + (99.89 + 3 * 141.26 + 99.89) / 10 + 20, 0);
    expect(s.navCount).toBe(6);
  });

  it("climbs and descends at their own rates, at the same time as flying", () => {
    const m: Mission = { home: { lat: 0, lon: 0, altAmsl: 0 }, items: [], fence: { polygons: [], circles: [] }, rally: [] };
    m.items.push(newItem("takeoff", null, 10), newItem("waypoint", { lat: 0.00001, lon: 0 }, 100), newItem("land", null));
    const s = missionStats(m);
    // take-off 10/2.5; a 1.1 m leg climbing 90 m is limited by the climb; land descends 100/1.5.
    expect(s.timeS).toBeCloseTo(4 + 36 + 66.67, 1);
    expect(s.maxAltitudeM).toBe(100);
  });

  it("starts at the first position without home, and ignores items after the flight ends", () => {
    const m = towerBridge();
    m.home = null;
    m.items.push(newItem("waypoint", { lat: 52, lon: 0 }, 30));
    const s = missionStats(m);
    expect(s.distanceM).toBeCloseTo(99.95 + 126.53, 1); // no home: no leg from home and no RTL leg
  });

  it("is all zeros for an empty mission", () => {
    expect(missionStats({ home: null, items: [], fence: { polygons: [], circles: [] }, rally: [] })).toMatchObject({ distanceM: 0, timeS: 0, itemCount: 0 });
  });
});
