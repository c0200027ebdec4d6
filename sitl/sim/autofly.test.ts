import { describe, expect, it } from "vitest";
import { Harness, HOME } from "../../test/support/sitl/sim-harness";

function item(seq: number, command: number, lat: number, lon: number, z: number) {
  return {
    seq, frame: seq === 0 ? 0 : 3, command, current: 0, autocontinue: 1, param1: 0, param2: 0, param3: 0, param4: 0,
    x: Math.round(lat * 1e7), y: Math.round(lon * 1e7), z, missionType: 0,
  };
}
const mission = [
  item(0, 16, HOME.lat, HOME.lon, HOME.altAmsl),
  item(1, 22, 0, 0, 20),
  item(2, 16, HOME.lat + 0.0005, HOME.lon, 20),
  item(3, 20, 0, 0, 0),
];

describe("autoFly (the demo's pilot)", () => {
  it("waits until the vehicle is ready, then flies the mission and flies it again after a pause", () => {
    const h = new Harness({ bootTimeScale: 0.5 }); // ready to arm after ~12 s
    h.vehicle.autoFly(mission, { repeat: true, pauseMs: 5000 });
    h.run(5000);
    expect(h.vehicle.armed).toBe(false); // still booting: refused, retried
    h.run(240_000);
    const reached = h.named("MISSION_ITEM_REACHED", 0).map((m) => m.fields.seq);
    expect(reached.slice(0, 6)).toEqual([1, 2, 3, 1, 2, 3]);
    const armedFlags = h.named("HEARTBEAT", 0).map((m) => ((m.fields.base_mode as number) & 128) !== 0);
    const armings = armedFlags.filter((a, i) => a && !armedFlags[i - 1]).length;
    expect(armings).toBeGreaterThanOrEqual(2);
  });

  it("flies once without repeat", () => {
    const h = new Harness();
    h.vehicle.autoFly(mission, { repeat: false, pauseMs: 0 });
    h.run(240_000);
    expect(h.named("MISSION_ITEM_REACHED", 0).map((m) => m.fields.seq)).toEqual([1, 2, 3]);
    expect(h.vehicle.armed).toBe(false);
  });
});
