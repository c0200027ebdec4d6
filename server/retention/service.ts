/**
 * How long footage is kept, and how it goes. Its category comes from its links: evidential while linked to any
 * incident, non-evidential otherwise; the longest applicable period wins (an item once evidential keeps the longer
 * period while linked). Linked to an open incident it is on legal hold and cannot be deleted. A deletion is a request
 * with a reason, carried out only after the recovery window (cancellable until then), checked for a hold again at that
 * moment, and recorded in the custody log; the row and its hash stay as a tombstone. Footage past its period is queued
 * by the server itself, so an admin sees it coming and can stop it.
 */
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { EvidenceKind, FootageSummary, IncidentLink, IncidentStatus } from "../protocol";
import type { Db } from "../storage";

const DAY = 86_400_000;

export type RetentionCategory = "evidential" | "non_evidential";

export interface RetentionPolicy {
  nonEvidentialDays: number;
  evidentialDays: number;
  recoveryDays: number;
}

export interface DeletionRequest {
  id: number;
  kind: "footage";
  itemId: number;
  reason: string;
  requestedBy: string;
  requestedAt: number;
  dueAt: number;
  state: "pending" | "cancelled" | "done" | "blocked";
  decidedBy: string | null;
  decidedAt: number | null;
  outcome: string | null;
}

export interface ItemRetention {
  category: RetentionCategory;
  /** Why it cannot be deleted now ("legal hold: linked to open incident CAD 1/21NOV26"), or null. */
  hold: string | null;
  keepUntil: number;
}

export interface RetentionUsage {
  policy: RetentionPolicy;
  footage: { category: RetentionCategory | "legal_hold" | "deleted"; items: number; bytes: number }[];
}

export type RetentionRefusal = { refused: true; status: number; code: string; message: string };
export const isRetentionRefusal = (r: unknown): r is RetentionRefusal => typeof r === "object" && r !== null && "refused" in r;
const refuse = (status: number, code: string, message: string): RetentionRefusal => ({ refused: true, status, code, message });

export interface RetentionDeps {
  db: Db;
  policy: RetentionPolicy;
  footage: {
    get(id: number): FootageSummary | null;
    all(): FootageSummary[];
    markDeleted(id: number, request: number, at: number): void;
  };
  /** The sidecar's hash, if any: deleted with its video. */
  sidecarSha(footageId: number): string | null;
  evidence: { remove(sha256: string): Promise<void> };
  /** Posters, strips and tracks: derived, removed with the original. */
  removeDerived(sha256: string): Promise<void>;
  links(kind: EvidenceKind, id: number): IncidentLink[];
  incident(id: number): { reference: string; status: IncidentStatus } | null;
  audit: { append(input: AuditInput): unknown };
  log: Logger;
  now: () => number;
}

interface Row {
  id: number; kind: "footage"; item_id: number; reason: string; requested_by: string; requested_at: number; due_at: number;
  state: DeletionRequest["state"]; decided_by: string | null; decided_at: number | null; outcome: string | null;
}

const requestOf = (r: Row): DeletionRequest => ({
  id: r.id, kind: r.kind, itemId: r.item_id, reason: r.reason, requestedBy: r.requested_by, requestedAt: r.requested_at, dueAt: r.due_at,
  state: r.state, decidedBy: r.decided_by, decidedAt: r.decided_at, outcome: r.outcome,
});

export class Retention {
  constructor(private readonly deps: RetentionDeps) {}

  of(f: FootageSummary): ItemRetention {
    const live = this.deps.links("footage", f.id).filter((l) => l.unlinkedAt === null);
    const { nonEvidentialDays, evidentialDays } = this.deps.policy;
    const category: RetentionCategory = live.length > 0 ? "evidential" : "non_evidential";
    const days = category === "evidential" ? evidentialDays : nonEvidentialDays;
    const open = live.map((l) => this.deps.incident(l.incidentId)).find((i) => i?.status === "open");
    return { category, hold: open ? `legal hold: linked to open incident ${open.reference}` : null, keepUntil: f.uploadedAt + days * DAY };
  }

  usage(): RetentionUsage {
    const sums = new Map<RetentionUsage["footage"][number]["category"], { items: number; bytes: number }>();
    for (const f of this.deps.footage.all()) {
      const r = this.of(f);
      const key = f.deleted ? "deleted" : r.hold ? "legal_hold" : r.category;
      const s = sums.get(key) ?? { items: 0, bytes: 0 };
      s.items += 1;
      s.bytes += f.deleted ? 0 : f.sizeBytes;
      sums.set(key, s);
    }
    return { policy: this.deps.policy, footage: [...sums].map(([category, s]) => ({ category, ...s })) };
  }

  requests(): DeletionRequest[] {
    return this.deps.db.prepare<[], Row>("SELECT * FROM deletion_requests ORDER BY id DESC LIMIT 1000").all().map(requestOf);
  }

