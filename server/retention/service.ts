/**
 * How long footage and flights are kept, and how they go. An item's category comes from its links: evidential while
 * linked to any incident, non-evidential otherwise; the longest applicable period wins (an item once evidential keeps
 * the longer period while linked). Linked to an open incident it is on legal hold and cannot be deleted. A deletion
 * is a request with a reason, carried out only after the recovery window (cancellable until then), checked for a hold
 * again at that moment, and recorded in the custody log; the row and its hash stay as a tombstone. Items past their
 * period are queued by the server itself, so an admin sees them coming and can stop them.
 *
 * The deletion queue (deletion_requests), the footage rows and the flights' tombstones are on the shared data-access
 * layer (SQLite or PostgreSQL). Servers sharing a database queue an item once (a unique index on the pending request
 * of an item) and decide a request once (a decision is written only while it is pending).
 */
import type { DeletionRequest, RetentionCategory, RetentionPolicy, RetentionUsage, RetentionUsageRow } from "../protocol";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { FootageSummary, IncidentStatus } from "../protocol";
import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { isUniqueViolation } from "../storage";
import type { AppSql } from "../storage";
import type { FlightRetentionDeps, RetainedItem, RetainedKind } from "./items";
import { flightItem, footageItem, nameOf } from "./items";
import type { RetentionTables } from "./tables";

const DAY = 86_400_000;

export type { DeletionRequest, RetentionCategory, RetentionPolicy, RetentionUsage };

export interface ItemRetention {
  category: RetentionCategory;
  /** Why it cannot be deleted now ("legal hold: linked to open incident CAD 1/21NOV26"), or null. */
  hold: string | null;
  keepUntil: number;
}

/** A live link of an item to an incident: it makes the item evidential, and holds it while the incident is open. */
export interface HoldingLink {
  kind: RetainedKind;
  itemId: number;
  reference: string;
  status: IncidentStatus;
}

export type RetentionRefusal = { refused: true; status: number; code: string; message: string };
export const isRetentionRefusal = (r: unknown): r is RetentionRefusal => typeof r === "object" && r !== null && "refused" in r;
const refuse = (status: number, code: string, message: string): RetentionRefusal => ({ refused: true, status, code, message });

type Who = { name: string; address: string };
const SYSTEM: Who = { name: "system", address: "" };

export interface RetentionDeps {
  sql: AppSql;
  policy: RetentionPolicy;
  footage: {
    get(id: number): Promise<FootageSummary | null>;
    all(): Promise<FootageSummary[]>;
    markDeleted(id: number, request: number, at: number): Promise<void>;
  };
  /** The sidecar's hash, if any: deleted with its video. */
  sidecarSha(footageId: number): Promise<string | null>;
  evidence: { remove(sha256: string): Promise<void> };
  /** Posters, strips and tracks: derived, removed with the original. */
  removeDerived(sha256: string): Promise<void>;
  /** The footage's derivatives (clips, browser copies): copies of the evidence, deleted with it. */
  derivativeShas?(footageId: number): Promise<string[]>;
  /** Flights under retention too (absent: footage only). */
  flights?: FlightRetentionDeps;
  /** Live links (not ended) of every item, or of one, each with its incident's reference and status. */
  liveLinks(of?: { kind: RetainedKind; id: number }): Promise<HoldingLink[]>;
  audit: { record(input: AuditInput): void };
  log: Logger;
  now: () => number;
}

type Row = Selectable<RetentionTables["deletion_requests"]>;

/** While pending, decided_by and decided_at hold a sweep's claim (see claim()), which is not a decision. */
const requestOf = (r: Row): DeletionRequest => ({
  id: r.id, kind: r.kind, itemId: r.item_id, reason: r.reason, requestedBy: r.requested_by, requestedAt: r.requested_at, dueAt: r.due_at,
  state: r.state, decidedBy: r.state === "pending" ? null : r.decided_by, decidedAt: r.state === "pending" ? null : r.decided_at, outcome: r.outcome,
});

