import { describe, expect, it } from "vitest";
import { ReceptionStats } from "./health";
import { emptyVehicle } from "./state";

const link = emptyVehicle({ sysid: 1, compid: 1 }, 0).link;

describe("ReceptionStats", () => {
  it("counts packets lost from sequence gaps, across the 255 -> 0 wrap", () => {
    const s = new ReceptionStats();
    for (const seq of [250, 251, 253, 255, 0, 1, 5]) s.record("a", seq, 10, 0);
    const h = s.apply(link, 0, 5000);
    expect(h.packetsReceived).toBe(7);
    expect(h.packetsLost).toBe(1 + 1 + 3);
    expect(h.lossRatio).toBeCloseTo(5 / 12);
  });

  it("keeps a sequence per link, so a vehicle heard on two links is not seen losing packets", () => {
    const s = new ReceptionStats();
    for (let seq = 0; seq < 10; seq++) {
      s.record("radio", seq, 10, 0);
      s.record("lte", seq, 10, 0);
    }
    const h = s.apply(link, 0, 5000);
    expect(h.packetsLost).toBe(0);
    expect(h.links).toEqual(["radio", "lte"]);
  });

  it("gives each state the links as they were then: a link heard later does not change an earlier state", () => {
    const s = new ReceptionStats();
    s.record("radio", 0, 10, 0);
    const before = s.apply(link, 0, 5000);
    expect(s.apply(link, 1, 5000).links).toBe(before.links);
    s.record("lte", 0, 10, 1);
    expect(s.apply(link, 2, 5000).links).toEqual(["radio", "lte"]);
    expect(before.links).toEqual(["radio"]);
    // A dump and its restore do not share the list either.
    const restored = ReceptionStats.restore(s.dump());
    restored.record("serial", 0, 10, 3);
    expect(s.apply(link, 3, 5000).links).toEqual(["radio", "lte"]);
  });

  it("takes a huge jump as a restart of the sender, not as lost packets", () => {
    const s = new ReceptionStats();
    s.record("a", 10, 1, 0);
    s.record("a", 200, 1, 0);
    expect(s.apply(link, 0, 5000).packetsLost).toBe(0);
  });

  it("measures bytes per second over a one-second window and drops to 0 when silent", () => {
    const s = new ReceptionStats();
    for (let t = 0; t <= 2000; t += 100) s.record("a", (t / 100) & 0xff, 50, t);
    expect(s.apply(link, 2000, 5000).bytesPerSecond).toBe(500);
    expect(s.apply(link, 5000, 5000).bytesPerSecond).toBe(0);
  });

  it("reports lost after the heartbeat timeout", () => {
    const s = new ReceptionStats();
    expect(s.apply({ ...link, lastHeartbeat: 1000 }, 5999, 5000)).toMatchObject({ state: "ok", heartbeatAgeMs: 4999 });
    expect(s.apply({ ...link, lastHeartbeat: 1000 }, 6001, 5000)).toMatchObject({ state: "lost", heartbeatAgeMs: 5001 });
  });
});
