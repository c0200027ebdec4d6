import { Option } from "commander";
import { z } from "zod";

/** Largest .tlog accepted for import: the import streams (constant memory), so the bound is the disk's. */
export const DEFAULT_IMPORT_MAX_BYTES = 4 * 1024 ** 3;
const MAX = 2 ** 50;

const UNITS: Record<string, number> = {
  "": 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tib: 1024 ** 4,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
};

/** Largest footage file accepted for upload: a long 4K recording is tens of GB; the upload is resumable. */
export const DEFAULT_FOOTAGE_MAX_BYTES = 64 * 1024 ** 3;

export function importOptions(): Option[] {
  return [
    new Option("--import-max-bytes <size>", "largest .tlog a reviewer may import: bytes, or with a unit (512MiB, 4GiB, "
      + "10GB), default 4GiB [DMC_IMPORT_MAX_BYTES]"),
    new Option("--footage-max-bytes <size>", "largest footage file a reviewer may upload, with a unit as above, default "
      + "64GiB [DMC_FOOTAGE_MAX_BYTES]"),
    new Option("--retention <days>", "retention of footage, days: non-evidential (linked to no incident) and evidential "
      + "(linked to one), default 31,2557 (31 days, 7 years) [DMC_RETENTION]"),
    new Option("--recovery-days <days>", "how long a queued deletion can still be cancelled, default 7 [DMC_RECOVERY_DAYS]"),
    new Option("--evidence-sweep-hours <hours>", "hours between two re-hashes of every stored footage original and sidecar, "
      + "default 24; 0: only when an admin asks [DMC_EVIDENCE_SWEEP_HOURS]"),
  ];
}

export const DEFAULT_RETENTION = "31,2557";
export const DEFAULT_RECOVERY_DAYS = "7";
export const DEFAULT_EVIDENCE_SWEEP_HOURS = "24";

/** "31,2557" -> the two retention periods, days. */
export const retentionSchema = z.string().transform((text, ctx) => {
  const m = /^\s*(\d{1,5})\s*,\s*(\d{1,5})\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < Number(m[1])) {
    ctx.addIssue({ code: "custom", message: "expected NONEVIDENTIAL,EVIDENTIAL in days, e.g. 31,2557 (evidential at least as long)" });
    return z.NEVER;
  }
  return { nonEvidentialDays: Number(m[1]), evidentialDays: Number(m[2]) };
});

/** "4GiB", "512 MiB", "10GB", "1048576" -> bytes (binary units for K/M/G/T and KiB.., decimal for kB/MB/GB/TB). */
export const importMaxBytesSchema = z.string().transform((text, ctx): number => {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    ctx.addIssue({ code: "custom", message: "expected a size in bytes, or with a unit: 512MiB, 4GiB, 10GB" });
    return z.NEVER;
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (bytes < 1024 || bytes > MAX) {
    ctx.addIssue({ code: "custom", message: "must be between 1KiB and 1PiB" });
    return z.NEVER;
  }
  return bytes;
});
