/**
 * Incidents in SQLite (migration 14): created, edited on the version the editor saw, closed and reopened with a
 * reason, every change kept in incident_history with who and when; flights linked and unlinked, the links kept.
 * Every write and its history row are one transaction.
 */
import type {
  EvidenceKind, Incident, IncidentEdit, IncidentHistoryEntry, IncidentInput, IncidentLink, IncidentLocation, IncidentMarker,
  IncidentStatus, IncidentType, IncidentsPage,
} from "../protocol";
import type { Db } from "../storage";
import { storedLocationSchema } from "./schema";

/** Why a write was refused: a stable code (the route's status comes from it) and a sentence for the reviewer. */
export interface IncidentRefusal {
  refused: "not_found" | "reference_taken" | "version_conflict" | "incident_closed" | "already_closed" | "already_open"
    | "already_linked" | "already_unlinked" | "bad_request";
  message: string;
}

export const isIncidentRefusal = <T>(r: T | IncidentRefusal): r is IncidentRefusal =>
  typeof r === "object" && r !== null && "refused" in r;

/** Open incidents drawn on the live map: beyond this the map would be unreadable, and the newest are kept. */
export const MAX_MAP_INCIDENTS = 500;

interface Row {
  id: number; reference: string; title: string; type: string; status: string; location: string | null; start: number;
  end: number | null; officer: string; notes: string; created_at: number; created_by: string; updated_at: number;
  updated_by: string; version: number;
}

interface HistoryRow { id: number; incident_id: number; version: number; at: number; by: string; action: string; changes: string; reason: string | null }

interface LinkRow {
  id: number; incident_id: number; kind: string; item_id: number; linked_at: number; linked_by: string; reason: string;
  unlinked_at: number | null; unlinked_by: string | null; unlink_reason: string | null;
}

function locationOf(json: string | null): IncidentLocation | null {
  if (json === null) return null;
  const parsed = storedLocationSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}

const incidentOf = (r: Row): Incident => ({
  id: r.id, reference: r.reference, title: r.title, type: r.type as IncidentType, status: r.status as IncidentStatus,
  location: locationOf(r.location), start: r.start, end: r.end, officer: r.officer, notes: r.notes, createdAt: r.created_at,
  createdBy: r.created_by, updatedAt: r.updated_at, updatedBy: r.updated_by, version: r.version,
});

const historyOf = (r: HistoryRow): IncidentHistoryEntry => ({
  id: r.id, incidentId: r.incident_id, version: r.version, at: r.at, by: r.by, action: r.action as IncidentHistoryEntry["action"],
  changes: JSON.parse(r.changes) as IncidentHistoryEntry["changes"], reason: r.reason,
});

const linkOf = (r: LinkRow): IncidentLink => ({
  id: r.id, incidentId: r.incident_id, kind: r.kind as EvidenceKind, itemId: r.item_id, linkedAt: r.linked_at, linkedBy: r.linked_by,
  reason: r.reason, unlinkedAt: r.unlinked_at, unlinkedBy: r.unlinked_by, unlinkReason: r.unlink_reason,
});

