import type { Logger } from "pino";
import type { AppSql } from "../storage";
import { COLUMNS, GENESIS, walkChain } from "./chain";
import type { AuditDb } from "./chain";
import { CheckpointStore, EXPORT_FORMAT, signCheckpoint } from "./checkpoint";
import type { Checkpoint, CheckpointExport } from "./checkpoint";
import { canonicalJson, entryHash, GENESIS_HASH } from "./entry";
import type { AuditEntry, AuditInput } from "./entry";
import { keyPaths, readAuditPublicKey } from "./keys";
import type { AuditKey } from "./keys";
import type { AuditTables } from "./tables";
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

/** Entries written in one transaction at most: what queued while the previous write was in flight. */
const MAX_BATCH = 200;

interface Pending {
  input: AuditInput;
  /** When it happened: the time of the call, not of the write. */
  time: string;
  resolve(entry: AuditEntry): void;
  reject(err: unknown): void;
}

/**
 * Append-only audit log with a hash chain: each entry stores the previous entry's hash and its own hash over
 * its fields plus that. Triggers stop UPDATE and DELETE from the application; the chain makes an edit or a
 * deletion by someone with the database detectable by `verify()`. A chain alone can be recomputed after an edit
 * and cut short, so its head is signed (Ed25519) every `checkpointEvery` entries, at start and at close.
 *
 * On either engine (AppSql). Appends from this process are written in the order they were made, a batch per
 * transaction; each transaction holds the chain's head row, so servers sharing a PostgreSQL database append to one
 * chain in turn.
 */
export class AuditLog {
  private readonly db: AuditDb;
  private readonly log: Logger;
  private readonly checkpoints: CheckpointStore;
  private readonly every: number;
  private readonly queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  /** One checkpoint at a time from this process. */
  private signing: Promise<unknown> = Promise.resolve();
  /** The entry the newest checkpoint covers (or the last one tried, when the chain was found broken); read on first need. */
  private covered: number | null = null;

  constructor(private readonly sql: AppSql, log: Logger, private readonly clock: () => number = Date.now, private readonly opts: AuditLogOptions = {}) {
    this.db = sql.kysely<AuditTables>();
    this.log = log.child({ module: "audit" });
    this.checkpoints = new CheckpointStore(this.db, opts.dataDir);
    this.every = Math.max(1, Math.trunc(opts.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY));
  }

  /** Whether this log signs checkpoints (the server's does). */
  get signs(): boolean {
    return this.opts.key !== undefined;
  }

  /**
   * Appends one entry; resolves once it is committed. Await it where the entry must exist before going on (an
   * access to evidence is recorded before the evidence is served). Entries are written in call order.
   */
  append(input: AuditInput): Promise<AuditEntry> {
    return new Promise<AuditEntry>((resolve, reject) => {
      this.queue.push({ input, time: new Date(this.clock()).toISOString(), resolve, reject });
      this.drain();
    });
  }

  /**
   * Appends one entry from code that cannot wait for it (a timer, an event handler): in call order with every
   * other append; a failure to write it is logged, as every failed append is. `flush()` waits for it.
   */
  record(input: AuditInput): void {
    this.append(input).catch(() => undefined);
  }

  /** Resolves once every entry appended so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = this.writeQueued().finally(() => {
      this.draining = null;
      if (this.queue.length > 0) this.drain();
    });
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      let entries: AuditEntry[];
      try {
        entries = await this.write(batch);
      } catch (err) {
        this.log.error({ err, entries: batch.map(({ input: e }) => ({ actor: e.actor, action: e.action, target: e.target, result: e.result })) },
          "could not write audit entries");
        for (const p of batch) p.reject(err);
        continue;
      }
      for (const e of entries) this.log.info({ auditId: e.id, actor: e.actor, action: e.action, target: e.target, result: e.result }, "audit");
      // A checkpoint that falls due is signed before the appends resolve: once an entry is written, so is it.
      if (this.opts.key) await this.checkpointIfDue(entries.at(-1)!.id);
      entries.forEach((entry, i) => batch[i]!.resolve(entry));
    }
  }

  /** One transaction: takes the head (locked on PostgreSQL), chains the batch onto the last entry, inserts it. */
  private async write(batch: readonly Pending[]): Promise<AuditEntry[]> {
    return this.db.transaction().execute(async (tx) => {
      const headQuery = tx.selectFrom("audit_head").select("last_id").where("one", "=", 1);
      const head = await (this.sql.engine === "postgres" ? headQuery.forUpdate() : headQuery).executeTakeFirst();
      if (!head) throw new Error("the audit log's head row (audit_head) is missing: the database was altered outside the application");
      const last = await tx.selectFrom("audit_log").select("hash").orderBy("id", "desc").limit(1).executeTakeFirst();
      let prev = last?.hash ?? GENESIS_HASH;
      let id = head.last_id;
      const entries = batch.map(({ input, time }): AuditEntry => {
        const base = {
          id: ++id, time, actor: input.actor, address: input.address, action: input.action, target: input.target,
          result: input.result, detail: canonicalJson(input.detail ?? {}), prev_hash: prev,
        };
        prev = entryHash(base);
        return { ...base, hash: prev };
      });
      await tx.insertInto("audit_log").values(entries).execute();
      return entries;
    });
  }

