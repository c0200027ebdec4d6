import { DASH } from "./number";

/** A duration for humans: "0 s", "12 s", "3 min 05 s", "2 h 07 min". Whole seconds, so a live counter ticks cleanly. */
export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s}\u202fs`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}\u202fmin ${String(s % 60).padStart(2, "0")}\u202fs`;
  return `${Math.floor(m / 60)}\u202fh ${String(m % 60).padStart(2, "0")}\u202fmin`;
}

/** Wall-clock time of day (24 h, local), for alert timestamps. */
export function formatClock(time: number | null | undefined): string {
  if (time === null || time === undefined || !Number.isFinite(time)) return DASH;
  const d = new Date(time);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
