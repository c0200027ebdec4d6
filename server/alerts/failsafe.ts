/**
 * ArduCopter announces failsafes as "<Kind> Failsafe" ("Radio Failsafe", "GCS Failsafe", "Battery Failsafe",
 * "GCS Failsafe - Continuing Auto Mode", "EKF Failsafe: changed to Land Mode"; events.cpp announce_failsafe, WARNING)
 * and their end as "<Kind> Failsafe Cleared". PreArm/Arm texts that mention a failsafe ("PreArm: Battery failsafe")
 * are refusals to arm, not failsafes.
 */
export function parseFailsafeText(text: string): { kind: string; cleared: boolean } | null {
  if (!/failsafe/i.test(text) || /^\s*(pre)?arm\b/i.test(text)) return null;
  const kind = (/^\s*(.*?)\s*failsafe/i.exec(text)?.[1] ?? "").replace(/[^a-z0-9 ]/gi, "").trim().toLowerCase();
  return { kind: kind === "" ? "any" : kind, cleared: /\b(cleared|clear|recovered|resolved)\b/i.test(text) };
}
