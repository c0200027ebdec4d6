import { describe, expect, it } from "vitest";
import { makeVehicle } from "../../test/vehicles";
import { availability, isAirborne, panelBlock, parseAltitude, parseSpeed } from "./availability";
import { modesFor, normaliseMode } from "./modes";

const onGround = makeVehicle(1, { armed: false, armedSince: null, systemStatus: "standby", position: { lat: 52.5, lon: 13.4, altAmsl: 34, altRelative: 0.2 } });
const flying = makeVehicle(2);

describe("airborne", () => {
  it("is above 1 m, or armed and active", () => {
    expect(isAirborne(onGround)).toBe(false);
    expect(isAirborne(flying)).toBe(true);
    expect(isAirborne({ ...onGround, armed: true, systemStatus: "standby" })).toBe(false);
    expect(isAirborne({ ...onGround, armed: true, systemStatus: "active" })).toBe(true);
    expect(isAirborne({ ...onGround, position: { ...onGround.position!, altRelative: 4 } })).toBe(true);
    expect(isAirborne({ ...onGround, position: null })).toBe(false);
  });
});

describe("what is enabled, and why not", () => {
  it("everything is off without control, with the reason", () => {
    const av = availability(flying, false);
    expect(Object.values(av).every((a) => !a.enabled)).toBe(true);
    expect(av.rtl.reason).toContain("do not hold control of 2:1");
    expect(panelBlock(null, true)).toBe("This vehicle is not connected.");
    expect(panelBlock(flying, true)).toBeNull();
  });

  it("a disarmed copter on the ground may arm and take off, not land or go anywhere", () => {
    const av = availability(onGround, true);
    expect(av.arm.enabled && av.takeoff.enabled && av.setMode.enabled && av.speed.enabled).toBe(true);
    expect(av.disarm).toEqual({ enabled: false, reason: "Already disarmed" });
    expect(av.land.reason).toBe("Not armed");
    expect(av.goto.reason).toBe("Not armed");
    expect(av.missionStart.reason).toBe("Arm first");
  });

  it("an armed copter on the ground must take off before a go-to", () => {
    expect(availability({ ...onGround, armed: true }, true).goto.reason).toBe("Take off first");
  });

  it("a flying copter may stop, go, pause its mission; not arm or take off", () => {
    const av = availability({ ...flying, mode: "AUTO" }, true);
    expect(av.arm.reason).toBe("Already armed");
    expect(av.takeoff.reason).toBe("Already flying");
    expect([av.land, av.rtl, av.brake, av.goto, av.disarm, av.missionPause].every((a) => a.enabled)).toBe(true);
    expect(av.missionStart.reason).toBe("Already in AUTO");
    expect(av.missionResume.reason).toBe("Mission already running");
    expect(availability(flying, true).missionPause.reason).toBe("No mission running (not in AUTO)");
  });

  it("mission buttons follow the vehicle's mission state", () => {
    const none = { ...flying, mission: { current: 0, total: 0, reached: [], state: "no_mission" as const } };
    expect(availability(none, true).missionStart.reason).toBe("No mission on the vehicle");
    const paused = { ...flying, mode: "BRAKE", mission: { current: 3, total: 6, reached: [1, 2], state: "paused" as const } };
    expect(availability(paused, true).missionResume.enabled).toBe(true);
  });

  it("a rover neither takes off nor lands, but may go to a point once armed", () => {
    const rover = makeVehicle(3, { vehicleClass: "rover", systemStatus: "active", position: { lat: 52.5, lon: 13.4, altAmsl: 34, altRelative: 0 } });
    const av = availability(rover, true);
    expect(av.takeoff.reason).toBe("Take off is for copters");
    expect(av.land.reason).toBe("Only aircraft land");
    expect(av.goto.enabled).toBe(true);
  });
});

describe("inputs", () => {
  it("altitude 1..120 m and speed 0.5..30 m/s", () => {
    expect(parseAltitude("20")).toEqual({ value: 20 });
    expect(parseAltitude(" 120 ")).toEqual({ value: 120 });
    expect(parseAltitude("0")).toEqual({ error: "Between 1 and 120 m" });
    expect(parseAltitude("121")).toHaveProperty("error");
    expect(parseAltitude("")).toHaveProperty("error");
    expect(parseAltitude("abc")).toHaveProperty("error");
    expect(parseSpeed("7.5")).toEqual({ value: 7.5 });
    expect(parseSpeed("31")).toEqual({ error: "Between 0.5 and 30 m/s" });
  });

  it("modes per class, and a typed mode name", () => {
    expect(modesFor("copter")).toEqual(["STABILIZE", "ALT_HOLD", "LOITER", "POSHOLD", "GUIDED", "AUTO", "RTL", "SMART_RTL", "LAND", "BRAKE", "CIRCLE"]);
    expect(modesFor("boat")).toBe(modesFor("rover"));
    expect(modesFor("plane")).toContain("FBWA");
    expect(modesFor("other")).toEqual([]);
    expect(normaliseMode(" guided ")).toBe("GUIDED");
    expect(normaliseMode("mode(27)")).toBe("MODE(27)");
    expect(normaliseMode("")).toBeNull();
    expect(normaliseMode("rtl; drop")).toBeNull();
  });
});
