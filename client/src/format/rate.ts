import { withUnit } from "./number";

/** Link throughput: "850 B/s", "2.4 kB/s", "1.20 MB/s" (decimal units, as radios are specified). */
export function formatByteRate(bytesPerSecond: number | null | undefined): string {
  if (bytesPerSecond === null || bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) return withUnit(null, "B/s");
  const b = Math.max(0, bytesPerSecond);
  if (b < 1000) return withUnit(b, "B/s", 0);
  if (b < 1_000_000) return withUnit(b / 1000, "kB/s", 1);
  return withUnit(b / 1_000_000, "MB/s", 2);
}
