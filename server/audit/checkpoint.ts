import { sign, verify } from "node:crypto";
import type { KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Db } from "../storage";

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

interface Row {
  entry_id: number;
  entry_hash: string;
  entries: number;
  time: string;
  key_fingerprint: string;
  signature: string;
}

const fromRow = (r: Row): Checkpoint => ({
  entryId: r.entry_id, entryHash: r.entry_hash, entries: r.entries, time: r.time, keyFingerprint: r.key_fingerprint, signature: r.signature,
});

/** A line of the file copy that is not a checkpoint (edited by hand, or cut short by a crash). */
export interface BadLine {
  line: number;
  reason: string;
}

/**
 * Checkpoints are kept twice: in the database (append-only table) and in a plain append-only file beside it, so
 * that rewriting the database does not also silently rewrite a copy that may be kept or shipped elsewhere.
 */
export class CheckpointStore {
  readonly file: string | null;

  constructor(private readonly db: Db, dataDir: string | undefined) {
    this.file = dataDir === undefined ? null : path.join(dataDir, CHECKPOINT_FILE);
  }

  /** Adds to both copies; the database first, so a checkpoint found only in the file means rows were deleted. */
  add(c: Checkpoint): void {
    this.db.prepare<Row>(`INSERT INTO audit_checkpoints (entry_id, entry_hash, entries, time, key_fingerprint, signature)
      VALUES (@entry_id, @entry_hash, @entries, @time, @key_fingerprint, @signature)`).run({
      entry_id: c.entryId, entry_hash: c.entryHash, entries: c.entries, time: c.time, key_fingerprint: c.keyFingerprint, signature: c.signature,
    });
    if (this.file !== null) fs.appendFileSync(this.file, `${JSON.stringify(c)}\n`, { mode: 0o644 });
  }

  latest(): Checkpoint | null {
    const r = this.db.prepare<[], Row>("SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1").get();
    return r ? fromRow(r) : null;
  }

  fromDb(): Checkpoint[] {
    return this.db.prepare<[], Row>("SELECT * FROM audit_checkpoints ORDER BY id").all().map(fromRow);
  }

  /** The file copy: null when there is no file yet. */
  fromFile(): { checkpoints: Checkpoint[]; bad: BadLine[] } | null {
    if (this.file === null || !fs.existsSync(this.file)) return null;
    const checkpoints: Checkpoint[] = [];
    const bad: BadLine[] = [];
    fs.readFileSync(this.file, "utf8").split("\n").forEach((text, i) => {
      if (text.trim() === "") return;
      const parsed = parseCheckpoint(text);
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