/**
 * A sweep carrying out a request claims it first, so that of several servers one carries it out, and a cancellation
 * cannot land between the file's removal and the request's outcome. A claim older than this (its server died
 * mid-way) may be taken again: deleting twice is harmless, and the outcome is written once.
 */
export const CLAIM_MS = 10 * 60_000;

export class Retention {
  private readonly db: Kysely<RetentionTables>;
  /** Names this server's claims on requests it carries out. */
  private readonly claimant = `sweep:${randomUUID()}`;

  constructor(private readonly deps: RetentionDeps) {
    this.db = deps.sql.kysely<RetentionTables>();
  }

  /** The retention of one footage file (kept for callers that hold a FootageSummary). */
  async of(f: FootageSummary): Promise<ItemRetention> {
    return this.ofItem(footageItem(f));
  }

  /** The retention of one item, from its links as they are now. */
  async ofItem(item: RetainedItem): Promise<ItemRetention> {
    return this.retentionOf(item, await this.deps.liveLinks({ kind: item.kind, id: item.id }));
  }

  async usage(): Promise<RetentionUsage> {
    const links = linksByItem(await this.deps.liveLinks());
    const sum = (items: RetainedItem[]): RetentionUsageRow[] => {
      const sums = new Map<RetentionUsageRow["category"], { items: number; bytes: number }>();
      for (const item of items) {
        const r = this.retentionOf(item, links.get(keyOf(item)) ?? []);
        const key = item.deleted ? "deleted" : r.hold ? "legal_hold" : r.category;
        const s = sums.get(key) ?? { items: 0, bytes: 0 };
        s.items += 1;
        s.bytes += item.deleted ? 0 : item.bytes;
        sums.set(key, s);
      }
      return [...sums].map(([category, s]) => ({ category, ...s }));
    };
    return { policy: this.deps.policy, footage: sum(await this.items("footage")), flights: sum(await this.items("flight")) };
  }

  async requests(): Promise<DeletionRequest[]> {
    return (await this.db.selectFrom("deletion_requests").selectAll().orderBy("id", "desc").limit(1000).execute()).map(requestOf);
  }

  /** Queues the deletion of an item with a reason; it happens after the recovery window unless cancelled. */
  async request(id: number, reason: string, who: Who, kind: RetainedKind = "footage", links?: HoldingLink[]): Promise<DeletionRequest | RetentionRefusal> {
    if (kind === "flight" && !this.deps.flights) return refuse(404, "not_found", "flights are not under retention here");
    const item = await this.item(kind, id);
    const name = nameOf(kind, id);
    if (!item) return refuse(404, "not_found", `there is no ${name}`);
    if (item.deleted) return refuse(409, "already_deleted", `${name} was already deleted under retention`);
    if (item.busy) return refuse(409, "busy", `${name} cannot be deleted: ${item.busy}`);
    const hold = this.retentionOf(item, links ?? await this.deps.liveLinks({ kind, id })).hold;
    if (hold) return refuse(409, "legal_hold", `${name} cannot be deleted: ${hold}`);
    const queued = async () => {
      const pending = await this.db.selectFrom("deletion_requests").select("id").where("kind", "=", kind).where("item_id", "=", id)
        .where("state", "=", "pending").executeTakeFirst();
      return pending ? refuse(409, "already_queued", `${name} is already queued for deletion (request ${pending.id})`) : null;
    };
    const already = await queued();
    if (already) return already;
    const now = this.deps.now();
    let made: DeletionRequest;
    try {
      made = requestOf(await this.db.insertInto("deletion_requests").values({
        kind, item_id: id, reason, requested_by: who.name, requested_at: now, due_at: now + this.deps.policy.recoveryDays * DAY, state: "pending",
      }).returningAll().executeTakeFirstOrThrow());
    } catch (err) {
      // Queued meanwhile by another request (or server): the same answer as when it was seen first.
      if (isUniqueViolation(err)) return await queued() ?? refuse(409, "already_queued", `${name} is already queued for deletion`);
      throw err;
    }
    this.audit(who, "retention_deletion_requested", kind, id, { request: made.id, reason, dueAt: new Date(made.dueAt).toISOString(), sha256: item.sha256 });
    return made;
  }

