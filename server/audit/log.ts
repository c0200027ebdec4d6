import type { Logger } from "pino";
import type { Db } from "../storage";
import { COLUMNS, GENESIS, walkChain } from "./chain";
import { CheckpointStore, EXPORT_FORMAT, signCheckpoint } from "./checkpoint";
import type { Checkpoint, CheckpointExport } from "./checkpoint";
import { canonicalJson, entryHash, GENESIS_HASH } from "./entry";
import type { AuditEntry, AuditInput } from "./entry";
import { keyPaths, readAuditPublicKey } from "./keys";
import type { AuditKey } from "./keys";
import { checkCheckpoints } from "./verify";
import type { VerifyProblem } from "./verify";

export interface VerifyResult {
  ok: boolean;
  /** Entries that verified, from the first: all of them when the chain is intact. */
  entries: number;
  /** The hash of the last entry that verified (the genesis hash when none did). */
  headHash: string;
  /** Signed checkpoints checked (both copies, and the exported one if given). */
  checkpoints: number;
  /** The key the signatures were checked with, or null when there is none yet. */
  keyFingerprint: string | null;
  /** The chain's first break (if any) first, then every checkpoint problem. */
  problems: VerifyProblem[];
}

export interface AuditLogOptions {
  /** Where the file copy of the checkpoints and the public key live. Without it, checkpoints are kept in the database only. */
  dataDir?: string;
  /** The signing key: the server has one; the CLIs do not, and write no checkpoints (they still verify them). */
  key?: AuditKey;
  /** A checkpoint at least every this many entries (default 100). */
  checkpointEvery?: number;
}

export const DEFAULT_CHECKPOINT_EVERY = 100;

/**
 * Append-only audit log with a hash chain: each entry stores the previous entry's hash and its own hash over
 * its fields plus that. Triggers stop UPDATE and DELETE from the application; the chain makes an edit or a
 * deletion by someone with the file detectable by `verify()`. A chain alone can be recomputed after an edit and
 * cut short, so its head is signed (Ed25519) every `checkpointEvery` entries, at start and at close.
 */
export class AuditLog {
  private readonly log: Logger;
  private readonly checkpoints: CheckpointStore;
  private readonly every: number;
  /** The entry the newest checkpoint covers (or the last one tried, when the chain was found broken). */
  private covered: number;

  constructor(private readonly db: Db, log: Logger, private readonly clock: () => number = Date.now, private readonly opts: AuditLogOptions = {}) {
    this.log = log.child({ module: "audit" });
    this.checkpoints = new CheckpointStore(db, opts.dataDir);
    this.every = Math.max(1, Math.trunc(opts.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY));
    this.covered = this.checkpoints.latest()?.entryId ?? 0;
    // Covers what the CLIs appended while the server was stopped, and a previous run that ended without close().
    if (opts.key) this.checkpoint();
  }

  /** Whether this log signs checkpoints (the server's does). */
  get signs(): boolean {
    return this.opts.key !== undefined;
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
    if (this.opts.key && entry.id - this.covered >= this.every) this.checkpoint();
    return entry;
  }

  /** The newest entries first. */
  list(limit = 50): AuditEntry[] {
    return this.db.prepare<[number], AuditEntry>(`SELECT ${COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ?`).all(limit);
  }

  /** Entries about any of `targets` ("incident:3", "footage:7"), oldest first, at most `limit`: a custody log. */
  forTargets(targets: readonly string[], limit = 100_000): AuditEntry[] {
    if (targets.length === 0) return [];
    const marks = targets.map(() => "?").join(", ");
    return this.db.prepare<(string | number)[], AuditEntry>(`SELECT ${COLUMNS} FROM audit_log WHERE target IN (${marks}) ORDER BY id LIMIT ?`)
      .all(...targets, limit);
  }

  /** Entries `from` to `to` (ids, inclusive), oldest first: a stretch of the chain that can be checked on its own. */
  range(from: number, to: number): AuditEntry[] {
    return this.db.prepare<[number, number], AuditEntry>(`SELECT ${COLUMNS} FROM audit_log WHERE id BETWEEN ? AND ? ORDER BY id`).all(from, to);
  }

  /**
   * Signs the current head, unless the newest checkpoint already covers it; returns the newest checkpoint (null
   * without a key or entries). The entries since the last checkpoint are verified first: a chain broken since
   * then is reported, not signed.
   */
  checkpoint(): Checkpoint | null {
    const key = this.opts.key;
    if (!key) return null;
    const latest = this.checkpoints.latest();
    const head = this.db.prepare<[], { id: number; hash: string }>("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").get();
    if (!head || head.id === latest?.entryId) return latest;
    const walk = walkChain(this.db, latest ? { id: latest.entryId, hash: latest.entryHash } : GENESIS);
    if (walk.broken || walk.headId !== head.id) {
      this.covered = head.id;
      this.log.error({ problem: walk.broken?.message, headId: head.id }, "audit chain broken since the last checkpoint: not signing it; run `npm run audit -- verify`");
      return latest;
    }
    const c = signCheckpoint({
      entryId: head.id, entryHash: head.hash, entries: head.id, time: new Date(this.clock()).toISOString(), keyFingerprint: key.fingerprint,
    }, key.privateKey);
    this.checkpoints.add(c);
    this.covered = c.entryId;
    this.log.info({ entryId: c.entryId }, "audit checkpoint signed");
    return c;
  }

  /** A fresh checkpoint of the head with the public key, for an admin to keep elsewhere; null without a key. */
  exportCheckpoint(): CheckpointExport | null {
    const key = this.opts.key;
    const checkpoint = this.checkpoint();
    if (!key || !checkpoint) return null;
    return { format: EXPORT_FORMAT, checkpoint, publicKey: key.publicPem, keyFingerprint: key.fingerprint };
  }

  /** At shutdown: a last checkpoint, so that deleting the newest entries while the server is down is detected. */
  close(): void {
    try {
      this.checkpoint();
    } catch (err) {
      this.log.error({ err }, "could not write the closing audit checkpoint");
    }
  }

  /**
   * Walks the whole chain and checks every signed checkpoint against it (signature, entry still there with the
   * same hash), both copies of them against each other, and an exported checkpoint if given.
   */
  verify(opts: { exported?: CheckpointExport | Checkpoint } = {}): VerifyResult {
    const walk = walkChain(this.db);
    const dataDir = this.opts.dataDir;
    const key = this.opts.key ?? (dataDir === undefined ? null : readAuditPublicKey(dataDir));
    const { checked, problems } = checkCheckpoints(this.db, {
      fromDb: this.checkpoints.fromDb(),
      fromFile: this.checkpoints.fromFile(),
      fileName: this.checkpoints.file,
      key,
      keyFile: dataDir === undefined ? null : keyPaths(dataDir).publicFile,
      exported: opts.exported,
    });
    if (walk.broken) problems.unshift(walk.broken);
    return { ok: problems.length === 0, entries: walk.entries, headHash: walk.headHash, checkpoints: checked, keyFingerprint: key?.fingerprint ?? null, problems };
  }
}
