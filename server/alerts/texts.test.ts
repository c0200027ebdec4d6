import { describe, expect, it } from "vitest";
import type { Severity } from "../protocol";
import { parseFailsafeText } from "./failsafe";
import { alertHarness } from "../../test/support/alerts/harness";
import { copter } from "../../test/support/alerts/vehicles";
import { textIdentity } from "./texts";

const v = copter();

describe("STATUSTEXT alerts", () => {
  it("PreArm repeated every 30 s for 5 minutes is one alert with a count, ended after a quiet minute", async () => {
    const h = await alertHarness();
    const disarmed = { ...v, armed: false, armedSince: null };
    for (let s = 0; s <= 300; s += 30) {
      h.engine.statusText("1:1", { time: h.clock.now, severity: "critical", text: "PreArm: Need Position Estimate" });
      h.hold(disarmed, 30_000);
    }
    const texts = h.alerts("statustext");
    expect(texts).toHaveLength(1);
    // ArduPilot sends arming refusals as CRITICAL; they are a warning for the pilot.
    expect(texts[0]).toMatchObject({ severity: "warning", count: 11, text: "PreArm: Need Position Estimate (seen 11 times)", clearedAt: null });
    // Each repeat is written and sent once (30 s apart, beyond the 5 s throttle), never more.
    expect(h.emitted.filter((a) => a.rule === "statustext")).toHaveLength(11);
    h.hold(disarmed, 31_000);
    expect(h.alerts("statustext")[0]).toMatchObject({ clearReason: "ended", count: 11 });
    h.engine.statusText("1:1", { time: h.clock.now, severity: "critical", text: "PreArm: Need Position Estimate" });
    expect(h.alerts("statustext")).toHaveLength(2);
  });

  it("treats texts that differ only by numbers as the same condition", async () => {
    expect(textIdentity("PreArm: Battery 1 low voltage 14.2V")).toBe(textIdentity("PreArm:  battery 1 low voltage 14.1V"));
    // Digits in a name are not measurements: two EKF cores are two messages.
    expect(textIdentity("EKF3 IMU0 stopped aiding")).not.toBe(textIdentity("EKF3 IMU1 stopped aiding"));
    const h = await alertHarness();
    h.engine.statusText("1:1", { time: h.clock.now, severity: "warning", text: "Battery 1 is low 14.20V used 2100 mAh" });
    h.hold(v, 6000);
    h.engine.statusText("1:1", { time: h.clock.now, severity: "warning", text: "Battery 1 is low 14.05V used 2180 mAh" });
    expect(h.alerts("statustext")).toHaveLength(1);
    expect(h.alerts("statustext")[0]?.text).toBe("Battery 1 is low 14.05V used 2180 mAh (seen 2 times)");
  });

  it("ignores NOTICE and below; keeps the vehicle's severity otherwise", async () => {
    const h = await alertHarness();
    const send = (severity: Severity, text: string) => h.engine.statusText("1:1", { time: h.clock.now, severity, text });
    send("info", "Mission: 2 WP");
    send("notice", "EKF3 IMU0 is using GPS");
    send("error", "Crash: Disarming");
    send("emergency", "Potential Thrust Loss (3)");
    expect(h.alerts().map((a) => [a.severity, a.text])).toEqual([["error", "Crash: Disarming"], ["emergency", "Potential Thrust Loss (3)"]]);
  });

  it("a flood of a repeated text at 10 Hz is throttled to one update per 5 s", async () => {
    const h = await alertHarness();
    for (let i = 0; i < 100; i++) {
      h.engine.statusText("1:1", { time: h.clock.now, severity: "warning", text: "Vibration compensation ON" });
      h.run([v]);
    }
    expect(h.alerts("statustext")).toHaveLength(1);
    expect(h.emitted.length).toBeLessThanOrEqual(4);
    h.hold(v, 6000);
    expect(h.alerts("statustext")[0]?.count).toBe(100);
  });

  it("rate-limits new alerts per vehicle and caps the active ones", async () => {
    const h = await alertHarness();
    for (let i = 0; i < 30; i++) h.engine.statusText("1:1", { time: h.clock.now, severity: "warning", text: `Odd message ${String.fromCharCode(65 + i)}` });
    expect(h.alerts("statustext")).toHaveLength(10);
    // Another vehicle is not affected.
    h.engine.statusText("2:1", { time: h.clock.now, severity: "warning", text: "GPS Glitch" });
    expect(h.alerts("statustext")).toHaveLength(11);

    const capped = await alertHarness({ tuning: { textAlertsPerMinute: 1000 } });
    for (let i = 0; i < 80; i++) {
      capped.engine.statusText("1:1", { time: capped.clock.now, severity: "warning", text: `Odd message ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? "x".repeat(Math.floor(i / 26)) : ""}` });
    }
    expect(capped.alerts("statustext")).toHaveLength(50);
    // A condition rule is never blocked by the cap.
    capped.run([{ ...v, battery: { ...v.battery, remaining: 10 } }]);
    expect(capped.alerts("battery_critical")).toHaveLength(1);
  });
});

describe("failsafe", () => {
  it("recognises ArduCopter's failsafe texts, not PreArm checks that mention failsafe", async () => {
    expect(parseFailsafeText("Radio Failsafe")).toEqual({ kind: "radio", cleared: false });
    expect(parseFailsafeText("Radio Failsafe Cleared")).toEqual({ kind: "radio", cleared: true });
    expect(parseFailsafeText("EKF Failsafe: changed to LAND Mode")).toEqual({ kind: "ekf", cleared: false });
    expect(parseFailsafeText("GCS Failsafe - Continuing Auto")).toEqual({ kind: "gcs", cleared: false });
    expect(parseFailsafeText("PreArm: Throttle below Failsafe")).toBeNull();
    expect(parseFailsafeText("Mission: 3 WP")).toBeNull();
  });
});
