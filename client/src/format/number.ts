/** Shown for any value that is unknown (null), never a zero: a zero on a police drone display is a claim. */
export const DASH = "—";

/** Fixed decimals, a dash for null/NaN/Infinity, and no "-0". */
export function formatNumber(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const text = value.toFixed(digits);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

/** Number with a unit separated by a thin non-breaking space, or a dash alone. */
export function withUnit(value: number | null | undefined, unit: string, digits = 0): string {
  const text = formatNumber(value, digits);
  return text === DASH ? DASH : `${text}\u202f${unit}`;
}
