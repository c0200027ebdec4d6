import { describe, expect, it } from "vitest";
import type { VehicleState } from "../protocol";
import { formatDuration } from "./link";
import { alertHarness } from "../../test/support/alerts/harness";
import { atAltitude, copter, withBattery } from "../../test/support/alerts/vehicles";

const v = copter();
const lostState = (s: VehicleState): VehicleState => ({ ...s, link: { ...s.link, state: "lost", heartbeatAgeMs: 6000 } });

describe("link lost / regained", () => {
  it("raises a critical alert on lost, keeps the longest silence, clears once the link has stayed up", async () => {
    const h = await alertHarness();
    h.hold(v, 1000);
    h.engine.link({ key: "1:1", state: "lost", time: h.clock.now, heartbeatAgeMs: 5200 });
    const [lost] = h.alerts("link_lost");
    expect(lost).toMatchObject({ severity: "critical", text: "Link lost: no heartbeat for 5.2 s", clearedAt: null });
    h.hold(lostState(v), 40_000);
    h.engine.link({ key: "1:1", state: "regained", time: h.clock.now, heartbeatAgeMs: 0 });
    expect(h.alerts("link_lost")[0]?.text).toBe("Link lost: no heartbeat for 45 s");
    h.hold(v, 2000);
    expect(h.alerts("link_lost")[0]?.clearedAt).toBeNull();
    h.hold(v, 1100);
    expect(h.alerts("link_lost")[0]).toMatchObject({ clearReason: "ended", text: "Link lost: no heartbeat for 45 s" });
  });

  it("a link dropping in and out is one alert", async () => {
    const h = await alertHarness();
    for (let i = 0; i < 5; i++) {
      h.engine.link({ key: "1:1", state: "lost", time: h.clock.now, heartbeatAgeMs: 5100 });
      h.hold(lostState(v), 1000);
      h.engine.link({ key: "1:1", state: "regained", time: h.clock.now, heartbeatAgeMs: 0 });
      h.hold(v, 1500);
    }
    expect(h.alerts("link_lost")).toHaveLength(1);
    h.hold(v, 3000);
    expect(h.alerts("link_lost")[0]?.clearedAt).not.toBeNull();
  });

  it("freezes the other rules of a lost vehicle: stale readings neither raise nor clear", async () => {
    const h = await alertHarness();
    h.run([atAltitude(v, 130)]);
    expect(h.alerts("altitude_limit")).toHaveLength(1);
    h.engine.link({ key: "1:1", state: "lost", time: h.clock.now, heartbeatAgeMs: 5000 });
    // While lost the registry may still hand over a state (its last report, or one decoded just before the loss).
    h.hold(lostState(withBattery(atAltitude(v, 20), 10)), 20_000);
    expect(h.alerts("altitude_limit")[0]?.clearedAt).toBeNull();
    expect(h.alerts("battery_critical")).toEqual([]);
    // Back: fresh readings apply again (the climb-down happened while lost).
    h.engine.link({ key: "1:1", state: "regained", time: h.clock.now, heartbeatAgeMs: 0 });
    h.hold(atAltitude(v, 20), 3100);
    expect(h.alerts("altitude_limit")[0]?.clearedAt).not.toBeNull();
  });

  it("formats durations in words", async () => {
    expect(formatDuration(5234)).toBe("5.2 s");
    expect(formatDuration(47_400)).toBe("47 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
  });
});
