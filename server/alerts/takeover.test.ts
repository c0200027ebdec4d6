import { describe, expect, it } from "vitest";
import { frameOf, resealFrame } from "../mavlink";
import type { Frame } from "../mavlink";
import type { VehicleState } from "../protocol";
import { alertHarness } from "../../test/support/alerts/harness";
import { replay, tlogEntries } from "../../test/support/alerts/replay";
import type { ReplayEntry } from "../../test/support/alerts/replay";
import { copter } from "../../test/support/alerts/vehicles";

const v = copter();
const inMode = (mode: string, extra: Partial<VehicleState> = {}): VehicleState => ({ ...v, mode, ...extra });

describe("the vehicle taking itself over", () => {
  it("raises a warning naming both modes and the cause seen just before; kept until disarmed", async () => {
    const h = await alertHarness();
    h.hold(v, 500);
    h.hold({ ...v, batteryState: "low", sensorsUnhealthy: ["BATTERY"] }, 300);
    h.engine.statusText("1:1", { time: h.clock.now, severity: "warning", text: "Battery Failsafe" });
    h.hold(inMode("LAND", { batteryState: "low" }), 10_000);
    const [alert] = h.alerts("vehicle_mode_change");
    expect(alert).toMatchObject({ severity: "warning", clearedAt: null,
      text: "Battery failsafe: vehicle switched GUIDED → LAND (\"Battery Failsafe\"; battery LOW; BATTERY unhealthy)" });
    h.hold(inMode("LAND", { armed: false, armedSince: null }), 200);
    expect(h.alerts("vehicle_mode_change")[0]?.clearReason).toBe("ended");
    expect(h.events.map((e) => e.kind)).toEqual(["mode_change", "disarmed"]);
  });

  it("a cause that comes just after the switch is added to the alert", async () => {
    const h = await alertHarness();
    h.hold(v, 500);
    h.hold(inMode("RTL"), 300);
    expect(h.alerts("vehicle_mode_change")[0]?.text).toMatch(/^Vehicle switched GUIDED → RTL on its own: not commanded from here/);
    h.hold(inMode("RTL", { fence: { breached: true, breachCount: 1, breachType: "max_alt" } }), 500);
    expect(h.alerts("vehicle_mode_change")[0]?.text).toBe("Fence breach: vehicle switched GUIDED → RTL (FENCE_STATUS breach (max alt))");
    expect(h.alerts("vehicle_mode_change")).toHaveLength(1);
  });

  it("a mode commanded from here is the pilot's: no alert, and it gives the vehicle back after a failsafe", async () => {
    const h = await alertHarness();
    h.hold(v, 500);
    h.engine.commanded("1:1", { kind: "rtl" }, h.clock.now);
    h.hold(inMode("RTL"), 1000);
    expect(h.alerts()).toEqual([]);
    h.hold(inMode("LAND"), 1000);
    expect(h.alerts("vehicle_mode_change")).toHaveLength(1);
    h.engine.commanded("1:1", { kind: "setMode", mode: "LOITER" }, h.clock.now);
    h.hold(inMode("LOITER"), 500);
    expect(h.alerts("vehicle_mode_change")[0]?.clearReason).toBe("ended");
    expect(h.events.filter((e) => e.kind === "mode_change")).toMatchObject([
      { from: "GUIDED", to: "RTL", commanded: true }, { from: "RTL", to: "LAND", commanded: false },
      { from: "LAND", to: "LOITER", commanded: true },
    ]);
  });

  it("other mode changes nobody here commanded are timeline events, not alerts", async () => {
    const h = await alertHarness();
    h.hold(v, 500);
    h.hold(inMode("LOITER"), 500);
    h.hold(inMode("ALT_HOLD"), 500);
    expect(h.alerts()).toEqual([]);
    expect(h.events).toMatchObject([
      { kind: "mode_change", from: "GUIDED", to: "LOITER", commanded: false },
      { kind: "mode_change", from: "LOITER", to: "ALT_HOLD", commanded: false },
    ]);
    await h.engine.flush();
    expect(await h.sql.run("SELECT COUNT(*) AS n FROM vehicle_events")).toEqual([{ n: 2 }]);
    // A screen that connects now gets them, newest first, from the store.
    expect(h.engine.recentEvents()).toMatchObject([
      { kind: "mode_change", from: "LOITER", to: "ALT_HOLD" }, { kind: "mode_change", from: "GUIDED", to: "LOITER" },
    ]);
  });
});

// ---- A GCS failsafe, built from the real bytes of battery_failsafe_land.tlog (no recording of one exists) ----

