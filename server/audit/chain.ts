import type { Kysely } from "kysely";
import { entryHash, GENESIS_HASH } from "./entry";
import type { AuditEntry } from "./entry";
import type { AuditTables } from "./tables";

export type AuditDb = Kysely<AuditTables>;

export const COLUMNS = ["id", "time", "actor", "address", "action", "target", "result", "detail", "prev_hash", "hash"] as const;

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

/** Entries read per query while walking: a page's hashing stays well under the event loop's budget (~5 ms). */
const PAGE = 2000;

/** The id of the last entry ever appended (audit_head), 0 before the first. */
export async function lastWritten(db: AuditDb): Promise<number> {
  const row = await db.selectFrom("audit_head").select("last_id").where("one", "=", 1).executeTakeFirst();
  return row?.last_id ?? 0;
}

/**
 * Walks the chain from a known point (the genesis, or a checkpointed entry) to the end and stops at the first
 * broken entry. An edited entry no longer matches its hash; a deleted one leaves a gap in the ids and a prev_hash
 * that does not match; deleted newest entries leave the last id behind the head (audit_head), unless the head was
 * rewound too: only a checkpoint catches that. Reads a page at a time, yielding between pages. With `until`, walks
 * to that entry only (the head a checkpoint is about to sign, while appends go on) and leaves the head unchecked.
 */
export async function walkChain(db: AuditDb, from: { id: number; hash: string } = GENESIS, until?: number): Promise<ChainWalk> {
  let prevHash = from.hash;
  let prevId = from.id;
  let count = 0;
  for (;;) {
    let page = db.selectFrom("audit_log").select(COLUMNS).where("id", ">", prevId);
    if (until !== undefined) page = page.where("id", "<=", until);
    const rows: AuditEntry[] = await page.orderBy("id").limit(PAGE).execute();
    for (const e of rows) {
      const broken = linkProblem(e, prevId, prevHash);
      if (broken) return { entries: count, headId: prevId, headHash: prevHash, broken };
      prevHash = e.hash;
      prevId = e.id;
      count++;
    }
    if (rows.length < PAGE) break;
    // On SQLite a query resolves without waiting on I/O: let the event loop run between pages.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const written = until === undefined ? await lastWritten(db) : prevId;
  if (written > prevId) {
    return { entries: count, headId: prevId, headHash: prevHash, broken: {
      kind: "sequence", id: prevId + 1, message: `audit entries after ${prevId} were deleted: entries up to ${written} were written`,
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
