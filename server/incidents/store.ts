/**
 * Incidents (migration 14), on SQLite or PostgreSQL: created, edited on the version the editor saw, closed and
 * reopened with a reason, every change kept in incident_history with who and when; flights linked and unlinked, the
 * links kept. Every write and its history row are one transaction.
 *
 * Several servers may write at once (PostgreSQL): a write locks its incident's row first (SELECT ... FOR UPDATE;
 * SQLite's BEGIN IMMEDIATE already serialises writers), and a uniqueness the schema holds (reference, one live link
 * per item) that a racing server took first comes back as the same refusal as when it was seen before.
 */
import type {
  EvidenceKind, Incident, IncidentEdit, IncidentHistoryEntry, IncidentInput, IncidentLink, IncidentLocation, IncidentMarker,
  IncidentStatus, IncidentType, IncidentsPage,
} from "../protocol";
import type { Kysely, Selectable, Transaction } from "kysely";
import { isUniqueViolation } from "../storage";
import type { AppSql } from "../storage";
import { storedLocationSchema } from "./schema";
import type { IncidentTables } from "./tables";

/** Why a write was refused: a stable code (the route's status comes from it) and a sentence for the reviewer. */
export interface IncidentRefusal {
  refused: "not_found" | "reference_taken" | "version_conflict" | "incident_closed" | "already_closed" | "already_open"
    | "already_linked" | "already_unlinked" | "bad_request";
  message: string;
}

/** A live link of an item to an incident, with what retention needs of the incident. */
export interface LiveLink {
  kind: EvidenceKind;
  itemId: number;
  incidentId: number;
  reference: string;
  status: IncidentStatus;
}

export const isIncidentRefusal = <T>(r: T | IncidentRefusal): r is IncidentRefusal =>
  typeof r === "object" && r !== null && "refused" in r;

/** Open incidents drawn on the live map: beyond this the map would be unreadable, and the newest are kept. */
export const MAX_MAP_INCIDENTS = 500;

type Row = Selectable<IncidentTables["incidents"]>;
type HistoryRow = Selectable<IncidentTables["incident_history"]>;
type LinkRow = Selectable<IncidentTables["incident_links"]>;
type Tx = Transaction<IncidentTables>;

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
const locationText = (l: IncidentLocation | null): string | null => (l === null ? null : JSON.stringify(l));

export class IncidentStore {
  private readonly db: Kysely<IncidentTables>;

  constructor(private readonly sql: AppSql) {
    this.db = sql.kysely<IncidentTables>();
  }

  async create(input: IncidentInput, by: string, now: number): Promise<Incident | IncidentRefusal> {
    return this.write(() => taken(input.reference), async (tx) => {
      if (await this.byReference(tx, input.reference) !== null) return taken(input.reference);
      const { id } = await tx.insertInto("incidents").values({
        reference: input.reference, title: input.title, type: input.type, status: "open", location: locationText(input.location),
        start: input.start, end: input.end, officer: input.officer, notes: input.notes, created_at: now, created_by: by,
        updated_at: now, updated_by: by, version: 1,
      }).returning("id").executeTakeFirstOrThrow();
      await addHistory(tx, id, 1, now, by, "created", FIELDS.map((f) => ({ field: f, before: null, after: input[f] })), null);
      return (await this.lockedGet(tx, id))!;
    });
  }

  /** Changes the fields given, on `version`; a closed incident is reopened before it is edited. */
  async edit(id: number, edit: IncidentEdit, by: string, now: number): Promise<Incident | IncidentRefusal> {
    return this.write(() => taken(edit.reference ?? ""), async (tx) => {
      const current = await this.lockedGet(tx, id);
      const stale = check(current, id, edit.version);
      if (stale) return stale;
      const cur = current!;
      if (cur.status === "closed") return { refused: "incident_closed", message: `incident ${cur.reference} is closed: reopen it to change it` };
      const next: IncidentInput = { ...pick(cur), ...definedOf(edit) };
      if (next.end !== null && next.end < next.start) return { refused: "bad_request", message: "the end must not be before the start" };
      if (next.reference !== cur.reference && await this.byReference(tx, next.reference) !== null) return taken(next.reference);
      const changes = FIELDS.filter((f) => !same(cur[f], next[f])).map((f) => ({ field: f, before: cur[f], after: next[f] }));
      if (changes.length === 0) return cur;
      await tx.updateTable("incidents").set({
        reference: next.reference, title: next.title, type: next.type, location: locationText(next.location), start: next.start,
        end: next.end, officer: next.officer, notes: next.notes, updated_at: now, updated_by: by, version: cur.version + 1,
      }).where("id", "=", id).execute();
      await addHistory(tx, id, cur.version + 1, now, by, "edited", changes, null);
      return (await this.lockedGet(tx, id))!;
    });
  }

