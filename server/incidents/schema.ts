/**
 * The incidents' tables (migration 14) and what a request may say about an incident. The history and the links are
 * part of the record: history rows are only added; a link is only ever ended (who, when, why), never deleted. The
 * triggers hold whoever writes (a route, a CLI, a mistake).
 */
import { z } from "zod";
import { INCIDENT_TYPES } from "../protocol";
import type { Migration } from "../storage";

export const incidentMigrations: Migration[] = [{
  version: 14,
  name: "incidents",
  up(db) {
    db.exec(`
      CREATE TABLE incidents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        reference TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        location TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER,
        officer TEXT NOT NULL,
        notes TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL,
        version INTEGER NOT NULL,
        CHECK ("end" IS NULL OR "end" >= start)
      );
      CREATE INDEX incidents_status ON incidents (status, updated_at);
      CREATE TABLE incident_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        version INTEGER NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        action TEXT NOT NULL,
        changes TEXT NOT NULL,
        reason TEXT,
        UNIQUE (incident_id, version)
      );
      CREATE TRIGGER incident_history_no_update BEFORE UPDATE ON incident_history
        BEGIN SELECT RAISE(ABORT, 'incident history cannot be changed'); END;
      CREATE TRIGGER incident_history_no_delete BEFORE DELETE ON incident_history
        BEGIN SELECT RAISE(ABORT, 'incident history cannot be deleted'); END;
      CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
        BEGIN SELECT RAISE(ABORT, 'an incident cannot be deleted: close it'); END;
      CREATE TABLE incident_links (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        kind TEXT NOT NULL,
        item_id INTEGER NOT NULL,
        linked_at INTEGER NOT NULL,
        linked_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        unlinked_at INTEGER,
        unlinked_by TEXT,
        unlink_reason TEXT
      );
      CREATE INDEX incident_links_incident ON incident_links (incident_id);
      CREATE INDEX incident_links_item ON incident_links (kind, item_id);
      CREATE UNIQUE INDEX incident_links_live ON incident_links (incident_id, kind, item_id) WHERE unlinked_at IS NULL;
      CREATE TRIGGER incident_links_no_delete BEFORE DELETE ON incident_links
        BEGIN SELECT RAISE(ABORT, 'a link cannot be deleted: unlink it'); END;
      CREATE TRIGGER incident_links_end_only BEFORE UPDATE ON incident_links
        WHEN OLD.unlinked_at IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.incident_id IS NOT OLD.incident_id
          OR NEW.kind IS NOT OLD.kind OR NEW.item_id IS NOT OLD.item_id OR NEW.linked_at IS NOT OLD.linked_at
          OR NEW.linked_by IS NOT OLD.linked_by OR NEW.reason IS NOT OLD.reason OR NEW.unlinked_at IS NULL
        BEGIN SELECT RAISE(ABORT, 'a link can only be ended, once'); END;
    `);
  },
}];

export const REFERENCE_RULE = "3 to 40 characters: letters, digits, spaces and / - . only, with at least one digit";

/** A CAD or crime number as stored: trimmed, upper case, single spaces ("cad  1234/05dec" -> "CAD 1234/05DEC"). */
export function normaliseReference(raw: string): string {
  return raw.trim().replace(/\s+/g, " ").toUpperCase();
}

const reference = z.string().transform(normaliseReference)
  .refine((r) => r.length >= 3 && r.length <= 40 && /^[A-Z0-9 /.-]+$/.test(r) && /\d/.test(r), { message: `a reference is ${REFERENCE_RULE}` });
const time = z.number().int().nonnegative().max(8.64e15);
const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);
const locationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("point"), lat, lon, radiusM: z.number().min(1).max(50_000) }).strict(),
  z.object({ kind: z.literal("area"), points: z.array(z.object({ lat, lon }).strict()).min(3, "an area needs 3 corners or more").max(200) }).strict(),
]);
const text = (min: number, max: number, what: string) =>
  z.string().trim().min(min, `${what} is required`).max(max, `${what} is at most ${max} characters`);

const fields = {
  reference,
  title: text(1, 200, "a title"),
  type: z.enum(INCIDENT_TYPES),
  location: locationSchema.nullable(),
  start: time,
  end: time.nullable(),
  officer: text(1, 120, "the officer in charge"),
  notes: z.string().trim().max(10_000, "notes are at most 10,000 characters"),
};

const endAfterStart = (i: { start?: number; end?: number | null }) => i.end === undefined || i.end === null || i.start === undefined || i.end >= i.start;

export const incidentInputSchema = z.object(fields).strict()
  .refine(endAfterStart, { message: "the end must not be before the start", path: ["end"] });

export const incidentEditSchema = z.object({ ...fields, version: z.number().int().positive() }).partial().required({ version: true }).strict()
  .refine(endAfterStart, { message: "the end must not be before the start", path: ["end"] })
  .refine((e) => Object.keys(e).length > 1, { message: "nothing to change" });

export const reasonSchema = text(1, 500, "a reason");
export const statusChangeSchema = z.object({ version: z.number().int().positive(), reason: reasonSchema }).strict();
export const linkRequestSchema = z.object({ kind: z.enum(["flight", "footage"]), id: z.number().int().positive(), reason: reasonSchema }).strict();
export const unlinkRequestSchema = z.object({ reason: reasonSchema }).strict();
export const incidentListQuery = z.object({
  status: z.enum(["open", "closed"]).optional(),
  q: z.string().trim().max(100).optional(),
  offset: z.coerce.number().int().nonnegative().max(1_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
}).strict();

/** A stored location, read back: our own JSON, still checked (a hand-edited row must not break the map). */
export const storedLocationSchema = locationSchema;
