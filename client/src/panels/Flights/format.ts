import type { FlightIntegrity, FlightStatus, FlightSummary, FlightVehicle, VehicleClass } from "../../../../server/protocol";
import type { Tone } from "../../components";
import { DASH, formatAge, formatVehicleClass } from "../../format";

const two = (n: number) => String(n).padStart(2, "0");

function known(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && Number.isFinite(value);
}

/** "39,000 in · 1,000 out": received from the vehicle and sent to it; the total alone for flights counted before. */
export function formatPackets(f: Pick<FlightSummary, "packets" | "packetsReceived" | "packetsSent">): string {
  const n = (v: number) => v.toLocaleString("en-GB");
  if (f.packetsReceived === null || f.packetsSent === null) return n(f.packets);
  return `${n(f.packetsReceived)} in · ${n(f.packetsSent)} out`;
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

/** A flight's armed time; "≥ 1 min 00 s" when a crash cut the record while armed (it went on for longer). */
export function formatArmedTime(f: Pick<FlightSummary, "durationS" | "status" | "disarmedAt">): string {
  const text = formatDurationS(f.durationS);
  return f.status === "interrupted" && f.disarmedAt === null && known(f.durationS) ? `≥\u202f${text}` : text;
}

/** A gap in a record: "12.4 s" to the tenth under a minute, then as an age ("2 min 05 s"). */
export function formatGap(ms: number): string {
  const clamped = Math.max(0, ms);
  return clamped < 60_000 ? `${(clamped / 1000).toFixed(1)}\u202fs` : formatAge(clamped);
}

/** "recording interrupted: 12.4 s gap until flight #43", or null for a flight not cut by a crash. */
export function formatInterruption(f: Pick<FlightSummary, "status" | "continuedBy">): string | null {
  if (f.status !== "interrupted") return null;
  const next = f.continuedBy;
  if (next === null) return "recording interrupted: the server stopped while recording, and no later segment continues it";
  return next.gapMs === null ? `recording interrupted: continued in flight #${next.id}`
    : `recording interrupted: ${formatGap(next.gapMs)} gap until flight #${next.id}`;
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
  interrupted: { label: "Interrupted", tone: "caution" },
  imported: { label: "Imported", tone: "neutral" },
};

export function flightStatus(status: FlightStatus): { label: string; tone: Tone } {
  return STATUS[status] ?? { label: status, tone: "neutral" };
}

/** The red badge of a file that no longer matches its seal; null when there is nothing to warn about. */
export function integrityBadge(integrity: FlightIntegrity): { label: string; tone: Tone; title: string } | null {
  switch (integrity.state) {
    case "altered":
      return { label: "file altered", tone: "danger", title: "The .tlog no longer matches the size or SHA-256 it was sealed with" };
    case "missing":
      return { label: "file missing", tone: "danger", title: "The .tlog is not in the data directory" };
    default:
      return null;
  }
}

/** The integrity line of the detail: what the last check found, and when (`sealed`: the flight has a hash). */
export function integrityText(integrity: FlightIntegrity, sealed: boolean): { text: string; tone: Tone } {
  const when = integrity.checkedAt === null ? "" : ` (checked ${formatDateTime(integrity.checkedAt)})`;
  switch (integrity.state) {
    case "verified":
      return { text: `File matches its seal${when}`, tone: "ok" };
    case "altered":
      return { text: `File altered: it no longer matches its seal${when}`, tone: "danger" };
    case "missing":
      return { text: `File missing from the data directory${when}`, tone: "danger" };
    case "unchecked":
      if (!sealed) return { text: "No seal to compare the file with", tone: "neutral" };
      return { text: "Not compared with its seal since it last changed on disk: a check is queued", tone: "neutral" };
    case "recording":
      return { text: "Sealed when the flight closes", tone: "neutral" };
  }
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

/**
 * Why an imported flight's SHA-256 is not the uploaded file's: the flight's .tlog is the extract of one vehicle's
 * packets (and the pre-roll before arming) from that file, which is kept unchanged with its own hash.
 */
export function importedHashText(f: Pick<FlightSummary, "importedFileSha256">): string | null {
  if (f.importedFileSha256 === undefined) return null;
  return "This flight's file is its vehicle's packets extracted from the imported file, so its SHA-256 is its own. "
    + `The file as uploaded is kept unchanged: SHA-256 ${f.importedFileSha256}.`;
}

/** "pia", or why no pilot is named: nobody held control of the vehicle through this server during the flight. */
export function formatPilot(f: Pick<FlightSummary, "pilot" | "source">): { text: string; title: string | undefined } {
  if (f.pilot !== null) return { text: f.pilot, title: "Held control of the vehicle at arming, or first took it during the flight" };
  return f.source === "live"
    ? { text: "nobody in control", title: "Nobody held control of this vehicle through this server during the flight" }
    : { text: "not recorded", title: "An imported file does not say who flew" };
}
