/** The session clock as the banner and the deep link show it: ISO 8601 UTC with milliseconds. */
export function formatUtc(time: number): string {
  return Number.isFinite(time) ? new Date(Math.round(time)).toISOString() : "—";
}

/** A vehicle's own clock (time since boot, ms) as h:mm:ss.mmm, the way its logs count. */
export function formatBootTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  const total = Math.floor(ms);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const frac = String(total % 1000).padStart(3, "0");
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}.${frac}`;
}

/** Time into the session, for the slider's side: "12:03.4" or "1:02:03.4". */
export function formatOffset(ms: number): string {
  const tenths = Math.max(0, Math.floor(ms / 100));
  const s = Math.floor(tenths / 10);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${String(s % 60).padStart(2, "0")}.${tenths % 10}`;
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}
