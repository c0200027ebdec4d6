import { sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { AuditDb } from "./chain";
import type { AuditTables } from "./tables";

export const CHECKPOINT_FILE = "audit-checkpoints.jsonl";
export const EXPORT_FORMAT = "dmc-audit-checkpoint/1";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, "64 hex digits");

/** A signed statement that the chain had `entries` entries and ended at entry `entryId` with hash `entryHash`. */
export const checkpointSchema = z.object({
  entryId: z.number().int().nonnegative(),
  entryHash: hex64,
  /** Ids run 1, 2, 3... without gaps in an intact log: this is also the entry id, said in words a reader expects. */
  entries: z.number().int().nonnegative(),
  time: z.string().min(1).max(64),
  keyFingerprint: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  /** Ed25519 over `checkpointPayload`, base64. */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, "a base64 Ed25519 signature"),
}).strict();
export type Checkpoint = z.infer<typeof checkpointSchema>;

/** What an admin keeps elsewhere: the checkpoint and the key that signed it, checkable without this server. */
export const checkpointExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  checkpoint: checkpointSchema,
  publicKey: z.string().min(1).max(4096),
  keyFingerprint: z.string(),
}).strict();
export type CheckpointExport = z.infer<typeof checkpointExportSchema>;

/** The signed bytes: a fixed-order JSON array behind a label, so a signature cannot be reused for another purpose. */
export function checkpointPayload(c: Omit<Checkpoint, "signature">): Buffer {
  return Buffer.from(JSON.stringify([EXPORT_FORMAT, c.entryId, c.entryHash, c.entries, c.time, c.keyFingerprint]));
}

export function signCheckpoint(c: Omit<Checkpoint, "signature">, privateKey: KeyObject): Checkpoint {
  return { ...c, signature: sign(null, checkpointPayload(c), privateKey).toString("base64") };
}

export function signatureValid(c: Checkpoint, publicKey: KeyObject): boolean {
  return verify(null, checkpointPayload(c), publicKey, Buffer.from(c.signature, "base64"));
}

type Row = Omit<AuditTables["audit_checkpoints"], "id">;

const fromRow = (r: Row): Checkpoint => ({
  entryId: r.entry_id, entryHash: r.entry_hash, entries: r.entries, time: r.time, keyFingerprint: r.key_fingerprint, signature: r.signature,
});

const ROW = ["entry_id", "entry_hash", "entries", "time", "key_fingerprint", "signature"] as const;

/** A line of the file copy that is not a checkpoint (edited by hand, or cut short by a crash). */
export interface BadLine {
  line: number;
  reason: string;
}

/**
 * Checkpoints are kept twice: in the database (append-only table) and in a plain append-only file beside it, so
 * that rewriting the database does not also silently rewrite a copy that may be kept or shipped elsewhere. Several
 * servers on one database share the file (one data directory on a shared path): the two copies are compared as
 * sets, so the order their lines land in does not matter.
 */
export class CheckpointStore {
  readonly file: string | null;

  constructor(private readonly db: AuditDb, dataDir: string | undefined) {
    this.file = dataDir === undefined ? null : path.join(dataDir, CHECKPOINT_FILE);
  }

  /** Adds to both copies; the database first, so a checkpoint found only in the file means rows were deleted. */
  async add(c: Checkpoint): Promise<void> {
    await this.db.insertInto("audit_checkpoints").values({
      entry_id: c.entryId, entry_hash: c.entryHash, entries: c.entries, time: c.time, key_fingerprint: c.keyFingerprint, signature: c.signature,
    }).execute();
    // One write of one line under O_APPEND: whole, whatever other servers append meanwhile.
    if (this.file !== null) await fs.promises.appendFile(this.file, `${JSON.stringify(c)}\n`, { mode: 0o644 });
  }

  async latest(): Promise<Checkpoint | null> {
    const r = await this.db.selectFrom("audit_checkpoints").select(ROW).orderBy("id", "desc").limit(1).executeTakeFirst();
    return r ? fromRow(r) : null;
  }

  async fromDb(): Promise<Checkpoint[]> {
    return (await this.db.selectFrom("audit_checkpoints").select(ROW).orderBy("id").execute()).map(fromRow);
  }

  /** The file copy: null when there is no file yet. */
  async fromFile(): Promise<{ checkpoints: Checkpoint[]; bad: BadLine[] } | null> {
    if (this.file === null) return null;
    let text: string;
    try {
      text = await fs.promises.readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    const checkpoints: Checkpoint[] = [];
    const bad: BadLine[] = [];
    text.split("\n").forEach((line, i) => {
      if (line.trim() === "") return;
      const parsed = parseCheckpoint(line);
      if (parsed.ok) checkpoints.push(parsed.value);
      else bad.push({ line: i + 1, reason: parsed.reason });
    });
    return { checkpoints, bad };
  }
}

export function parseCheckpoint(text: string): { ok: true; value: Checkpoint } | { ok: false; reason: string } {
  try {
    const r = checkpointSchema.safeParse(JSON.parse(text));
    return r.success ? { ok: true, value: r.data } : { ok: false, reason: r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

/** An exported checkpoint (GET /api/audit/checkpoint), or a bare checkpoint line copied from the file. */
export function parseCheckpointExport(text: string): { ok: true; value: CheckpointExport | Checkpoint } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const asExport = checkpointExportSchema.safeParse(json);
  if (asExport.success) return { ok: true, value: asExport.data };
  const bare = checkpointSchema.safeParse(json);
  if (bare.success) return { ok: true, value: bare.data };
  return { ok: false, reason: `neither an exported checkpoint nor a checkpoint line: ${asExport.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
}
