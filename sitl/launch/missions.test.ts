import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readMission } from "./builtin";
import { missionHome, missionRadiusM, shiftMission } from "./missions";

const samples = readdirSync("missions").filter((f) => f.endsWith(".waypoints"));

describe("sample missions", () => {
  it("are all there", () => {
    expect(samples).toEqual(expect.arrayContaining([
      "search-pattern-hyde-park.waypoints", "perimeter-canary-wharf.waypoints", "inspection-tower-bridge.waypoints",
    ]));
  });

  it.each(samples)("%s: parses, has a home, takes off, stays within 1.5 km and below 120 m, ends with RTL", (file) => {
    const items = readMission(`missions/${file}`);
    const home = missionHome(items);
    expect(home).not.toBeNull();
    expect(items[1]!.command).toBe(22);
    expect(items.at(-1)!.command).toBe(20);
    expect(missionRadiusM(items)).toBeLessThan(1500);
    for (const item of items.slice(1)) expect(item.z).toBeLessThan(120);
  });
});

describe("shiftMission", () => {
  it("moves positioned items by the home offset and keeps the rest", () => {
    const items = readMission("missions/perimeter-canary-wharf.waypoints");
    const from = missionHome(items)!;
    const to = { lat: from.lat + 0.001, lon: from.lon - 0.002, altAmsl: 20 };
    const moved = shiftMission(items, from, to);
    const home = missionHome(moved)!;
    expect(home.lat).toBeCloseTo(to.lat, 7);
    expect(home.lon).toBeCloseTo(to.lon, 7);
    expect(home.altAmsl).toBe(20);
    expect(moved[2]!.x - items[2]!.x).toBe(10_000);
    expect(moved[2]!.y - items[2]!.y).toBe(-20_000);
    expect(moved[2]!.z).toBe(items[2]!.z);
    expect(moved.at(-1)).toEqual(items.at(-1));
  });
});
