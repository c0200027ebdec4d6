import type { FlightStatus, FlightVehicle, VehicleClass } from "../../../../server/protocol";
import type { Tone } from "../../components";
import { DASH, formatAge, formatVehicleClass } from "../../format";

const two = (n: number) => String(n).padStart(2, "0");

function known(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && Number.isFinite(value);
}

/** Local calendar date, "2024-05-03". */
export function formatLocalDate(time: number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** Local date and time to the second, "2024-05-03 14:02:11". */
export function formatDateTime(time: number | null | undefined): string {
  if (!known(time)) return DASH;
  const d = new Date(time);
  return `${formatLocalDate(time)} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** "2024-05-03 14:02:11 – 14:04:40"; the end date is written only when it is another day; "– recording" while open. */
export function formatFlightSpan(start: number, end: number | null): string {
  const from = formatDateTime(start);
  if (!known(end)) return `${from} – recording`;
  const to = formatDateTime(end);
  return formatLocalDate(start) === formatLocalDate(end) ? `${from} – ${to.slice(11)}` : `${from} – ${to}`;
}

/** Armed time from seconds: "2 min 26 s"; a dash until the flight is disarmed. */
export function formatDurationS(seconds: number | null | undefined): string {
  return known(seconds) ? formatAge(seconds * 1000) : DASH;
}

const BYTE_UNITS = ["KiB", "MiB", "GiB", "TiB"] as const;

/** Binary units, so a size reads the same as the file manager of an evidence workstation: "812 B", "1.4 MiB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (!known(bytes) || bytes < 0) return DASH;
  if (bytes < 1024) return `${Math.round(bytes)}\u202fB`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)}\u202f${BYTE_UNITS[unit]}`;
}

export const SHORT_HASH_LENGTH = 12;

/** The first hex digits of a SHA-256, enough to tell records apart on screen; the full hash is shown on hover. */
export function shortHash(sha256: string | null | undefined): string {
  if (!sha256) return DASH;
  return sha256.length > SHORT_HASH_LENGTH ? `${sha256.slice(0, SHORT_HASH_LENGTH)}…` : sha256;
}

const STATUS: Record<FlightStatus, { label: string; tone: Tone }> = {
  recording: { label: "Recording", tone: "info" },
  closed: { label: "Closed", tone: "ok" },
  imported: { label: "Imported", tone: "neutral" },
};

export function flightStatus(status: FlightStatus): { label: string; tone: Tone } {
  return STATUS[status] ?? { label: status, tone: "neutral" };
}

const CLASSES: readonly VehicleClass[] = ["copter", "plane", "rover", "boat", "sub", "other"];

/** "Hawk 2 (1:1)" for a named vehicle, else "Copter 1:1". */
export function formatFlightVehicle(v: FlightVehicle): string {
  if (v.name) return `${v.name} (${v.key})`;
  const label = (CLASSES as readonly string[]).includes(v.type) ? formatVehicleClass(v.type as VehicleClass) : v.type || "Vehicle";
  return `${label} ${v.key}`;
}

/** The pager's "1–50 of 123"; "No flights" when there are none. */
export function formatPageRange(offset: number, shown: number, total: number): string {
  if (total <= 0 || shown <= 0) return total > 0 ? `0 of ${total}` : "No flights";
  return `${offset + 1}–${offset + shown} of ${total}`;
}

/** Upload progress as a whole percentage, null when the browser does not know the total. */
export function uploadPercent(loaded: number, total: number | null): number | null {
  if (total === null || !(total > 0)) return null;
  return Math.min(100, Math.max(0, Math.floor((loaded / total) * 100)));
}