  async cancel(requestId: number, reason: string, who: Who): Promise<DeletionRequest | RetentionRefusal> {
    const req = await this.get(requestId);
    if (!req) return refuse(404, "not_found", `there is no deletion request ${requestId}`);
    const decided = (r: DeletionRequest) => (r.state === "pending"
      ? refuse(409, "being_deleted", `deletion request ${requestId} is being carried out`)
      : refuse(409, "already_decided", `deletion request ${requestId} is ${r.state}`));
    if (req.state !== "pending") return decided(req);
    if (!await this.decide(requestId, "cancelled", who.name, reason, null)) return decided((await this.get(requestId))!);
    this.audit(who, "retention_deletion_cancelled", req.kind, req.itemId, { request: requestId, reason });
    return (await this.get(requestId))!;
  }

  /** Carries out due requests (a hold found now blocks them) and queues items past their period. */
  async sweep(): Promise<{ deleted: number; blocked: number; queued: number }> {
    const now = this.deps.now();
    const out = { deleted: 0, blocked: 0, queued: 0 };
    const due = (await this.db.selectFrom("deletion_requests").selectAll().where("state", "=", "pending").where("due_at", "<=", now)
      .orderBy("id").execute()).map(requestOf);
    for (const req of due) {
      // Taken by another server, or cancelled, since it was read: not ours to carry out.
      if (!await this.claim(req.id)) continue;
      const item = await this.item(req.kind, req.itemId);
      // Checked again now, from the links as they are at this moment: a link made since the request holds it.
      const hold = item ? (await this.ofItem(item)).hold : null;
      if (!item || item.deleted || hold) {
        if (!await this.decide(req.id, "blocked", "system", hold ?? `the ${req.kind} is no longer there to delete`, this.claimant)) continue;
        this.audit(SYSTEM, "retention_deletion_blocked", req.kind, req.itemId, { request: req.id, why: hold ?? "gone" });
        out.blocked++;
        continue;
      }
      const outcome = req.kind === "footage" ? await this.deleteFootage(req, now) : await this.deleteFlight(req, now);
      await this.decide(req.id, "done", "system", outcome, this.claimant);
      this.deps.log.info({ kind: req.kind, item: req.itemId, request: req.id }, "deleted under retention");
      out.deleted++;
    }
    const links = linksByItem(await this.deps.liveLinks());
    for (const item of [...await this.items("footage"), ...await this.items("flight")]) {
      if (item.deleted || item.busy) continue;
      const r = this.retentionOf(item, links.get(keyOf(item)) ?? []);
      if (r.hold || r.keepUntil > now) continue;
      const days = r.category === "evidential" ? this.deps.policy.evidentialDays : this.deps.policy.nonEvidentialDays;
      const made = await this.request(item.id, `retention period of ${days} days (${r.category.replace("_", "-")}) ended ${new Date(r.keepUntil).toISOString()}`, SYSTEM, item.kind, links.get(keyOf(item)) ?? []);
      if (!isRetentionRefusal(made)) out.queued++;
    }
    return out;
  }

  private async deleteFootage(req: DeletionRequest, now: number): Promise<string> {
    const f = (await this.deps.footage.get(req.itemId))!;
    await this.deps.evidence.remove(f.sha256);
    const side = await this.deps.sidecarSha(f.id);
    if (side) await this.deps.evidence.remove(side);
    const derivatives = await this.deps.derivativeShas?.(f.id) ?? [];
    for (const sha of derivatives) await this.deps.evidence.remove(sha);
    await this.deps.removeDerived(f.sha256);
    await this.deps.footage.markDeleted(f.id, req.id, now);
    this.audit(SYSTEM, "footage_deleted", "footage", f.id, { request: req.id, reason: req.reason, requestedBy: req.requestedBy, sha256: f.sha256 });
    return `original ${f.sha256}${side ? `, sidecar ${side}` : ""}${derivatives.length > 0 ? `, ${derivatives.length} derivative(s)` : ""} deleted`;
  }

