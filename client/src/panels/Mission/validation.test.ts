import { describe, expect, it } from "vitest";
import { sameMission } from "./compare";
import { copterFlight1, towerBridge } from "../../test/missions";
import { CMD, newItem } from "./kinds";
import { breachesFence, hasErrors, validateMission } from "./validation";

const messages = (m = copterFlight1(), onGround: boolean | null = null) => validateMission(m, { maxAltitudeM: 120, onGround }).map((p) => `${p.severity}: ${p.message}`);

describe("validateMission", () => {
  it("passes the sample missions", () => {
    expect(messages()).toEqual([]);
    expect(messages(towerBridge(), true)).toEqual([]);
  });

  it("flags altitudes above the limit and below home", () => {
    const m = copterFlight1();
    m.items[2]!.alt = 150;
    m.items[3]!.alt = -5;
    expect(messages(m)).toEqual(["error: Item 3: altitude 150 m is above the 120 m limit", "error: Item 4: altitude -5 m is below home"]);
    expect(hasErrors(validateMission(m))).toBe(true);
  });

  it("warns about a missing take-off only when the vehicle is on the ground", () => {
    const m = copterFlight1();
    m.items.shift();
    expect(messages(m, false)).toEqual([]);
    expect(messages(m, true)).toEqual(["warning: The mission has no take-off item and the vehicle is on the ground"]);
  });

  it("flags items with no position, bad loiter times and speeds, and items after the end", () => {
    const m = copterFlight1();
    m.items[1] = { ...m.items[1]!, lat: 0, lon: 0 };
    m.items[2] = { ...m.items[2]!, command: CMD.LOITER_TIME, params: [0, 0, 0, 0] };
    m.items.push(newItem("speed", null, 0));
    m.items[6]!.params[1] = 0;
    expect(messages(m)).toEqual([
      "error: Item 2: has no position",
      "error: Item 3: loiter time must be more than 0 s",
      "warning: Item 7: comes after item 6 ends the flight, so it will never run",
      "error: Item 7: speed must be more than 0 m/s",
    ]);
  });

  it("warns about an empty mission and one that never ends", () => {
    expect(messages({ ...copterFlight1(), items: [] })).toEqual(["warning: The mission has no items"]);
    const m = copterFlight1();
    m.items.pop();
    expect(messages(m)[0]).toMatch(/does not end with a return to launch or a landing/);
  });

  it("checks items against inclusion and exclusion zones", () => {
    const m = copterFlight1();
    const home = { lat: 51.5073998, lon: -0.1278 };
    m.fence.circles.push({ inclusion: true, center: home, radius: 120 });
    expect(messages(m)).toEqual([]);
    m.fence.circles[0]!.radius = 50;
    expect(messages(m)).toEqual([2, 3, 4, 5].map((n) => `error: Item ${n} is outside the inclusion fence`));
    m.fence.circles = [];
    m.fence.polygons.push({ inclusion: false, points: [{ lat: 51.508, lon: -0.129 }, { lat: 51.509, lon: -0.129 }, { lat: 51.509, lon: -0.126 }, { lat: 51.508, lon: -0.126 }] });
    expect(messages(m)).toEqual(["error: Item 2 is inside an exclusion zone"]);
    expect(breachesFence(m, home)).toBeNull();
  });

  it("flags broken fence shapes and rally points above the limit", () => {
    const m = copterFlight1();
    m.fence.polygons.push({ inclusion: false, points: [{ lat: 1, lon: 1 }] });
    m.fence.circles.push({ inclusion: false, center: { lat: 1, lon: 1 }, radius: 0 });
    m.rally.push({ lat: 51.5, lon: -0.12, alt: 130 });
    expect(messages(m)).toEqual([
      "error: Fence polygon 1 has fewer than 3 corners",
      "error: Fence circle 1: radius must be more than 0 m",
      "error: Rally point 1: altitude 130 m is above the 120 m limit",
    ]);
  });
});

describe("sameMission", () => {
  it("compares by meaning: frames, unset params and home do not matter", () => {
    const mine = copterFlight1();
    const back = copterFlight1();
    back.home = { lat: 51.50741, lon: -0.12781, altAmsl: 11 };
    back.items = back.items.map((it) => ({ ...it, frame: it.command === CMD.RETURN_TO_LAUNCH ? 0 : 3, params: [0, 0, 0, 0] }));
    mine.items[1]!.params = [0, null, null, null];
    mine.items[1]!.frame = 6;
    back.items[2]!.lat += 1e-8;
    expect(sameMission(mine, back)).toBe(true);
  });

  it("sees a moved point, a new altitude, a hold time or a fence change", () => {
    const base = copterFlight1();
    const moved = copterFlight1();
    moved.items[2]!.lat += 1e-5;
    expect(sameMission(base, moved)).toBe(false);
    const higher = copterFlight1();
    higher.items[0]!.alt = 31;
    expect(sameMission(base, higher)).toBe(false);
    const hold = copterFlight1();
    hold.items[1]!.params[0] = 5;
    expect(sameMission(base, hold)).toBe(false);
    const fenced = copterFlight1();
    fenced.rally.push({ lat: 1, lon: 1, alt: 10 });
    expect(sameMission(base, fenced)).toBe(false);
  });
});
