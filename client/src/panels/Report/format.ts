/** The report's wording of times, places and lengths: UTC always (a printed record is read in other time zones). */

export const DASH = "—";

/** "2026-11-21 10:14:03 UTC". */
export function formatUtc(time: number | null | undefined): string {
  if (time === null || time === undefined) return DASH;
  return `${new Date(time).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** "10:14:03 UTC". */
export function formatUtcTime(time: number): string {
  return `${new Date(time).toISOString().slice(11, 19)} UTC`;
}

/** "51.507400, -0.127800" (about 0.1 m): enough to find the spot again, short enough to read. */
export function formatLatLon(place: { lat: number; lon: number } | null | undefined): string {
  if (!place) return DASH;
  return `${place.lat.toFixed(6)}, ${place.lon.toFixed(6)}`;
}

/** "2 min 18.0 s", "1 h 02 min 05 s". */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return DASH;
  const s = Math.max(0, seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min ${String(Math.round(rest)).padStart(2, "0")} s`;
  if (m > 0) return `${m} min ${rest.toFixed(0)} s`;
  return `${rest.toFixed(1)} s`;
}

/** "30.0 m", "1.25 km". */
export function formatMetres(m: number | null | undefined): string {
  if (m === null || m === undefined) return DASH;
  return m >= 1000 ? `${(m / 1000).toFixed(2)} km` : `${m.toFixed(1)} m`;
}

/** "12.3 MB" */
export function formatSize(bytes: number | null): string {
  if (bytes === null) return DASH;
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]} (${bytes.toLocaleString("en-GB")} bytes)`;
}

const INTEGRITY: Record<string, string> = {
  verified: "Verified: the file was read in full and matches its seal",
  unchecked: "Not checked since the file last changed on disk: a check is queued",
  recording: "Still recording: not sealed yet",
  altered: "ALTERED: the file no longer matches its seal",
  missing: "MISSING: the file is not in the data directory",
};

export function integrityWords(state: string, checkedAt: number | null): string {
  const words = INTEGRITY[state] ?? state;
  return checkedAt === null ? words : `${words} (checked ${formatUtc(checkedAt)})`;
}
