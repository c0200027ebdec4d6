/**
 * The battery failsafe as AP_BattMonitor runs it (AP_BattMonitor.cpp check_failsafes, AP_BattMonitor_Backend.cpp
 * update_failsafes) and ArduCopter acts on it (events.cpp handle_battery_failsafe):
 * - checked only while armed; voltage below BATT_LOW_VOLT / BATT_CRT_VOLT for more than BATT_LOW_TIMER seconds, or
 *   remaining capacity below BATT_LOW_MAH / BATT_CRT_MAH at once (0 turns a check off);
 * - the state only ever rises (None -> Low -> Critical) and stays until reboot: BATTERY_STATUS.charge_state is
 *   that state (OK, LOW, CRITICAL; ArduPilot never sends EMERGENCY or FAILED), the SYS_STATUS battery health bit
 *   is cleared, HEARTBEAT system_status is CRITICAL, even after landing (battery_failsafe_land);
 * - each new level says "Battery 1 is low 10.90V used 269 mAh" then "Battery Failsafe" (both WARNING) and runs
 *   BATT_FS_LOW_ACT / BATT_FS_CRT_ACT when that action ranks at least as high as the one already taken.
 */
import { doFailsafeAction, FS_ACTION, FS_OPTION, isLanding, shouldDisarmOnFailsafe } from "./failsafe-action";
import type { SimVehicle } from "./vehicle";
import { SEVERITY } from "./severity";

export const BATT_FS = { NONE: 0, LOW: 1, CRITICAL: 2 } as const;
export type BattFailsafe = (typeof BATT_FS)[keyof typeof BATT_FS];

/** MAV_BATTERY_CHARGE_STATE per failsafe level (AP_BattMonitor::get_mavlink_charge_state). */
const CHARGE_STATE: Record<BattFailsafe, number> = { 0: 1, 1: 2, 2: 3 };

/** ArduCopter's _failsafe_priorities: earlier is more important (Terminate, Land, RTL, SmartRTL_Land, SmartRTL, None). */
const PRIORITY_ORDER: readonly number[] = [
  FS_ACTION.TERMINATE, FS_ACTION.LAND, FS_ACTION.RTL, FS_ACTION.SMART_RTL_LAND, FS_ACTION.SMART_RTL, FS_ACTION.NONE,
];

function priorityOf(action: number): number {
  const i = PRIORITY_ORDER.indexOf(action);
  return i < 0 ? PRIORITY_ORDER.length : i;
}

export class BatteryFailsafe {
  level: BattFailsafe = BATT_FS.NONE;
  private lowSince: number | null = null;
  private criticalSince: number | null = null;
  private highestPriority = Infinity;

  get chargeState(): number {
    return CHARGE_STATE[this.level];
  }

  get triggered(): boolean {
    return this.level !== BATT_FS.NONE;
  }

  reset(): void {
    this.level = BATT_FS.NONE;
    this.lowSince = null;
    this.criticalSince = null;
    this.highestPriority = Infinity;
  }

  /** check_failsafes: once per simulation step. */
  check(v: SimVehicle, now: number): void {
    if (!v.armed) return;
    const found = this.evaluate(v, now);
    if (found <= this.level) return;
    this.level = found;
    const p = v.params;
    const critical = found === BATT_FS.CRITICAL;
    const action = p.get(critical ? "BATT_FS_CRT_ACT" : "BATT_FS_LOW_ACT", 0);
    v.statusText(SEVERITY.WARNING, `Battery 1 is ${critical ? "critical" : "low"} `
      + `${v.battery.voltage.toFixed(2)}V used ${Math.round(v.battery.consumedMah)} mAh`);
    const priority = priorityOf(action);
    if (priority > this.highestPriority) return;
    this.highestPriority = priority;
    handleBatteryFailsafe(v, action);
  }

  /** Why arming is refused now: AP_BattMonitor's first failing threshold, then Copter's latched failsafe. */
  armBlockers(v: SimVehicle): string[] {
    const t = thresholdsCrossed(v);
    const first = t.lowVoltage ? "low voltage" : t.lowCapacity ? "low capacity"
      : t.criticalVoltage ? "critical voltage" : t.criticalCapacity ? "critical capacity" : null;
    const out = first ? [`PreArm: Battery 1 ${first} failsafe`] : [];
    if (this.triggered) out.push("PreArm: Battery failsafe");
    return out;
  }

  /** update_failsafes: the level the thresholds give now, with the voltage timers. */
  private evaluate(v: SimVehicle, now: number): BattFailsafe {
    const t = thresholdsCrossed(v);
    const timeoutMs = v.params.get("BATT_LOW_TIMER", 10) * 1000;
    this.criticalSince = t.criticalVoltage ? this.criticalSince ?? now : null;
    this.lowSince = t.lowVoltage ? this.lowSince ?? now : null;
    const held = (since: number | null): boolean => since !== null && timeoutMs > 0 && now - since > timeoutMs;
    if (held(this.criticalSince) || t.criticalCapacity) return BATT_FS.CRITICAL;
    if (held(this.lowSince) || t.lowCapacity) return BATT_FS.LOW;
    return BATT_FS.NONE;
  }
}

function thresholdsCrossed(v: SimVehicle): {
  lowVoltage: boolean; criticalVoltage: boolean; lowCapacity: boolean; criticalCapacity: boolean;
} {
  const p = v.params;
  const volts = v.battery.voltage;
  const left = p.get("BATT_CAPACITY", 5000) - v.battery.consumedMah;
  const below = (limit: number, value: number): boolean => limit > 0 && value > 0 && value < limit;
  const lowMah = p.get("BATT_LOW_MAH", 0);
  const crtMah = p.get("BATT_CRT_MAH", 0);
  return {
    lowVoltage: below(p.get("BATT_LOW_VOLT", 10.5), volts),
    criticalVoltage: below(p.get("BATT_CRT_VOLT", 0), volts),
    lowCapacity: lowMah > 0 && left < lowMah,
    criticalCapacity: crtMah > 0 && left < crtMah,
  };
}

/** Copter::handle_battery_failsafe. */
function handleBatteryFailsafe(v: SimVehicle, action: number): void {
  let desired = action;
  if (shouldDisarmOnFailsafe(v)) {
    v.actions.doDisarm();
    desired = FS_ACTION.NONE;
    v.statusText(SEVERITY.WARNING, "Battery Failsafe - Disarming");
  } else if (isLanding(v) && (v.params.get("FS_OPTIONS", 16) & FS_OPTION.CONTINUE_IF_LANDING) !== 0
    && desired !== FS_ACTION.NONE) {
    desired = FS_ACTION.LAND;
    v.statusText(SEVERITY.WARNING, "Battery Failsafe - Continuing Landing");
  } else {
    v.statusText(SEVERITY.WARNING, "Battery Failsafe");
  }
  doFailsafeAction(v, desired);
}
