import type { Incident, IncidentInput, IncidentLocation, IncidentType } from "../../../../server/protocol";

/** The form as typed: times are the text of datetime-local inputs, read as UTC. */
export interface IncidentDraft {
  reference: string;
  title: string;
  type: IncidentType;
  start: string;
  end: string;
  officer: string;
  notes: string;
  location: IncidentLocation | null;
}

export type DraftField = keyof IncidentDraft;
export type DraftProblems = Partial<Record<DraftField, string>>;

/** Same wording and limits as the server's (server/incidents/schema.ts): the user learns the rule before sending. */
export const REFERENCE_RULE = "3 to 40 characters: letters, digits, spaces and / - . only, with at least one digit";
export const MAX_AREA_CORNERS = 200;
export const MAX_RADIUS_M = 50_000;

/** "cad  1234/05dec" -> "CAD 1234/05DEC", as the server stores it. */
export const normaliseReference = (raw: string): string => raw.trim().replace(/\s+/g, " ").toUpperCase();

/** ms -> the value of a datetime-local input showing UTC ("2026-11-21T10:05"). */
export function utcInputOf(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "";
  return new Date(ms).toISOString().slice(0, 16);
}

/** A datetime-local value read as UTC; null when empty or not a time. */
export function parseUtcInput(value: string): number | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value)) return null;
  const ms = Date.parse(`${value}Z`);
  return Number.isFinite(ms) ? ms : null;
}

export function emptyDraft(now: number): IncidentDraft {
  return { reference: "", title: "", type: "search", start: utcInputOf(now), end: "", officer: "", notes: "", location: null };
}

export function draftOf(i: Incident): IncidentDraft {
  return {
    reference: i.reference, title: i.title, type: i.type, start: utcInputOf(i.start), end: utcInputOf(i.end),
    officer: i.officer, notes: i.notes, location: i.location,
  };
}

function textProblem(value: string, min: number, max: number, what: string): string | undefined {
  const t = value.trim();
  if (t.length < min) return `${what} is required`;
  if (t.length > max) return `${what} is at most ${max.toLocaleString("en-GB")} characters`;
  return undefined;
}

function referenceProblem(raw: string): string | undefined {
  const r = normaliseReference(raw);
  const ok = r.length >= 3 && r.length <= 40 && /^[A-Z0-9 /.-]+$/.test(r) && /\d/.test(r);
  return ok ? undefined : `a reference is ${REFERENCE_RULE}`;
}

function locationProblem(l: IncidentLocation | null): string | undefined {
  if (l === null) return undefined;
  if (l.kind === "point") {
    return Number.isFinite(l.radiusM) && l.radiusM >= 1 && l.radiusM <= MAX_RADIUS_M
      ? undefined : `the radius is 1 to ${MAX_RADIUS_M.toLocaleString("en-GB")} m`;
  }
  if (l.points.length < 3) return "an area needs 3 corners or more";
  if (l.points.length > MAX_AREA_CORNERS) return `an area has at most ${MAX_AREA_CORNERS} corners`;
  return undefined;
}

/** The draft as the server's input, or what is wrong with it, field by field. */
export function checkDraft(d: IncidentDraft): { ok: true; input: IncidentInput } | { ok: false; problems: DraftProblems } {
  const start = parseUtcInput(d.start);
  const end = d.end.trim() === "" ? null : parseUtcInput(d.end);
  const problems: DraftProblems = {
    reference: referenceProblem(d.reference),
    title: textProblem(d.title, 1, 200, "a title"),
    officer: textProblem(d.officer, 1, 120, "the officer in charge"),
    notes: textProblem(d.notes, 0, 10_000, "notes"),
    start: start === null ? "the start is a date and time (UTC)" : undefined,
    end: d.end.trim() !== "" && end === null ? "the end is a date and time (UTC), or empty while it goes on"
      : start !== null && end !== null && end < start ? "the end must not be before the start" : undefined,
    location: locationProblem(d.location),
  };
  const found = Object.fromEntries(Object.entries(problems).filter(([, v]) => v !== undefined)) as DraftProblems;
  if (Object.keys(found).length > 0 || start === null) return { ok: false, problems: found };
  return {
    ok: true,
    input: {
      reference: normaliseReference(d.reference), title: d.title.trim(), type: d.type, location: d.location, start, end,
      officer: d.officer.trim(), notes: d.notes.trim(),
    },
  };
}

/** Only the fields that differ from the incident as loaded: an edit names what it changes, nothing else. */
export function changedFields(before: Incident, after: IncidentInput): Partial<IncidentInput> {
  const out: Partial<Record<keyof IncidentInput, unknown>> = {};
  for (const key of Object.keys(after) as (keyof IncidentInput)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = after[key];
  }
  return out as Partial<IncidentInput>;
}
