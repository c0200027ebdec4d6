import type { Logger } from "pino";
import type { Db } from "../storage";
import { canonicalJson, entryHash, GENESIS_HASH } from "./entry";
import type { AuditEntry, AuditInput } from "./entry";

export type VerifyResult =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; brokenId: number; problem: "edited" | "deleted" | "sequence"; message: string };

const COLUMNS = "id, time, actor, address, action, target, result, detail, prev_hash, hash";

/**
 * Append-only audit log with a hash chain: each entry stores the previous entry's hash and its own hash over
 * its fields plus that. Triggers stop UPDATE and DELETE from the application; the chain makes an edit or a
 * deletion by someone with the file detectable by `verify()`.
 */
export class AuditLog {
  private readonly log: Logger;

  constructor(private readonly db: Db, log: Logger, private readonly clock: () => number = Date.now) {
    this.log = log.child({ module: "audit" });
  }

  /** Appends one entry. Safe across processes: the read of the last hash and the insert are one write transaction. */
  append(input: AuditInput): AuditEntry {
    const write = this.db.transaction((): AuditEntry => {
      const last = this.db.prepare<[], { hash: string }>("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").get();
      const next = this.db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get();
      const base = {
        id: (next?.seq ?? 0) + 1,
        time: new Date(this.clock()).toISOString(),
        actor: input.actor,
        address: input.address,
        action: input.action,
        target: input.target,
        result: input.result,
        detail: canonicalJson(input.detail ?? {}),
        prev_hash: last?.hash ?? GENESIS_HASH,
      };
      const entry: AuditEntry = { ...base, hash: entryHash(base) };
      this.db.prepare<AuditEntry>(`INSERT INTO audit_log (${COLUMNS}) VALUES
        (@id, @time, @actor, @address, @action, @target, @result, @detail, @prev_hash, @hash)`).run(entry);
      return entry;
    });
    const entry = write.immediate();
    this.log.info({ auditId: entry.id, actor: entry.actor, action: entry.action, target: entry.target, result: entry.result }, "audit");
    return entry;
  }

  /** The newest entries first. */
  list(limit = 50): AuditEntry[] {
    return this.db.prepare<[number], AuditEntry>(`SELECT ${COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?`).all(limit);
  }

  /**
   * Walks the whole chain and reports the first broken entry. An edited entry no longer matches its hash; a
   * deleted one leaves a gap in the ids and a prev_hash that does not match; deleted newest entries leave the
   * last id behind SQLite's AUTOINCREMENT counter.
   */
  verify(): VerifyResult {
    let prevHash = GENESIS_HASH;
    let prevId = 0;
    let count = 0;
    for (const e of this.db.prepare<[], AuditEntry>(`SELECT ${COLUMNS} FROM audit_log ORDER BY id`).iterate()) {
      if (e.id !== prevId + 1 || e.prev_hash !== prevHash) {
        const gap = e.id !== prevId + 1 ? `ids jump from ${prevId} to ${e.id}` : "its prev_hash does not match the entry before it";
        return { ok: false, entries: count, brokenId: e.id, problem: "deleted",
          message: `audit entry ${e.id} (${e.time} ${e.action}): an entry before it was deleted or replaced: ${gap}` };
      }
      if (entryHash(e) !== e.hash) {
        return { ok: false, entries: count, brokenId: e.id, problem: "edited",
          message: `audit entry ${e.id} (${e.time} ${e.action}) was edited: its content no longer matches its hash` };
      }
      prevHash = e.hash;
      prevId = e.id;
      count++;
    }
    const seq = this.db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get()?.seq ?? 0;
    if (seq !== prevId) {
      return { ok: false, entries: count, brokenId: prevId + 1, problem: "sequence",
        message: `audit entries after ${prevId} were deleted: entries up to ${seq} were written` };
    }
    return { ok: true, entries: count, headHash: prevHash };
  }
}