  async setStatus(id: number, status: IncidentStatus, change: { version: number; reason: string }, by: string, now: number): Promise<Incident | IncidentRefusal> {
    return this.write(null, async (tx) => {
      const current = await this.lockedGet(tx, id);
      const stale = check(current, id, change.version);
      if (stale) return stale;
      const cur = current!;
      if (cur.status === status) {
        return status === "closed" ? { refused: "already_closed", message: `incident ${cur.reference} is already closed` }
          : { refused: "already_open", message: `incident ${cur.reference} is already open` };
      }
      await tx.updateTable("incidents").set({ status, updated_at: now, updated_by: by, version: cur.version + 1 }).where("id", "=", id).execute();
      await addHistory(tx, id, cur.version + 1, now, by, status === "closed" ? "closed" : "reopened",
        [{ field: "status", before: cur.status, after: status }], change.reason);
      return (await this.lockedGet(tx, id))!;
    });
  }

  async get(id: number): Promise<Incident | null> {
    const r = await this.db.selectFrom("incidents").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? incidentOf(r) : null;
  }

  async list(q: { status?: IncidentStatus; q?: string; offset?: number; limit?: number }): Promise<IncidentsPage> {
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 50;
    const text = q.q;
    const base = this.db.selectFrom("incidents")
      .$if(q.status !== undefined, (b) => b.where("status", "=", q.status!))
      .$if(Boolean(text), (b) => b.where((eb) => eb.or([
        this.sql.contains("reference", text!), this.sql.contains("title", text!), this.sql.contains("officer", text!),
      ])));
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy("updated_at", "desc").orderBy("id", "desc").limit(limit).offset(offset).execute();
    return { incidents: rows.map(incidentOf), total: Number(n), offset, limit };
  }

  /** Open incidents with a place, for the live map: newest first, at most MAX_MAP_INCIDENTS. */
  async markers(): Promise<IncidentMarker[]> {
    const rows = await this.db.selectFrom("incidents").selectAll().where("status", "=", "open").where("location", "is not", null)
      .orderBy("updated_at", "desc").orderBy("id", "desc").limit(MAX_MAP_INCIDENTS).execute();
    return rows.map(incidentOf).flatMap((i) => (i.location ? [{ id: i.id, reference: i.reference, title: i.title, type: i.type, location: i.location }] : []));
  }

  async history(id: number): Promise<IncidentHistoryEntry[]> {
    const rows = await this.db.selectFrom("incident_history").selectAll().where("incident_id", "=", id).orderBy("version").execute();
    return rows.map(historyOf);
  }

  async link(id: number, item: { kind: EvidenceKind; id: number }, reason: string, by: string, now: number): Promise<IncidentLink | IncidentRefusal> {
    const linked = (reference: string): IncidentRefusal => ({ refused: "already_linked", message: `${item.kind} ${item.id} is already linked to incident ${reference}` });
    return this.write(() => linked(String(id)), async (tx) => {
      const incident = await this.lockedGet(tx, id);
      if (!incident) return { refused: "not_found", message: `there is no incident ${id}` };
      if (incident.status === "closed") return { refused: "incident_closed", message: `incident ${incident.reference} is closed: reopen it to link evidence` };
      const live = await tx.selectFrom("incident_links").select("id")
        .where("incident_id", "=", id).where("kind", "=", item.kind).where("item_id", "=", item.id).where("unlinked_at", "is", null)
        .executeTakeFirst();
      if (live) return linked(incident.reference);
      const { id: linkId } = await tx.insertInto("incident_links")
        .values({ incident_id: id, kind: item.kind, item_id: item.id, linked_at: now, linked_by: by, reason })
        .returning("id").executeTakeFirstOrThrow();
      return (await linkById(tx, linkId))!;
    });
  }