  private async checkpointIfDue(lastId: number): Promise<void> {
    try {
      this.covered ??= (await this.checkpoints.latest())?.entryId ?? 0;
      if (lastId - this.covered >= this.every) await this.checkpoint();
    } catch (err) {
      this.log.error({ err }, "could not write an audit checkpoint");
    }
  }

  // Reads wait for this process's queued appends: what was recorded before a read is in it.

  /** The newest entries first. */
  async list(limit = 50): Promise<AuditEntry[]> {
    await this.flush();
    return this.db.selectFrom("audit_log").select(COLUMNS).orderBy("id", "desc").limit(limit).execute();
  }

  /** Entries about any of `targets` ("incident:3", "footage:7"), oldest first, at most `limit`: a custody log. */
  async forTargets(targets: readonly string[], limit = 100_000): Promise<AuditEntry[]> {
    if (targets.length === 0) return [];
    await this.flush();
    return this.db.selectFrom("audit_log").select(COLUMNS).where("target", "in", targets).orderBy("id").limit(limit).execute();
  }

  /** Entries `from` to `to` (ids, inclusive), oldest first: a stretch of the chain that can be checked on its own. */
  async range(from: number, to: number): Promise<AuditEntry[]> {
    await this.flush();
    return this.db.selectFrom("audit_log").select(COLUMNS).where("id", ">=", from).where("id", "<=", to).orderBy("id").execute();
  }

  /**
   * Signs the current head, unless the newest checkpoint already covers it; returns the newest checkpoint (null
   * without a key or entries). The entries since the last checkpoint are verified first: a chain broken since
   * then is reported, not signed. One at a time from this process; two servers signing the same head at once
   * leave two checkpoints of it, which is harmless.
   */
  checkpoint(): Promise<Checkpoint | null> {
    const run = this.signing.then(() => this.signHead());
    this.signing = run.catch(() => undefined);
    return run;
  }

  private async signHead(): Promise<Checkpoint | null> {
    const key = this.opts.key;
    if (!key) return null;
    const latest = await this.checkpoints.latest();
    const head = await this.db.selectFrom("audit_log").select(["id", "hash"]).orderBy("id", "desc").limit(1).executeTakeFirst();
    if (!head || head.id === latest?.entryId) {
      this.covered = latest?.entryId ?? 0;
      return latest;
    }
    // Up to the head read above: entries appended meanwhile (here or by another server) are the next checkpoint's.
    const walk = await walkChain(this.db, latest ? { id: latest.entryId, hash: latest.entryHash } : GENESIS, head.id);
    if (walk.broken || walk.headId !== head.id || walk.headHash !== head.hash) {
      this.covered = head.id;
      this.log.error({ problem: walk.broken?.message, headId: head.id }, "audit chain broken since the last checkpoint: not signing it; run `npm run audit -- verify`");
      return latest;
    }
    const c = signCheckpoint({
      entryId: head.id, entryHash: head.hash, entries: head.id, time: new Date(this.clock()).toISOString(), keyFingerprint: key.fingerprint,
    }, key.privateKey);
    await this.checkpoints.add(c);
    this.covered = c.entryId;
    this.log.info({ entryId: c.entryId }, "audit checkpoint signed");
    return c;
  }

  /** A fresh checkpoint of the head with the public key, for an admin to keep elsewhere; null without a key. */
  async exportCheckpoint(): Promise<CheckpointExport | null> {
    const key = this.opts.key;
    const checkpoint = await this.checkpoint();
    if (!key || !checkpoint) return null;
    return { format: EXPORT_FORMAT, checkpoint, publicKey: key.publicPem, keyFingerprint: key.fingerprint };
  }

  /** At shutdown: every queued entry written, then a last checkpoint, so that deleting the newest entries while the server is down is detected. */
  async close(): Promise<void> {
    await this.flush();
    try {
      await this.checkpoint();
    } catch (err) {
      this.log.error({ err }, "could not write the closing audit checkpoint");
    }
  }

  /**
   * Walks the whole chain and checks every signed checkpoint against it (signature, entry still there with the
   * same hash), both copies of them against each other, and an exported checkpoint if given.
   */
  async verify(opts: { exported?: CheckpointExport | Checkpoint } = {}): Promise<VerifyResult> {
    await this.flush();
    const walk = await walkChain(this.db);
    const dataDir = this.opts.dataDir;
    const key = this.opts.key ?? (dataDir === undefined ? null : readAuditPublicKey(dataDir));
    const { checked, problems } = await checkCheckpoints(this.db, {
      fromDb: await this.checkpoints.fromDb(),
      fromFile: await this.checkpoints.fromFile(),
      fileName: this.checkpoints.file,
      key,
      keyFile: dataDir === undefined ? null : keyPaths(dataDir).publicFile,
      exported: opts.exported,
    });
    if (walk.broken) problems.unshift(walk.broken);
    return { ok: problems.length === 0, entries: walk.entries, headHash: walk.headHash, checkpoints: checked, keyFingerprint: key?.fingerprint ?? null, problems };
  }
}
