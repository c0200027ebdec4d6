import { describe, expect, it } from "vitest";
import { alertHarness } from "../../test/support/alerts/harness";
import { copter, withBattery } from "../../test/support/alerts/vehicles";

const v = copter();
const pct = (values: number[]) => values.map((p) => withBattery(v, p));

describe("battery rules", () => {
  it("raises battery low once through noise around 30 %, keeps the worst value, clears 3 points above after a hold", async () => {
    const h = await alertHarness();
    h.run(pct([34, 32, 31, 30, 31, 30, 29, 30, 29, 30, 29, 28, 29, 28, 27, 26, 27, 25, 24, 25, 26]));
    const [low, ...others] = h.alerts("battery_low");
    expect(others).toEqual([]);
    expect(low).toMatchObject({ severity: "warning", text: "Battery low: 24 % (below 30 %)", clearedAt: null, count: 1 });
    // Recovering (a pack swap, or the % estimate resetting) but within the hysteresis band: stays.
    h.hold(withBattery(v, 31), 10_000);
    h.run(pct([33, 32, 33, 34, 32]));
    expect(h.alerts("battery_low")[0]?.clearedAt).toBeNull();
    h.hold(withBattery(v, 33), 2900);
    expect(h.alerts("battery_low")[0]?.clearedAt).toBeNull();
    h.hold(withBattery(v, 34), 3000);
    expect(h.alerts("battery_low")).toHaveLength(1);
    expect(h.alerts("battery_low")[0]).toMatchObject({ clearReason: "ended", text: "Battery low: 24 % (below 30 %)" });
    expect(h.alerts("battery_low")[0]?.clearedAt).not.toBeNull();
    // A new discharge is a new episode.
    h.run(pct([29]));
    expect(h.alerts("battery_low")).toHaveLength(2);
  });

  it("does not emit a text update for readings that are not worse", async () => {
    const h = await alertHarness();
    h.run(pct([29, 28, 29, 28, 29, 28]));
    expect(h.emitted.map((a) => a.text)).toEqual(["Battery low: 29 % (below 30 %)", "Battery low: 28 % (below 30 %)"]);
  });

  it("critical supersedes low: the low alert closes as superseded, and no new low alert while the pack stays low", async () => {
    const h = await alertHarness();
    h.run(pct([31, 29, 25, 21, 20, 19, 20, 19, 18]));
    const low = h.alerts("battery_low");
    const critical = h.alerts("battery_critical");
    expect(low).toHaveLength(1);
    expect(low[0]).toMatchObject({ clearReason: "superseded", text: "Battery low: 20 % (below 30 %)" });
    expect(critical).toHaveLength(1);
    expect(critical[0]).toMatchObject({ severity: "critical", text: "Battery critical: 18 % (below 20 %)", clearedAt: null });
    // Voltage recovering under less load lifts the estimate over critical's clear level, still under 30 %.
    h.hold(withBattery(v, 24), 5000);
    h.run(pct([22, 25, 28, 27]));
    expect(h.alerts("battery_critical")[0]?.clearReason).toBe("ended");
    expect(h.alerts("battery_low")).toHaveLength(1);
    h.hold(withBattery(v, 40), 4000);
    h.run(pct([29]));
    expect(h.alerts("battery_low")).toHaveLength(2);
  });

  it("a sudden drop straight below critical raises only critical", async () => {
    const h = await alertHarness();
    h.run(pct([60, 15, 14]));
    expect(h.alerts("battery_low")).toEqual([]);
    expect(h.alerts("battery_critical")).toHaveLength(1);
  });

  it("uses volts only when configured, and only after the pack stays under the threshold for 10 s", async () => {
    const off = await alertHarness();
    off.hold(withBattery(v, 60, 13.0), 20_000);
    expect(off.alerts()).toEqual([]);

    const h = await alertHarness({ config: { batteryLowVolts: 14.4, batteryCriticalVolts: 13.6 } });
    // A punch-out sags the pack for a few seconds: no alert.
    h.hold(withBattery(v, 60, 14.1), 5000);
    h.hold(withBattery(v, 60, 15.2), 1000);
    h.hold(withBattery(v, 60, 14.3), 9000);
    expect(h.alerts()).toEqual([]);
    h.hold(withBattery(v, 60, 14.2), 1500);
    expect(h.alerts("battery_low")).toHaveLength(1);
    expect(h.alerts("battery_low")[0]?.text).toBe("Battery low: 14.2 V (below 14.4 V)");
    // Clears 0.3 V above, after the hold.
    h.hold(withBattery(v, 60, 14.6), 5000);
    expect(h.alerts("battery_low")[0]?.clearedAt).toBeNull();
    h.hold(withBattery(v, 60, 14.8), 3500);
    expect(h.alerts("battery_low")[0]?.clearedAt).not.toBeNull();
  });

  it("names both causes when % and volts are under", async () => {
    const h = await alertHarness({ config: { batteryLowVolts: 14.4 } });
    h.hold(withBattery(v, 27, 14.0), 11_000);
    expect(h.alerts("battery_low")).toHaveLength(1);
    expect(h.alerts("battery_low")[0]?.text).toBe("Battery low: 27 % (below 30 %), 14.0 V (below 14.4 V)");
  });

  it("an unknown battery neither raises nor clears", async () => {
    const h = await alertHarness();
    h.run(pct([25]));
    h.hold(withBattery(v, null, null), 10_000);
    expect(h.alerts("battery_low")[0]?.clearedAt).toBeNull();
  });
});

describe("BATTERY_STATUS charge_state (ArduPilot's own BATT_* judgement)", () => {
  it("raises low and then critical at default settings while the % looks fine", async () => {
    const h = await alertHarness();
    const v = copter();
    h.hold({ ...v, batteryState: "ok" }, 500);
    h.hold({ ...withBattery(v, 91, 10.9), batteryState: "low" }, 500);
    expect(h.alerts("battery_low")[0]).toMatchObject({ severity: "warning", text: "Battery low: vehicle reports LOW (10.9 V, 91 %)" });
    h.hold({ ...withBattery(v, 88, 10.3), batteryState: "critical" }, 500);
    expect(h.alerts("battery_critical")[0]).toMatchObject({ severity: "critical",
      text: "Battery critical: vehicle reports CRITICAL (10.3 V, 88 %)" });
    expect(h.alerts("battery_low")[0]?.clearReason).toBe("superseded");
  });

  it("UNHEALTHY (no good reading yet, 0 V at boot) is no charge level", async () => {
    const h = await alertHarness();
    h.hold({ ...withBattery(copter(), 100, 0), batteryState: "unhealthy" }, 2000);
    expect(h.alerts()).toEqual([]);
  });
});
