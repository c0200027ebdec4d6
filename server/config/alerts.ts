import { Option } from "commander";
import { z } from "zod";

/**
 * Thresholds of the alert rules. Percentages are of battery remaining as the autopilot reports it; volts are
 * the pack voltage, off (null) unless configured because the right value depends on the pack (cell count).
 */
const number = (min: number, max: number) => z.coerce.number({ invalid_type_error: "must be a number" })
  .finite("must be a number").min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const volts = number(0.1, 100).nullable();

export const alertConfigSchema = z.object({
  batteryLowPercent: number(1, 99),
  batteryCriticalPercent: number(0, 98),
  batteryLowVolts: volts,
  batteryCriticalVolts: volts,
  /** Metres above take-off (home); 120 m is the UK limit for open-category flights. */
  altitudeLimit: number(1, 10_000),
  /** Metres from home: the visual-line-of-sight radius. */
  vlosRadius: number(10, 100_000),
}).superRefine((c, ctx) => {
  // A critical threshold at or above the low one would make "low" unreachable; a typo, not a policy.
  if (c.batteryCriticalPercent >= c.batteryLowPercent) {
    ctx.addIssue({ code: "custom", path: ["batteryCriticalPercent"],
      message: `must be below --battery-low-percent (${c.batteryLowPercent})` });
  }
  if (c.batteryCriticalVolts !== null && c.batteryLowVolts !== null && c.batteryCriticalVolts >= c.batteryLowVolts) {
    ctx.addIssue({ code: "custom", path: ["batteryCriticalVolts"],
      message: `must be below --battery-low-volts (${c.batteryLowVolts})` });
  }
});

export type AlertConfig = z.infer<typeof alertConfigSchema>;

export const DEFAULT_ALERT_CONFIG: AlertConfig = {
  batteryLowPercent: 30,
  batteryCriticalPercent: 20,
  batteryLowVolts: null,
  batteryCriticalVolts: null,
  altitudeLimit: 120,
  vlosRadius: 500,
};

export function alertOptions(): Option[] {
  const d = DEFAULT_ALERT_CONFIG;
  return [
    new Option("--battery-low-percent <pct>", `battery low alert below this remaining %, default ${d.batteryLowPercent} `
      + "[DMC_BATTERY_LOW_PERCENT]"),
    new Option("--battery-critical-percent <pct>", `battery critical alert below this remaining %, default `
      + `${d.batteryCriticalPercent} [DMC_BATTERY_CRITICAL_PERCENT]`),
    new Option("--battery-low-volts <V>", "battery low alert below this pack voltage (held 10 s), off by default "
      + "[DMC_BATTERY_LOW_VOLTS]"),
    new Option("--battery-critical-volts <V>", "battery critical alert below this pack voltage (held 10 s), off by default "
      + "[DMC_BATTERY_CRITICAL_VOLTS]"),
    new Option("--altitude-limit <m>", `altitude alert above this height over take-off, metres, default ${d.altitudeLimit} `
      + "[DMC_ALTITUDE_LIMIT]"),
    new Option("--vlos-radius <m>", `distance alert beyond this distance from home (visual line of sight), metres, default `
      + `${d.vlosRadius} [DMC_VLOS_RADIUS]`),
  ];
}

/**
 * The raw (string) alert settings: `pick(flag, ENV_NAME, fallback)` gives the flag, else the variable, else the
 * fallback. Volts are off unless set; "off" or "none" switches them off explicitly.
 */
export function rawAlertConfig(pick: (flag: string, name: string, fallback: string) => string): Record<keyof AlertConfig, string | null> {
  const d = DEFAULT_ALERT_CONFIG;
  const optional = (flag: string, name: string): string | null => {
    const value = pick(flag, name, "").trim();
    return value === "" || /^(off|none)$/i.test(value) ? null : value;
  };
  return {
    batteryLowPercent: pick("batteryLowPercent", "BATTERY_LOW_PERCENT", String(d.batteryLowPercent)),
    batteryCriticalPercent: pick("batteryCriticalPercent", "BATTERY_CRITICAL_PERCENT", String(d.batteryCriticalPercent)),
    batteryLowVolts: optional("batteryLowVolts", "BATTERY_LOW_VOLTS"),
    batteryCriticalVolts: optional("batteryCriticalVolts", "BATTERY_CRITICAL_VOLTS"),
    altitudeLimit: pick("altitudeLimit", "ALTITUDE_LIMIT", String(d.altitudeLimit)),
    vlosRadius: pick("vlosRadius", "VLOS_RADIUS", String(d.vlosRadius)),
  };
}
