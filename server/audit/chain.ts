import type { Db } from "../storage";
import { entryHash, GENESIS_HASH } from "./entry";
import type { AuditEntry } from "./entry";

export const COLUMNS = "id, time, actor, address, action, target, result, detail, prev_hash, hash";

export interface ChainBreak {
  kind: "edited" | "deleted" | "sequence";
  /** The first entry that does not verify (for "sequence": the first one missing). */
  id: number;
  message: string;
}

export interface ChainWalk {
  /** Entries that verified, after the starting point. */
  entries: number;
  /** The last entry that verified (the starting point when none did). */
  headId: number;
  headHash: string;
  broken: ChainBreak | null;
}

export const GENESIS = { id: 0, hash: GENESIS_HASH };

/**
 * Walks the chain from a known point (the genesis, or a checkpointed entry) to the end and stops at the first
 * broken entry. An edited entry no longer matches its hash; a deleted one leaves a gap in the ids and a prev_hash
 * that does not match; deleted newest entries leave the last id behind SQLite's AUTOINCREMENT counter (unless the
 * counter was rewound too: only a checkpoint catches that).
 */
export function walkChain(db: Db, from: { id: number; hash: string } = GENESIS): ChainWalk {
  let prevHash = from.hash;
  let prevId = from.id;
  let count = 0;
  const rows = db.prepare<[number], AuditEntry>(`SELECT ${COLUMNS} FROM audit_log WHERE id > ? ORDER BY id`).iterate(from.id);
  for (const e of rows) {
    const broken = linkProblem(e, prevId, prevHash);
    if (broken) {
      rows.return?.();
      return { entries: count, headId: prevId, headHash: prevHash, broken };
    }
    prevHash = e.hash;
    prevId = e.id;
    count++;
  }
  const seq = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").get()?.seq ?? 0;
  if (seq > prevId) {
    return { entries: count, headId: prevId, headHash: prevHash, broken: {
      kind: "sequence", id: prevId + 1, message: `audit entries after ${prevId} were deleted: entries up to ${seq} were written`,
    } };
  }
  return { entries: count, headId: prevId, headHash: prevHash, broken: null };
}

function linkProblem(e: AuditEntry, prevId: number, prevHash: string): ChainBreak | null {
  if (e.id !== prevId + 1 || e.prev_hash !== prevHash) {
    const gap = e.id !== prevId + 1 ? `ids jump from ${prevId} to ${e.id}` : "its prev_hash does not match the entry before it";
    return { kind: "deleted", id: e.id, message: `audit entry ${e.id} (${e.time} ${e.action}): an entry before it was deleted or replaced: ${gap}` };
  }
  if (entryHash(e) !== e.hash) {
    return { kind: "edited", id: e.id, message: `audit entry ${e.id} (${e.time} ${e.action}) was edited: its content no longer matches its hash` };
  }
  return null;
}
