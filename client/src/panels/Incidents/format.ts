import type { IncidentHistoryEntry, IncidentLocation, IncidentType } from "../../../../server/protocol";

export const INCIDENT_TYPE_LABELS: Record<IncidentType, string> = {
  search: "Search",
  pursuit: "Pursuit",
  public_order: "Public order",
  firearms: "Firearms",
  missing_person: "Missing person",
  traffic_collision: "Traffic collision",
  crime_scene: "Crime scene",
  event: "Event",
  training: "Training",
  other: "Other",
};

const FIELD_LABELS: Record<IncidentHistoryEntry["changes"][number]["field"], string> = {
  reference: "Reference", title: "Title", type: "Type", location: "Place", start: "Start", end: "End",
  officer: "Officer in charge", notes: "Notes", status: "Status",
};

export const fieldLabel = (field: IncidentHistoryEntry["changes"][number]["field"]): string => FIELD_LABELS[field] ?? String(field);

/** Evidence times are written in UTC, to the second: "2026-11-21 10:05:00 UTC". */
export function formatUtc(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function formatWindow(start: number, end: number | null): string {
  return `${formatUtc(start)} – ${end === null ? "ongoing" : formatUtc(end)}`;
}

export function formatMetres(m: number): string {
  if (!Number.isFinite(m)) return "—";
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(m < 10_000 ? 2 : 1)} km`;
}

export function describeLocation(l: IncidentLocation | null): string {
  if (l === null) return "No place set";
  if (l.kind === "point") return `Point ${l.lat.toFixed(5)}, ${l.lon.toFixed(5)}, radius ${formatMetres(l.radiusM)}`;
  return `Area of ${l.points.length} corners`;
}

function isLocation(v: unknown): v is IncidentLocation {
  return typeof v === "object" && v !== null && ((v as { kind?: unknown }).kind === "point" || (v as { kind?: unknown }).kind === "area");
}

/** A value kept in the history, in words; the history holds JSON as the server stored it, so each field is read by name. */
export function formatHistoryValue(field: IncidentHistoryEntry["changes"][number]["field"], value: unknown): string {
  if (value === null || value === undefined) return field === "end" ? "ongoing" : "—";
  if ((field === "start" || field === "end") && typeof value === "number") return formatUtc(value);
  if (field === "type" && typeof value === "string" && value in INCIDENT_TYPE_LABELS) return INCIDENT_TYPE_LABELS[value as IncidentType];
  if (field === "location") return isLocation(value) ? describeLocation(value) : "—";
  if (typeof value === "string") return value === "" ? "(empty)" : value;
  return JSON.stringify(value);
}

export const ACTION_LABELS: Record<IncidentHistoryEntry["action"], string> = {
  created: "Created", edited: "Edited", closed: "Closed", reopened: "Reopened",
};

/** The live map's label of an incident. */
export const markerLabel = (m: { reference: string; title: string }): string => `${m.reference} · ${m.title}`;