const STATUSTEXT = 253;
const HEARTBEAT = 0;
const TEXT_BYTES = 50;

/** A copy of a real v2 STATUSTEXT frame saying `text` (ArduCopter's words, events.cpp), resealed. */
function statusText(real: Frame, severity: number, text: string): Frame {
  const payload = Buffer.alloc(1 + TEXT_BYTES + 3);
  payload[0] = severity;
  payload.write(text, 1, TEXT_BYTES, "ascii");
  let length = payload.length;
  while (length > 1 && payload[length - 1] === 0) length -= 1;
  const bytes = Buffer.alloc(10 + length + 2);
  real.bytes.copy(bytes, 0, 0, 10);
  bytes[1] = length;
  payload.copy(bytes, 10, 0, length);
  return frameOf(resealFrame(bytes));
}

/** A copy of a real HEARTBEAT with another ArduCopter mode number and armed bit, resealed. */
function heartbeat(real: Frame, customMode: number, armed: boolean): Frame {
  const bytes = Buffer.from(real.bytes);
  bytes.writeUInt32LE(customMode, 10);
  bytes[16] = armed ? bytes[16]! | 0x80 : bytes[16]! & ~0x80;
  return frameOf(resealFrame(bytes));
}

const RTL = 6;

/**
 * The hover of battery_failsafe_land.tlog up to 70 s (before its battery failsafe), with what ArduCopter does on a
 * GCS failsafe (FS_GCS_ENABLE=1): "GCS Failsafe" (WARNING), GUIDED -> RTL; the ground station is heard again:
 * "GCS Failsafe Cleared" while the vehicle goes on returning home; then it lands and disarms.
 */
function gcsFailsafeFlight(start: number): ReplayEntry[] {
  const real = tlogEntries("battery_failsafe_land.tlog").filter((e) => e.timeMs < start + 70_000);
  const text = real.find((e) => e.frame.msgid === STATUSTEXT)!.frame;
  const out: ReplayEntry[] = [];
  const texts = [{ at: 60_000, text: "GCS Failsafe" }, { at: 64_000, text: "GCS Failsafe Cleared" }];
  for (const e of real) {
    const t = e.timeMs - start;
    const due = texts[0];
    if (due && t >= due.at) {
      out.push({ timeMs: e.timeMs, frame: statusText(text, 4, due.text) });
      texts.shift();
    }
    const isHeartbeat = e.frame.msgid === HEARTBEAT && e.frame.sysid === 1;
    out.push(isHeartbeat && t >= 60_000 ? { timeMs: e.timeMs, frame: heartbeat(e.frame, RTL, t < 68_000) } : e);
  }
  return out;
}

describe("a GCS failsafe (ArduCopter's texts and mode change on real bytes)", () => {
  it("says which failsafe, and keeps the alert through 'Cleared' until the vehicle is disarmed", async () => {
    const start = tlogEntries("battery_failsafe_land.tlog")[0]!.timeMs;
    const h = await replay(gcsFailsafeFlight(start));
    const at = (t: number | null) => (t === null ? null : Math.round((t - start) / 100) / 10);
    // Heartbeats come at 1 Hz: the switch is seen at the first one after 60 s, the disarm at the first after 68 s.
    const raised = h.alerts().map((a) => [a.rule, a.severity, a.text, a.clearedAt === null]);
    expect(raised).toEqual([
      ["statustext", "warning", "GCS Failsafe", true],
      ["vehicle_mode_change", "warning", "GCS failsafe: vehicle switched GUIDED → RTL (\"GCS Failsafe\")", false],
      ["statustext", "warning", "GCS Failsafe Cleared", true],
    ]);
    const takeover = h.alerts("vehicle_mode_change")[0]!;
    expect(at(takeover.raisedAt)).toBeGreaterThanOrEqual(60);
    expect(at(takeover.raisedAt)).toBeLessThanOrEqual(61.1);
    // Not ended by "GCS Failsafe Cleared" at 64 s: only by the disarm.
    expect(at(takeover.clearedAt)).toBeGreaterThanOrEqual(68);
    expect(at(takeover.clearedAt)).toBeLessThanOrEqual(69.1);
    // The recording's own GCS put it in GUIDED (not this server: a timeline event), then the vehicle took over.
    expect(h.events.filter((e) => e.kind !== "armed")).toMatchObject([
      { kind: "mode_change", from: "STABILIZE", to: "GUIDED" }, { kind: "mode_change", from: "GUIDED", to: "RTL", commanded: false },
      { kind: "disarmed" },
    ]);
  });
});
