import type { VehicleKey, VehicleState } from "../protocol";
import { Episode } from "./episode";
import type { Reading } from "./episode";
import type { AlertTuning } from "./tuning";

const MAX_REASONS = 4;

/**
 * ArduCopter announces failsafes as "<Kind> Failsafe" ("Radio Failsafe", "GCS Failsafe", "Battery Failsafe",
 * "EKF Failsafe: changed to LAND Mode"...) and their end as "<Kind> Failsafe Cleared". PreArm/Arm texts that
 * mention a failsafe ("PreArm: Throttle below failsafe") are refusals to arm, not failsafes: left to the STATUSTEXT rule.
 */
export function parseFailsafeText(text: string): { kind: string; cleared: boolean } | null {
  if (!/failsafe/i.test(text) || /^\s*(pre)?arm\b/i.test(text)) return null;
  const kind = (/^\s*(.*?)\s*failsafe/i.exec(text)?.[1] ?? "").replace(/[^a-z0-9 ]/gi, "").trim().toLowerCase();
  return { kind: kind === "" ? "any" : kind, cleared: /\b(cleared|clear|recovered|resolved)\b/i.test(text) };
}

function statusCritical(v: VehicleState): boolean {
  return v.systemStatus === "critical" || v.systemStatus === "emergency";
}

/**
 * Failsafe: raised by a failsafe STATUSTEXT or by the vehicle reporting a critical/emergency system status (ArduCopter
 * reports CRITICAL while any failsafe is active: the ground truth, since some failsafes never say "Cleared").
 * A failsafe announced by text stays open until its "Cleared" text, or until the vehicle's status returns from
 * critical to normal.
 */
export class FailsafeRule {
  private readonly open = new Map<string, string>();
  private wasCritical = false;
  readonly episode: Episode<string[]>;

  constructor(key: VehicleKey, tuning: AlertTuning) {
    this.episode = new Episode<string[]>(key, {
      rule: "failsafe",
      severity: "critical",
      raiseAfterMs: 0,
      clearAfterMs: tuning.clearAfterMs,
      worse: (a, b) => [...a, ...b.filter((r) => !a.includes(r))].slice(0, MAX_REASONS),
      text: (reasons) => `Failsafe: ${reasons.join("; ")}`,
    });
  }

  /** True when the text was a failsafe text (taken by this rule, not raised again as a STATUSTEXT alert). */
  text(text: string): boolean {
    const parsed = parseFailsafeText(text);
    if (parsed === null) return false;
    if (!parsed.cleared) this.open.set(parsed.kind, text.trim());
    else if (parsed.kind === "any") this.open.clear();
    else this.open.delete(parsed.kind);
    return true;
  }

  read(v: VehicleState): Reading<string[]> {
    const critical = statusCritical(v);
    if (this.wasCritical && !critical) this.open.clear();
    this.wasCritical = critical;
    const reasons = [...this.open.values()];
    if (critical) reasons.push(`vehicle reports ${v.systemStatus} state`);
    return reasons.length > 0 ? { raise: true, clear: false, value: reasons } : { raise: false, clear: true };
  }
}
