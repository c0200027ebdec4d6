import { DASH, formatNumber } from "../../format";

/** Signed whole degrees with a true minus sign: "12°", "−4°", a dash when unknown. */
export function formatAngle(degrees: number | null | undefined): string {
  const text = formatNumber(degrees, 0);
  if (text === DASH) return DASH;
  return `${text.replace(/^-/, "\u2212")}°`;
}
