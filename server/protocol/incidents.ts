/**
 * Incidents: what flights (and, later, footage) are evidence of. An incident is a police reference (a CAD or crime
 * number), where and when it happened, and who is in charge; every change is kept as history, every link of a
 * flight to it says who linked it, when and why. Reviewers and admins work on incidents; the control room sees the
 * open ones on its live map (reference, title and place only).
 */
import type { LatLon } from "./mission";

export type IncidentStatus = "open" | "closed";

/** What kind of job it is: the unit's own words for its call types. */
export const INCIDENT_TYPES = [
  "search", "pursuit", "public_order", "firearms", "missing_person", "traffic_collision", "crime_scene",
  "event", "training", "other",
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

/** Where: a point with a radius (metres), or an area drawn on the map (a simple polygon, 3 to 200 corners). */
export type IncidentLocation =
  | { kind: "point"; lat: number; lon: number; radiusM: number }
  | { kind: "area"; points: LatLon[] };

export interface Incident {
  id: number;
  /** The CAD or crime number, normalised (upper case, single spaces); unique. */
  reference: string;
  title: string;
  type: IncidentType;
  status: IncidentStatus;
  location: IncidentLocation | null;
  /** The time window of the incident, UTC ms; `end` null while it goes on. */
  start: number;
  end: number | null;
  /** The officer in charge (name and collar number, as the unit writes it). */
  officer: string;
  notes: string;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  updatedBy: string;
  /** Bumped by every change: an edit names the version it was made on, so two editors cannot overwrite each other. */
  version: number;
}

/** The fields a reviewer sets; the rest is the server's. */
export interface IncidentInput {
  reference: string;
  title: string;
  type: IncidentType;
  location: IncidentLocation | null;
  start: number;
  end: number | null;
  officer: string;
  notes: string;
}

/** PATCH /api/incidents/:id: the fields changed, on the version the editor saw. */
export type IncidentEdit = Partial<IncidentInput> & { version: number };

/** POST /api/incidents/:id/close and /reopen. */
export interface IncidentStatusChange {
  version: number;
  reason: string;
}

/** One change of an incident, as kept: never altered, never deleted. */
export interface IncidentHistoryEntry {
  id: number;
  incidentId: number;
  /** The version this change made. */
  version: number;
  at: number;
  by: string;
  action: "created" | "edited" | "closed" | "reopened";
  /** Each field changed, with its value before and after (created: after only). */
  changes: { field: keyof IncidentInput | "status"; before: unknown; after: unknown }[];
  reason: string | null;
}

export type EvidenceKind = "flight" | "footage";

/** A flight or a footage file tied to an incident. Unlinking ends the link (who, when, why) and keeps it. */
export interface IncidentLink {
  id: number;
  incidentId: number;
  kind: EvidenceKind;
  itemId: number;
  linkedAt: number;
  linkedBy: string;
  reason: string;
  unlinkedAt: number | null;
  unlinkedBy: string | null;
  unlinkReason: string | null;
}

/** POST /api/incidents/:id/links. */
export interface IncidentLinkRequest {
  kind: EvidenceKind;
  id: number;
  reason: string;
}

/** POST /api/incidents/:id/links/:linkId/unlink. */
export interface IncidentUnlinkRequest {
  reason: string;
}

/** GET /api/incidents/:id: the incident with its history and its links (ended ones included). */
export interface IncidentDetail {
  incident: Incident;
  history: IncidentHistoryEntry[];
  links: IncidentLink[];
}

/** GET /api/incidents?status=open&q=... */
export interface IncidentsPage {
  incidents: Incident[];
  total: number;
  offset: number;
  limit: number;
}

/**
 * GET /api/incidents/:id/suggestions: flights whose track passes within the incident's place during its window,
 * not yet linked; closest first.
 */
export interface IncidentSuggestion {
  flightId: number;
  vehicle: string;
  startedAt: number;
  endedAt: number | null;
  /** Nearest the track came to the incident's place (0 inside its area), metres, and when. */
  nearestM: number;
  nearestAt: number;
}

export interface IncidentSuggestions {
  suggestions: IncidentSuggestion[];
  /** Flights in the window whose track could not be read (missing or altered file): named, not hidden. */
  unreadable: number[];
}

/** What the control room's live map shows of an open incident: no notes, no officer. */
export interface IncidentMarker {
  id: number;
  reference: string;
  title: string;
  type: IncidentType;
  location: IncidentLocation;
}

/** GET /api/flights/:id/incidents and /api/footage/:id/incidents: the incidents an item is (or was) linked to. */
export interface ItemIncidents {
  incidents: { link: IncidentLink; incident: Pick<Incident, "id" | "reference" | "title" | "status"> }[];
}
