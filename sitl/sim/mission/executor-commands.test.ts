import { describe, expect, it } from "vitest";
import { MissionExecutor } from "./executor";
import type { NavState } from "./nav";
import { MissionServer } from "./server";
import { FakeGcs, FakeVehicle, HOME } from "../../../test/support/sitl/mission-host";
import type { MissionItem } from "./types";

function item(command: number, over: Partial<MissionItem> = {}): MissionItem {
  return {
    seq: 0, frame: 3, command, current: 0, autocontinue: 1, param1: 0, param2: 0, param3: 0, param4: 0,
    x: 0, y: 0, z: 0, missionType: 0, ...over,
  };
}

const HOME_ITEM = item(16, { frame: 0, x: 515073998, y: -1278000, z: 10.09 });
const AIR: NavState = { lat: HOME.lat, lon: HOME.lon, altRelative: 20, groundSpeed: 0, landed: false, armed: true };

function setup(items: MissionItem[]) {
  const vehicle = new FakeVehicle();
  const server = new MissionServer(vehicle);
  server.load(items);
  return { vehicle, server, executor: new MissionExecutor(server, vehicle) };
}

function texts(vehicle: FakeVehicle): string[] {
  return vehicle.take().map((s) => (s.kind === "text" ? s.text : `${s.name} ${String(s.fields.seq)}`));
}

describe("MissionExecutor commands", () => {
  it("refuses AUTO without a mission, and on the ground without a takeoff first", () => {
    expect(setup([]).executor.start()).toBe(false);
    expect(setup([HOME_ITEM]).executor.start()).toBe(false);
    const { executor, vehicle } = setup([HOME_ITEM, item(16, { x: 515080000, y: -1278000, z: 20 })]);
    expect(executor.state).toBe(2);
    expect(executor.start({ ...AIR, altRelative: 0, landed: true })).toBe(false);
    expect(texts(vehicle)).toEqual(["Auto: Missing Takeoff Cmd"]);
    expect(executor.start(AIR)).toBe(true);
  });

  it("DO_CHANGE_SPEED applies at once, is reached after the next nav item starts, and never says \"Reached command\"", () => {
    const { executor, vehicle } = setup([HOME_ITEM, item(178, { param1: 1, param2: 7.5 }), item(19, { param1: 3, z: 20 })]);
    executor.start(AIR);
    expect(executor.speedOverride).toBe(7.5);
    expect(executor.current).toBe(2);
    expect(texts(vehicle)).toEqual(["Mission: 1 ChangeSpeed", "Mission: 2 LoitTime", "MISSION_ITEM_REACHED 1"]);
  });

  it("LOITER_TIME holds param1 seconds at the spot where it started (0,0), then completes the mission", () => {
    const { executor, vehicle } = setup([HOME_ITEM, item(19, { param1: 3, z: 20 })]);
    executor.start(AIR);
    vehicle.take();
    expect(executor.step(AIR, 1000)).toEqual({ kind: "loiter", lat: HOME.lat, lon: HOME.lon, altRelative: 20 });
    executor.step(AIR, 3500);
    expect(executor.state).toBe(3);
    expect(executor.step(AIR, 4000)).toEqual({ kind: "done" });
    expect(texts(vehicle)).toEqual(["MISSION_ITEM_REACHED 1", "Reached command #1"]);
    expect(executor.state).toBe(5);
  });

  it("LAND at 0,0 lands here and is reached on the ground; WAYPOINT honours its hold time", () => {
    const wp = item(16, { x: 515080000, y: -1278000, z: 20, param1: 2 });
    const { executor, vehicle } = setup([HOME_ITEM, wp, item(21)]);
    executor.start(AIR);
    const there = { ...AIR, lat: 51.508 };
    executor.step(there, 0);
    executor.step(there, 1900);
    expect(executor.current).toBe(1);
    expect(executor.step(there, 2000)).toEqual({ kind: "land", lat: 51.508, lon: HOME.lon });
    expect(executor.step({ ...there, altRelative: 5 }, 3000)).toEqual({ kind: "land", lat: 51.508, lon: HOME.lon });
    executor.step({ ...there, altRelative: 0, landed: true }, 4000);
    expect(texts(vehicle)).toEqual([
      "Mission: 1 WP", "MISSION_ITEM_REACHED 1", "Reached command #1", "Mission: 2 Land", "MISSION_ITEM_REACHED 2",
    ]);
    expect(executor.missionCurrent()).toMatchObject({ seq: 0, mission_state: 5 });
  });

  it("MISSION_SET_CURRENT jumps while flying and answers with MISSION_CURRENT; stopped, the next start resumes there", () => {
    const wps = [1, 2, 3].map((k) => item(16, { x: 515080000 + k * 1000, y: -1278000, z: 20 }));
    const { executor, server, vehicle } = setup([HOME_ITEM, ...wps]);
    executor.start(AIR);
    vehicle.take();
    server.handle(new FakeGcs().packet("MISSION_SET_CURRENT", { seq: 3 }));
    expect(vehicle.take()).toEqual([
      { kind: "text", severity: 6, text: "Mission: 3 WP" },
      { kind: "msg", name: "MISSION_CURRENT", fields: expect.objectContaining({ seq: 3, total: 3, mission_state: 3, mission_mode: 1 }) },
    ]);
    executor.stop();
    expect(executor.setCurrent(2)).toBe(true);
    expect(executor.setCurrent(9)).toBe(false);
    expect(executor.state).toBe(4);
    executor.start(AIR);
    expect(executor.current).toBe(2);
  });

  it("DO_JUMP repeats a leg param2 times", () => {
    const a = item(16, { x: 515080000, y: -1278000, z: 20 });
    const { executor, vehicle } = setup([HOME_ITEM, a, item(177, { param1: 1, param2: 1 }), item(20)]);
    executor.start(AIR);
    const atA = { ...AIR, lat: 51.508 };
    executor.step(atA, 0);
    executor.step(atA, 100);
    expect(texts(vehicle).filter((t) => t.startsWith("Mission"))).toEqual(["Mission: 1 WP", "Mission: 1 WP", "Mission: 3 RTL"]);
  });
});