  private async deleteFlight(req: DeletionRequest, now: number): Promise<string> {
    const flights = this.deps.flights!;
    const f = (await flights.get(req.itemId))!;
    // The tombstone first: from this moment the routes answer 410, not a lost file, and the integrity checks skip it.
    await flights.markDeleted(f.id, { at: now, by: req.requestedBy, reason: req.reason, request: req.id });
    const removed = await flights.remove(f);
    this.audit(SYSTEM, "flight_deleted", "flight", f.id, { request: req.id, reason: req.reason, requestedBy: req.requestedBy, sha256: f.sha256, file: f.tlogPath });
    return removed;
  }

  private retentionOf(item: RetainedItem, links: readonly HoldingLink[]): ItemRetention {
    const { nonEvidentialDays, evidentialDays } = this.deps.policy;
    const category: RetentionCategory = links.length > 0 ? "evidential" : "non_evidential";
    const days = category === "evidential" ? evidentialDays : nonEvidentialDays;
    const open = links.find((l) => l.status === "open");
    return { category, hold: open ? `legal hold: linked to open incident ${open.reference}` : null, keepUntil: item.since + days * DAY };
  }

  private async items(kind: RetainedKind): Promise<RetainedItem[]> {
    if (kind === "footage") return (await this.deps.footage.all()).map(footageItem);
    return (await this.deps.flights?.all())?.map(flightItem) ?? [];
  }

  private async item(kind: RetainedKind, id: number): Promise<RetainedItem | null> {
    if (kind === "footage") {
      const f = await this.deps.footage.get(id);
      return f ? footageItem(f) : null;
    }
    const f = await this.deps.flights?.get(id);
    return f ? flightItem(f) : null;
  }

  private async get(id: number): Promise<DeletionRequest | null> {
    const r = await this.db.selectFrom("deletion_requests").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? requestOf(r) : null;
  }

  /** Claims a pending request for this server's sweep (see CLAIM_MS); false when it is decided or claimed by another. */
  private async claim(id: number): Promise<boolean> {
    const now = this.deps.now();
    const r = await this.db.updateTable("deletion_requests").set({ decided_by: this.claimant, decided_at: now })
      .where("id", "=", id).where("state", "=", "pending")
      .where((eb) => eb.or([eb("decided_by", "is", null), eb("decided_at", "<", now - CLAIM_MS)])).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Decides a pending request: by the sweep holding its claim (`claimant`), or with none held (a cancellation, which
   * cannot take a request a sweep is carrying out). False when it was decided or claimed already.
   */
  private async decide(id: number, state: DeletionRequest["state"], by: string, outcome: string, claimant: string | null): Promise<boolean> {
    const now = this.deps.now();
    const r = await this.db.updateTable("deletion_requests").set({ state, decided_by: by, decided_at: now, outcome })
      .where("id", "=", id).where("state", "=", "pending")
      .where((eb) => (claimant === null
        ? eb.or([eb("decided_by", "is", null), eb("decided_at", "<", now - CLAIM_MS)])
        : eb("decided_by", "=", claimant))).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  private audit(who: Who, action: AuditInput["action"], kind: RetainedKind, id: number, detail: NonNullable<AuditInput["detail"]>): void {
    this.deps.audit.record({ actor: who.name, address: who.address, action, target: `${kind}:${id}`, result: "ok", detail });
  }
}

const keyOf = (item: { kind: RetainedKind; id: number }): string => `${item.kind}:${item.id}`;

function linksByItem(links: readonly HoldingLink[]): Map<string, HoldingLink[]> {
  const out = new Map<string, HoldingLink[]>();
  for (const l of links) {
    const key = keyOf({ kind: l.kind, id: l.itemId });
    out.set(key, [...(out.get(key) ?? []), l]);
  }
  return out;
}
