import { DASH } from "./number";

/** Time armed, on the clock `now` is read from; null while disarmed. Never negative (clock skew). */
export function flightTimeMs(armedSince: number | null | undefined, now: number): number | null {
  if (armedSince === null || armedSince === undefined || !Number.isFinite(armedSince) || !Number.isFinite(now)) return null;
  return Math.max(0, now - armedSince);
}

/** A stopwatch: "00:00", "04:07", "1:02:03". Whole seconds (truncated) so it ticks once a second. */
export function formatFlightTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const total = Math.floor(Math.max(0, ms) / 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}