const FIELDS: readonly (keyof IncidentInput)[] = ["reference", "title", "type", "location", "start", "end", "officer", "notes"];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class IncidentStore {
  constructor(private readonly db: Db) {}

  create(input: IncidentInput, by: string, now: number): Incident | IncidentRefusal {
    return this.db.transaction((): Incident | IncidentRefusal => {
      if (this.byReference(input.reference) !== null) return taken(input.reference);
      const r = this.db.prepare(`INSERT INTO incidents (reference, title, type, status, location, start, "end", officer, notes,
        created_at, created_by, updated_at, updated_by, version) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`)
        .run(input.reference, input.title, input.type, input.location === null ? null : JSON.stringify(input.location), input.start,
          input.end, input.officer, input.notes, now, by, now, by);
      const id = Number(r.lastInsertRowid);
      this.addHistory(id, 1, now, by, "created", FIELDS.map((f) => ({ field: f, before: null, after: input[f] })), null);
      return this.get(id)!;
    }).immediate();
  }

  /** Changes the fields given, on `version`; a closed incident is reopened before it is edited. */
  edit(id: number, edit: IncidentEdit, by: string, now: number): Incident | IncidentRefusal {
    return this.db.transaction((): Incident | IncidentRefusal => {
      const current = this.get(id);
      const stale = this.check(current, id, edit.version);
      if (stale) return stale;
      const cur = current!;
      if (cur.status === "closed") return { refused: "incident_closed", message: `incident ${cur.reference} is closed: reopen it to change it` };
      const next: IncidentInput = { ...pick(cur), ...definedOf(edit) };
      if (next.end !== null && next.end < next.start) return { refused: "bad_request", message: "the end must not be before the start" };
      if (next.reference !== cur.reference && this.byReference(next.reference) !== null) return taken(next.reference);
      const changes = FIELDS.filter((f) => !same(cur[f], next[f])).map((f) => ({ field: f, before: cur[f], after: next[f] }));
      if (changes.length === 0) return cur;
      this.db.prepare(`UPDATE incidents SET reference = ?, title = ?, type = ?, location = ?, start = ?, "end" = ?, officer = ?,
        notes = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?`)
        .run(next.reference, next.title, next.type, next.location === null ? null : JSON.stringify(next.location), next.start, next.end,
          next.officer, next.notes, now, by, id);
      this.addHistory(id, cur.version + 1, now, by, "edited", changes, null);
      return this.get(id)!;
    }).immediate();
  }

  setStatus(id: number, status: IncidentStatus, change: { version: number; reason: string }, by: string, now: number): Incident | IncidentRefusal {
    return this.db.transaction((): Incident | IncidentRefusal => {
      const current = this.get(id);
      const stale = this.check(current, id, change.version);
      if (stale) return stale;
      const cur = current!;
      if (cur.status === status) {
        return status === "closed" ? { refused: "already_closed", message: `incident ${cur.reference} is already closed` }
          : { refused: "already_open", message: `incident ${cur.reference} is already open` };
      }
      this.db.prepare("UPDATE incidents SET status = ?, updated_at = ?, updated_by = ?, version = version + 1 WHERE id = ?").run(status, now, by, id);
      this.addHistory(id, cur.version + 1, now, by, status === "closed" ? "closed" : "reopened",
        [{ field: "status", before: cur.status, after: status }], change.reason);
      return this.get(id)!;
    }).immediate();
  }

  get(id: number): Incident | null {
    const r = this.db.prepare<[number], Row>("SELECT * FROM incidents WHERE id = ?").get(id);
    return r ? incidentOf(r) : null;
  }

  list(q: { status?: IncidentStatus; q?: string; offset?: number; limit?: number }): IncidentsPage {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.status) {
      where.push("status = ?");
      args.push(q.status);
    }
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push("(reference LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR officer LIKE ? ESCAPE '\\')");
      args.push(like, like, like);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(" AND ")}` : "";
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    const { n } = this.db.prepare<(string | number)[], { n: number }>(`SELECT count(*) AS n FROM incidents ${clause}`).get(...args) ?? { n: 0 };
    const rows = this.db.prepare<(string | number)[], Row>(`SELECT * FROM incidents ${clause} ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...args, limit, offset);
    return { incidents: rows.map(incidentOf), total: n, offset, limit };
  }

  /** Open incidents with a place, for the live map: newest first, at most MAX_MAP_INCIDENTS. */
  markers(): IncidentMarker[] {
    const rows = this.db.prepare<[number], Row>(
      "SELECT * FROM incidents WHERE status = 'open' AND location IS NOT NULL ORDER BY updated_at DESC, id DESC LIMIT ?",
    ).all(MAX_MAP_INCIDENTS);
    return rows.map(incidentOf).flatMap((i) => (i.location ? [{ id: i.id, reference: i.reference, title: i.title, type: i.type, location: i.location }] : []));
  }

  history(id: number): IncidentHistoryEntry[] {
    return this.db.prepare<[number], HistoryRow>("SELECT * FROM incident_history WHERE incident_id = ? ORDER BY version").all(id).map(historyOf);
  }

  link(id: number, item: { kind: EvidenceKind; id: number }, reason: string, by: string, now: number): IncidentLink | IncidentRefusal {
    return this.db.transaction((): IncidentLink | IncidentRefusal => {
      const incident = this.get(id);
      if (!incident) return { refused: "not_found", message: `there is no incident ${id}` };
      if (incident.status === "closed") return { refused: "incident_closed", message: `incident ${incident.reference} is closed: reopen it to link evidence` };
      const live = this.db.prepare<[number, string, number], { id: number }>(
        "SELECT id FROM incident_links WHERE incident_id = ? AND kind = ? AND item_id = ? AND unlinked_at IS NULL",
      ).get(id, item.kind, item.id);
      if (live) return { refused: "already_linked", message: `${item.kind} ${item.id} is already linked to incident ${incident.reference}` };
      const r = this.db.prepare("INSERT INTO incident_links (incident_id, kind, item_id, linked_at, linked_by, reason) VALUES (?, ?, ?, ?, ?, ?)")
        .run(id, item.kind, item.id, now, by, reason);
      return this.linkById(Number(r.lastInsertRowid))!;
    }).immediate();
  }

  unlink(id: number, linkId: number, reason: string, by: string, now: number): IncidentLink | IncidentRefusal {
    return this.db.transaction((): IncidentLink | IncidentRefusal => {
      const link = this.linkById(linkId);
      if (!link || link.incidentId !== id) return { refused: "not_found", message: `incident ${id} has no link ${linkId}` };
      if (link.unlinkedAt !== null) return { refused: "already_unlinked", message: `link ${linkId} was already ended` };
      this.db.prepare("UPDATE incident_links SET unlinked_at = ?, unlinked_by = ?, unlink_reason = ? WHERE id = ?").run(now, by, reason, linkId);
      return this.linkById(linkId)!;
    }).immediate();
  }

  /** An incident's links, ended ones included, in the order they were made. */
  links(id: number): IncidentLink[] {
    return this.db.prepare<[number], LinkRow>("SELECT * FROM incident_links WHERE incident_id = ? ORDER BY id").all(id).map(linkOf);
  }

  /** The links of one item (a flight) to any incident, ended ones included. */
  linksOfItem(kind: EvidenceKind, itemId: number): IncidentLink[] {
    return this.db.prepare<[string, number], LinkRow>("SELECT * FROM incident_links WHERE kind = ? AND item_id = ? ORDER BY id")
      .all(kind, itemId).map(linkOf);
  }

  private linkById(linkId: number): IncidentLink | null {
    const r = this.db.prepare<[number], LinkRow>("SELECT * FROM incident_links WHERE id = ?").get(linkId);
    return r ? linkOf(r) : null;
  }

  private byReference(reference: string): number | null {
    return this.db.prepare<[string], { id: number }>("SELECT id FROM incidents WHERE reference = ?").get(reference)?.id ?? null;
  }

  private check(current: Incident | null, id: number, version: number): IncidentRefusal | null {
    if (!current) return { refused: "not_found", message: `there is no incident ${id}` };
    if (current.version !== version) {
      return {
        refused: "version_conflict",
        message: `incident ${current.reference} was changed by ${current.updatedBy} at ${new Date(current.updatedAt).toISOString()} (version ${current.version}, you edited version ${version}): reload it`,
      };
    }
    return null;
  }

  private addHistory(id: number, version: number, at: number, by: string, action: IncidentHistoryEntry["action"],
    changes: IncidentHistoryEntry["changes"], reason: string | null): void {
    this.db.prepare("INSERT INTO incident_history (incident_id, version, at, by, action, changes, reason) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(id, version, at, by, action, JSON.stringify(changes), reason);
  }
}

function taken(reference: string): IncidentRefusal {
  return { refused: "reference_taken", message: `an incident with reference ${reference} already exists` };
}

function pick(i: Incident): IncidentInput {
  return { reference: i.reference, title: i.title, type: i.type, location: i.location, start: i.start, end: i.end, officer: i.officer, notes: i.notes };
}

function definedOf(edit: IncidentEdit): Partial<IncidentInput> {
  const out: Partial<IncidentInput> = {};
  for (const f of FIELDS) if (edit[f] !== undefined) (out as Record<string, unknown>)[f] = edit[f];
  return out;
}