  /** Queues the deletion of a footage file with a reason; it happens after the recovery window unless cancelled. */
  request(id: number, reason: string, who: { name: string; address: string }): DeletionRequest | RetentionRefusal {
    const f = this.deps.footage.get(id);
    if (!f) return refuse(404, "not_found", `there is no footage ${id}`);
    if (f.deleted) return refuse(409, "already_deleted", `footage ${id} was deleted under request ${f.deleted.request}`);
    const hold = this.of(f).hold;
    if (hold) return refuse(409, "legal_hold", `footage ${id} cannot be deleted: ${hold}`);
    const pending = this.deps.db.prepare<[number], { id: number }>("SELECT id FROM deletion_requests WHERE kind = 'footage' AND item_id = ? AND state = 'pending'").get(id);
    if (pending) return refuse(409, "already_queued", `footage ${id} is already queued for deletion (request ${pending.id})`);
    const now = this.deps.now();
    const r = this.deps.db.prepare(`INSERT INTO deletion_requests (kind, item_id, reason, requested_by, requested_at, due_at, state)
      VALUES ('footage', ?, ?, ?, ?, ?, 'pending')`).run(id, reason, who.name, now, now + this.deps.policy.recoveryDays * DAY);
    const made = this.get(Number(r.lastInsertRowid))!;
    this.audit(who, "retention_deletion_requested", id, { request: made.id, reason, dueAt: new Date(made.dueAt).toISOString(), sha256: f.sha256 });
    return made;
  }

  cancel(requestId: number, reason: string, who: { name: string; address: string }): DeletionRequest | RetentionRefusal {
    const req = this.get(requestId);
    if (!req) return refuse(404, "not_found", `there is no deletion request ${requestId}`);
    if (req.state !== "pending") return refuse(409, "already_decided", `deletion request ${requestId} is ${req.state}`);
    this.decide(requestId, "cancelled", who.name, reason);
    this.audit(who, "retention_deletion_cancelled", req.itemId, { request: requestId, reason });
    return this.get(requestId)!;
  }

  /** Carries out due requests (a hold found now blocks them) and queues footage past its period. */
  async sweep(): Promise<{ deleted: number; blocked: number; queued: number }> {
    const now = this.deps.now();
    const out = { deleted: 0, blocked: 0, queued: 0 };
    const due = this.deps.db.prepare<[number], Row>("SELECT * FROM deletion_requests WHERE state = 'pending' AND due_at <= ? ORDER BY id").all(now).map(requestOf);
    for (const req of due) {
      const f = this.deps.footage.get(req.itemId);
      const hold = f ? this.of(f).hold : null;
      if (!f || f.deleted || hold) {
        this.decide(req.id, "blocked", "system", hold ?? "the footage is no longer there to delete");
        this.audit({ name: "system", address: "" }, "retention_deletion_blocked", req.itemId, { request: req.id, why: hold ?? "gone" });
        out.blocked++;
        continue;
      }
      await this.deps.evidence.remove(f.sha256);
      const side = this.deps.sidecarSha(f.id);
      if (side) await this.deps.evidence.remove(side);
      await this.deps.removeDerived(f.sha256);
      this.deps.footage.markDeleted(f.id, req.id, now);
      this.decide(req.id, "done", "system", `original ${f.sha256}${side ? ` and sidecar ${side}` : ""} deleted`);
      this.audit({ name: "system", address: "" }, "footage_deleted", f.id, { request: req.id, reason: req.reason, requestedBy: req.requestedBy, sha256: f.sha256 });
      this.deps.log.info({ footage: f.id, request: req.id }, "footage deleted under retention");
      out.deleted++;
    }
    for (const f of this.deps.footage.all()) {
      if (f.deleted) continue;
      const r = this.of(f);
      if (r.hold || r.keepUntil > now) continue;
      const days = r.category === "evidential" ? this.deps.policy.evidentialDays : this.deps.policy.nonEvidentialDays;
      const made = this.request(f.id, `retention period of ${days} days (${r.category.replace("_", "-")}) ended ${new Date(r.keepUntil).toISOString()}`, { name: "system", address: "" });
      if (!isRetentionRefusal(made)) out.queued++;
    }
    return out;
  }

  private get(id: number): DeletionRequest | null {
    const r = this.deps.db.prepare<[number], Row>("SELECT * FROM deletion_requests WHERE id = ?").get(id);
    return r ? requestOf(r) : null;
  }

  private decide(id: number, state: DeletionRequest["state"], by: string, outcome: string): void {
    this.deps.db.prepare("UPDATE deletion_requests SET state = ?, decided_by = ?, decided_at = ?, outcome = ? WHERE id = ?").run(state, by, this.deps.now(), outcome, id);
  }

  private audit(who: { name: string; address: string }, action: AuditInput["action"], footageId: number, detail: NonNullable<AuditInput["detail"]>): void {
    this.deps.audit.append({ actor: who.name, address: who.address, action, target: `footage:${footageId}`, result: "ok", detail });
  }
}
