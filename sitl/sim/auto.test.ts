import { describe, expect, it } from "vitest";
import { Harness, HOME } from "../../test/support/sitl/sim-harness";

const AUTO = 3;
const GUIDED = 4;

function item(seq: number, command: number, lat: number, lon: number, z: number) {
  return {
    seq, frame: seq === 0 ? 0 : 3, command, current: 0, autocontinue: 1, param1: 0, param2: 0, param3: 0, param4: 0,
    x: Math.round(lat * 1e7), y: Math.round(lon * 1e7), z, missionType: 0,
  };
}

describe("AUTO", () => {
  it("refuses AUTO without a mission", () => {
    const h = new Harness();
    h.ready();
    expect(h.command(176, [1, AUTO])).toBe(4);
  });

  it("flies a loaded mission to the final RTL in AUTO, lands and disarms", () => {
    const h = new Harness();
    h.ready();
    h.vehicle.mission!.server.load([
      item(0, 16, HOME.lat, HOME.lon, HOME.altAmsl),
      item(1, 22, 0, 0, 20),
      item(2, 16, HOME.lat + 0.0005, HOME.lon, 20),
      item(3, 20, 0, 0, 0),
    ]);
    expect(h.command(176, [1, GUIDED])).toBe(0);
    expect(h.command(400, [1])).toBe(0);
    expect(h.command(176, [1, AUTO])).toBe(0);
    const t = h.time;
    h.run(120_000);
    expect(h.named("MISSION_ITEM_REACHED", t).map((m) => m.fields.seq)).toEqual([1, 2, 3]);
    expect(h.last("HEARTBEAT")!.fields).toMatchObject({ custom_mode: AUTO, base_mode: 81 });
    expect(h.texts(t)).toContain("Disarming motors");
    expect(h.relAlt()).toBeLessThan(0.1);
  });
});
