import type { AlertRule, BatteryChargeState, VehicleKey, VehicleState } from "../protocol";
import type { AlertConfig } from "../config";
import { Episode, minOf } from "./episode";
import type { AlertSink, Reading } from "./episode";
import type { AlertTuning } from "./tuning";

interface BatteryWorst {
  /** Lowest % and volts seen in the episode, and which of them crossed the threshold. */
  percent: number | null;
  volts: number | null;
  percentBelow: boolean;
  voltsBelow: boolean;
  /** The worst charge_state the vehicle reported at or past this level, or null. */
  vehicle: BatteryChargeState | null;
}

interface Level {
  label: string;
  percent: number;
  volts: number | null;
  /** The charge_states that mean this level or worse. */
  states: readonly BatteryChargeState[];
}

/**
 * charge_state from OK to FAILED. UNHEALTHY is not a level: ArduPilot reports it while its monitor has no good
 * reading (0 V at boot in copter_flight_1.tlog), which says nothing of the charge.
 */
const CHARGE_RANK: Readonly<Record<BatteryChargeState, number>> = {
  charging: 0, ok: 0, unhealthy: 0, low: 1, critical: 2, emergency: 3, failed: 4,
};

function worseCharge(a: BatteryChargeState | null, b: BatteryChargeState | null): BatteryChargeState | null {
  if (a === null) return b;
  if (b === null) return a;
  return CHARGE_RANK[b] > CHARGE_RANK[a] ? b : a;
}

function battery(rule: AlertRule, level: Level, tuning: AlertTuning, key: VehicleKey) {
  return new Episode<BatteryWorst>(key, {
    rule,
    severity: rule === "battery_critical" ? "critical" : "warning",
    raiseAfterMs: 0, // the volts hold is applied in the reading: a % below the threshold raises at once
    clearAfterMs: tuning.clearAfterMs,
    worse: (a, b) => ({
      percent: minOf(a.percent, b.percent),
      volts: minOf(a.volts, b.volts),
      percentBelow: a.percentBelow || b.percentBelow,
      voltsBelow: a.voltsBelow || b.voltsBelow,
      vehicle: worseCharge(a.vehicle, b.vehicle),
    }),
    text: (w) => {
      const parts: string[] = [];
      if (w.percentBelow && w.percent !== null) parts.push(`${Math.round(w.percent)} % (below ${level.percent} %)`);
      if (w.voltsBelow && w.volts !== null && level.volts !== null) parts.push(`${w.volts.toFixed(1)} V (below ${level.volts} V)`);
      if (w.vehicle !== null) {
        const measured = [w.volts === null ? "" : `${w.volts.toFixed(1)} V`, w.percent === null ? "" : `${Math.round(w.percent)} %`];
        const values = parts.length === 0 ? measured.filter(Boolean).join(", ") : "";
        parts.push(`vehicle reports ${w.vehicle.toUpperCase()}${values === "" ? "" : ` (${values})`}`);
      }
      return `Battery ${level.label}: ${parts.join(", ")}`;
    },
  });
}

/**
 * Battery low and critical, from BATTERY_STATUS charge_state (ArduPilot's own verdict from its BATT_* settings, so
 * a unit's configured vehicle is judged as configured) and from this server's % and volts thresholds, which add
 * to it. Critical supersedes low: when critical is raised an active low alert is closed as
 * superseded, and no new low alert starts until the battery has recovered above the low clear level (a pack at
 * 22 % after a critical dip is not a new "low" episode).
 */
export class BatteryRules {
  private readonly low: Episode<BatteryWorst>;
  private readonly critical: Episode<BatteryWorst>;
  private readonly lowLevel: Level;
  private readonly criticalLevel: Level;
  private lowSuperseded = false;
  /** Since when the pack has been under each volts threshold (null: not under it). */
  private readonly voltsUnder = new Map<Level, number>();

  constructor(key: VehicleKey, config: AlertConfig, private readonly tuning: AlertTuning) {
    this.lowLevel = { label: "low", percent: config.batteryLowPercent, volts: config.batteryLowVolts,
      states: ["low", "critical", "emergency", "failed"] };
    this.criticalLevel = { label: "critical", percent: config.batteryCriticalPercent, volts: config.batteryCriticalVolts,
      states: ["critical", "emergency", "failed"] };
    this.low = battery("battery_low", this.lowLevel, tuning, key);
    this.critical = battery("battery_critical", this.criticalLevel, tuning, key);
  }

  step(v: VehicleState, time: number, sink: AlertSink): void {
    const critical = this.read(this.criticalLevel, v, time);
    this.critical.step(critical, time, sink);
    const low = this.read(this.lowLevel, v, time);
    if (low?.clear) this.lowSuperseded = false;
    if (this.critical.active) {
      if (this.low.active) this.low.end(time, sink, "superseded");
      this.lowSuperseded = true;
    }
    const gated: Reading<BatteryWorst> | null = low?.raise && this.lowSuperseded ? { raise: false, clear: false, value: low.value } : low;
    this.low.step(gated, time, sink);
  }

  pause(): void {
    this.low.pause();
    this.critical.pause();
    this.voltsUnder.clear();
  }

  private read(level: Level, v: VehicleState, time: number): Reading<BatteryWorst> | null {
    const { remaining: percent, voltage: volts } = v.battery;
    const charge = v.batteryState ?? null;
    const vehicle = charge !== null && level.states.includes(charge) ? charge : null;
    const useVolts = level.volts !== null && volts !== null;
    if (percent === null && !useVolts && charge === null) return null;
    const percentBelow = percent !== null && percent < level.percent;
    let voltsBelow = false;
    if (useVolts && volts < (level.volts ?? 0)) {
      const since = this.voltsUnder.get(level) ?? time;
      this.voltsUnder.set(level, since);
      voltsBelow = time - since >= this.tuning.batteryVoltsAfterMs;
    } else {
      this.voltsUnder.delete(level);
    }
    const value: BatteryWorst = { percent, volts, percentBelow, voltsBelow, vehicle };
    if (percentBelow || voltsBelow || vehicle !== null) return { raise: true, clear: false, value };
    const percentClear = percent === null || percent >= level.percent + this.tuning.batteryClearPercent;
    const voltsClear = !useVolts || volts >= (level.volts ?? 0) + this.tuning.batteryClearVolts;
    return { raise: false, clear: percentClear && voltsClear, value };
  }
}
