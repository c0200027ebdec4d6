/**
 * How long footage and flights are kept, and how they go. An item's category comes from its links: evidential while
 * linked to any incident, non-evidential otherwise; the longest applicable period wins (an item once evidential keeps
 * the longer period while linked). Linked to an open incident it is on legal hold and cannot be deleted. A deletion
 * is a request with a reason, carried out only after the recovery window (cancellable until then), checked for a hold
 * again at that moment, and recorded in the custody log; the row and its hash stay as a tombstone. Items past their
 * period are queued by the server itself, so an admin sees them coming and can stop them.
 *
 * The deletion queue (deletion_requests) is still on the synchronous SQLite connection; the footage rows it reads
 * and tombstones are on the shared data-access layer, so reading them is asynchronous.
 */
import type { DeletionRequest, RetentionCategory, RetentionPolicy, RetentionUsage, RetentionUsageRow } from "../protocol";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { FootageSummary, IncidentStatus } from "../protocol";
import type { Db } from "../storage";
import type { FlightRetentionDeps, RetainedItem, RetainedKind } from "./items";
import { flightItem, footageItem, nameOf } from "./items";

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
  db: Db;
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

interface Row {
  id: number; kind: RetainedKind; item_id: number; reason: string; requested_by: string; requested_at: number; due_at: number;
  state: DeletionRequest["state"]; decided_by: string | null; decided_at: number | null; outcome: string | null;
}

const requestOf = (r: Row): DeletionRequest => ({
  id: r.id, kind: r.kind, itemId: r.item_id, reason: r.reason, requestedBy: r.requested_by, requestedAt: r.requested_at, dueAt: r.due_at,
  state: r.state, decidedBy: r.decided_by, decidedAt: r.decided_at, outcome: r.outcome,
});

export class Retention {
  constructor(private readonly deps: RetentionDeps) {}

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

  requests(): DeletionRequest[] {
    return this.deps.db.prepare<[], Row>("SELECT * FROM deletion_requests ORDER BY id DESC LIMIT 1000").all().map(requestOf);
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
    const pending = this.deps.db.prepare<[RetainedKind, number], { id: number }>(
      "SELECT id FROM deletion_requests WHERE kind = ? AND item_id = ? AND state = 'pending'").get(kind, id);
    if (pending) return refuse(409, "already_queued", `${name} is already queued for deletion (request ${pending.id})`);
    const now = this.deps.now();
    const r = this.deps.db.prepare(`INSERT INTO deletion_requests (kind, item_id, reason, requested_by, requested_at, due_at, state)
      VALUES (?, ?, ?, ?, ?, ?, 'pending')`).run(kind, id, reason, who.name, now, now + this.deps.policy.recoveryDays * DAY);
    const made = this.get(Number(r.lastInsertRowid))!;
    this.audit(who, "retention_deletion_requested", kind, id, { request: made.id, reason, dueAt: new Date(made.dueAt).toISOString(), sha256: item.sha256 });
    return made;
  }

  cancel(requestId: number, reason: string, who: Who): DeletionRequest | RetentionRefusal {
    const req = this.get(requestId);
    if (!req) return refuse(404, "not_found", `there is no deletion request ${requestId}`);
    if (req.state !== "pending") return refuse(409, "already_decided", `deletion request ${requestId} is ${req.state}`);
    this.decide(requestId, "cancelled", who.name, reason);
    this.audit(who, "retention_deletion_cancelled", req.kind, req.itemId, { request: requestId, reason });
    return this.get(requestId)!;
  }

  /** Carries out due requests (a hold found now blocks them) and queues items past their period. */
  async sweep(): Promise<{ deleted: number; blocked: number; queued: number }> {
    const now = this.deps.now();
    const out = { deleted: 0, blocked: 0, queued: 0 };
    const due = this.deps.db.prepare<[number], Row>("SELECT * FROM deletion_requests WHERE state = 'pending' AND due_at <= ? ORDER BY id").all(now).map(requestOf);
    for (const req of due) {
      const item = await this.item(req.kind, req.itemId);
      // Checked again now, from the links as they are at this moment: a link made since the request holds it.
      const hold = item ? (await this.ofItem(item)).hold : null;
      if (!item || item.deleted || hold) {
        this.decide(req.id, "blocked", "system", hold ?? `the ${req.kind} is no longer there to delete`);
        this.audit(SYSTEM, "retention_deletion_blocked", req.kind, req.itemId, { request: req.id, why: hold ?? "gone" });
        out.blocked++;
        continue;
      }
      const outcome = req.kind === "footage" ? await this.deleteFootage(req, now) : await this.deleteFlight(req, now);
      this.decide(req.id, "done", "system", outcome);
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
    const f = flights.get(req.itemId)!;
    // The tombstone first: from this moment the routes answer 410, not a lost file, and the integrity checks skip it.
    flights.markDeleted(f.id, { at: now, by: req.requestedBy, reason: req.reason, request: req.id });
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
    return this.deps.flights?.all().map(flightItem) ?? [];
  }

  private async item(kind: RetainedKind, id: number): Promise<RetainedItem | null> {
    if (kind === "footage") {
      const f = await this.deps.footage.get(id);
      return f ? footageItem(f) : null;
    }
    const f = this.deps.flights?.get(id);
    return f ? flightItem(f) : null;
  }

  private get(id: number): DeletionRequest | null {
    const r = this.deps.db.prepare<[number], Row>("SELECT * FROM deletion_requests WHERE id = ?").get(id);
    return r ? requestOf(r) : null;
  }

  private decide(id: number, state: DeletionRequest["state"], by: string, outcome: string): void {
    this.deps.db.prepare("UPDATE deletion_requests SET state = ?, decided_by = ?, decided_at = ?, outcome = ? WHERE id = ?").run(state, by, this.deps.now(), outcome, id);
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
