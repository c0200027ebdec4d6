import { DASH, formatNumber, withUnit } from "./number";

export function formatAltitude(metres: number | null | undefined, digits = 1): string {
  return withUnit(metres, "m", digits);
}

export function formatSpeed(metresPerSecond: number | null | undefined): string {
  return withUnit(metresPerSecond, "m/s", 1);
}

/** Vertical speed with an explicit sign, so climbing and sinking read at a glance. */
export function formatClimb(metresPerSecond: number | null | undefined): string {
  const text = formatNumber(metresPerSecond, 1);
  if (text === DASH) return DASH;
  const signed = text.startsWith("-") ? `\u2212${text.slice(1)}` : text === "0.0" ? text : `+${text}`;
  return `${signed}\u202fm/s`;
}

/** Compass heading as three digits, 0..359 ("090°"). */
export function formatHeading(degrees: number | null | undefined): string {
  if (degrees === null || degrees === undefined || !Number.isFinite(degrees)) return DASH;
  const d = ((Math.round(degrees) % 360) + 360) % 360;
  return `${String(d).padStart(3, "0")}°`;
}

/** Metres below 1 km, kilometres above. */
export function formatDistance(metres: number | null | undefined): string {
  if (metres === null || metres === undefined || !Number.isFinite(metres)) return DASH;
  return Math.abs(metres) < 1000 ? withUnit(metres, "m", 0) : withUnit(metres / 1000, "km", 2);
}

export function formatVoltage(volts: number | null | undefined): string {
  return withUnit(volts, "V", 1);
}

export function formatCurrent(amperes: number | null | undefined): string {
  return withUnit(amperes, "A", 1);
}

/** A 0..1 ratio as a percentage. */
export function formatRatioPercent(ratio: number | null | undefined, digits = 1): string {
  return withUnit(ratio === null || ratio === undefined ? null : ratio * 100, "%", digits);
}

export function formatCoordinates(lat: number | null | undefined, lon: number | null | undefined): string {
  const a = formatNumber(lat, 6);
  const b = formatNumber(lon, 6);
  return a === DASH || b === DASH ? DASH : `${a}, ${b}`;
}