  async unlink(id: number, linkId: number, reason: string, by: string, now: number): Promise<IncidentLink | IncidentRefusal> {
    return this.write(null, async (tx) => {
      await this.lockedGet(tx, id);
      const link = await linkById(tx, linkId);
      if (!link || link.incidentId !== id) return { refused: "not_found", message: `incident ${id} has no link ${linkId}` };
      if (link.unlinkedAt !== null) return { refused: "already_unlinked", message: `link ${linkId} was already ended` };
      await tx.updateTable("incident_links").set({ unlinked_at: now, unlinked_by: by, unlink_reason: reason }).where("id", "=", linkId).execute();
      return (await linkById(tx, linkId))!;
    });
  }

  /** An incident's links, ended ones included, in the order they were made. */
  async links(id: number): Promise<IncidentLink[]> {
    const rows = await this.db.selectFrom("incident_links").selectAll().where("incident_id", "=", id).orderBy("id").execute();
    return rows.map(linkOf);
  }

  /** The links of one item (a flight) to any incident, ended ones included. */
  async linksOfItem(kind: EvidenceKind, itemId: number): Promise<IncidentLink[]> {
    const rows = await this.db.selectFrom("incident_links").selectAll().where("kind", "=", kind).where("item_id", "=", itemId).orderBy("id").execute();
    return rows.map(linkOf);
  }

  /**
   * Every live link (not ended) with its incident's reference and status, in one query: what retention needs to
   * know which items are evidence and which are on legal hold. `of` narrows it to one item.
   */
  async liveLinks(of?: { kind: EvidenceKind; id: number }): Promise<LiveLink[]> {
    const rows = await this.db.selectFrom("incident_links as l").innerJoin("incidents as i", "i.id", "l.incident_id")
      .select(["l.kind", "l.item_id", "l.incident_id", "i.reference", "i.status"]).where("l.unlinked_at", "is", null)
      .$if(of !== undefined, (b) => b.where("l.kind", "=", of!.kind).where("l.item_id", "=", of!.id))
      .orderBy("l.id").execute();
    return rows.map((r) => ({ kind: r.kind as EvidenceKind, itemId: r.item_id, incidentId: r.incident_id, reference: r.reference, status: r.status as IncidentStatus }));
  }

  /**
   * Runs a write in a transaction. A uniqueness violation (a racing writer took the reference or the live link
   * first) becomes `onTaken`'s refusal; without one it is an error like any other.
   */
  private async write<T>(onTaken: (() => IncidentRefusal) | null, body: (tx: Tx) => Promise<T | IncidentRefusal>): Promise<T | IncidentRefusal> {
    try {
      return await this.db.transaction().execute(body);
    } catch (err) {
      if (onTaken && isUniqueViolation(err)) return onTaken();
      throw err;
    }
  }

  /** The incident, its row locked until the transaction ends (PostgreSQL; on SQLite the transaction holds the file). */
  private async lockedGet(tx: Tx, id: number): Promise<Incident | null> {
    const r = await tx.selectFrom("incidents").selectAll().where("id", "=", id)
      .$if(this.sql.engine === "postgres", (b) => b.forUpdate()).executeTakeFirst();
    return r ? incidentOf(r) : null;
  }

  private async byReference(tx: Tx, reference: string): Promise<number | null> {
    return (await tx.selectFrom("incidents").select("id").where("reference", "=", reference).executeTakeFirst())?.id ?? null;
  }
}

async function linkById(tx: Tx, linkId: number): Promise<IncidentLink | null> {
  const r = await tx.selectFrom("incident_links").selectAll().where("id", "=", linkId).executeTakeFirst();
  return r ? linkOf(r) : null;
}

async function addHistory(tx: Tx, id: number, version: number, at: number, by: string, action: IncidentHistoryEntry["action"],
  changes: IncidentHistoryEntry["changes"], reason: string | null): Promise<void> {
  await tx.insertInto("incident_history").values({ incident_id: id, version, at, by, action, changes: JSON.stringify(changes), reason }).execute();
}

function check(current: Incident | null, id: number, version: number): IncidentRefusal | null {
  if (!current) return { refused: "not_found", message: `there is no incident ${id}` };
  if (current.version !== version) {
    return {
      refused: "version_conflict",
      message: `incident ${current.reference} was changed by ${current.updatedBy} at ${new Date(current.updatedAt).toISOString()} (version ${current.version}, you edited version ${version}): reload it`,
    };
  }
  return null;
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
