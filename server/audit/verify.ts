import type { AuditDb, ChainBreak } from "./chain";
import { signatureValid } from "./checkpoint";
import type { BadLine, Checkpoint, CheckpointExport } from "./checkpoint";
import { publicKeyFromPem } from "./keys";
import type { AuditPublicKey } from "./keys";

export interface VerifyProblem {
  kind: ChainBreak["kind"] | "rewritten" | "truncated" | "signature" | "key" | "copy";
  /** The audit entry concerned. */
  id: number;
  message: string;
}

/** Everything `verify` checks the rows against. */
export interface CheckpointEvidence {
  fromDb: Checkpoint[];
  /** The file copy, or null when there is none; `fileName` null when this log keeps no file copy. */
  fromFile: { checkpoints: Checkpoint[]; bad: BadLine[] } | null;
  fileName: string | null;
  key: AuditPublicKey | null;
  keyFile: string | null;
  /** A checkpoint kept elsewhere (exported earlier): the strongest check, as it is out of an attacker's reach. */
  exported?: CheckpointExport | Checkpoint | undefined;
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;
const idOf = (c: Checkpoint) => `${c.entryId} ${c.signature}`;
const named = (c: Checkpoint) => `the checkpoint of ${c.time} (entry ${c.entryId})`;

/** Checks the signed checkpoints against the rows: returns how many were checked and what is wrong. */
export async function checkCheckpoints(db: AuditDb, ev: CheckpointEvidence): Promise<{ checked: number; problems: VerifyProblem[] }> {
  const problems: VerifyProblem[] = [];
  const all = new Map<string, Checkpoint>();
  for (const c of [...ev.fromDb, ...(ev.fromFile?.checkpoints ?? [])]) all.set(idOf(c), c);
  const sorted = [...all.values()].sort((a, b) => a.entryId - b.entryId || a.time.localeCompare(b.time));

  if (ev.key === null && sorted.length > 0) {
    problems.push({ kind: "key", id: sorted.at(-1)!.entryId,
      message: `there are ${sorted.length} signed checkpoints but no public key${ev.keyFile ? ` at ${ev.keyFile}` : ""}: their signatures cannot be checked` });
  }
  // Without any key the rows are still compared (reported as unchecked above); a checkpoint that fails its
  // signature says nothing about the rows.
  const trusted = sorted.filter((c) => {
    const problem = ev.key === null ? null : signatureProblem(c, ev.key);
    if (problem) problems.push(problem);
    return problem === null;
  });
  problems.push(...await rowProblems(db, trusted));
  problems.push(...copyProblems(ev));
  if (ev.exported !== undefined) problems.push(...await exportedProblems(db, ev, all));
  return { checked: sorted.length + (ev.exported === undefined ? 0 : 1), problems };
}

function signatureProblem(c: Checkpoint, key: AuditPublicKey): VerifyProblem | null {
  if (c.keyFingerprint !== key.fingerprint) {
    return { kind: "key", id: c.entryId, message: `${named(c)} was signed by key ${c.keyFingerprint}, not by this data directory's key ${key.fingerprint}` };
  }
  if (!signatureValid(c, key.publicKey)) {
    return { kind: "signature", id: c.entryId, message: `${named(c)}: signature invalid (the checkpoint was altered or forged)` };
  }
  return null;
}

/** Each checkpoint's entry must still exist with the hash it had; reports the first rewrite and the deepest cut. */
async function rowProblems(db: AuditDb, checkpoints: Checkpoint[]): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const lastId = (await db.selectFrom("audit_log").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst())?.id ?? 0;
  const hashes = await hashesOf(db, checkpoints.map((c) => c.entryId).filter((id) => id > 0 && id <= lastId));
  let lastGood: Checkpoint | null = null;
  let rewritten: VerifyProblem | null = null;
  let moreRewritten = 0;
  for (const c of checkpoints.filter((c) => c.entryId <= lastId)) {
    if (c.entryId === 0) continue;
    const now = hashes.get(c.entryId);
    if (now === c.entryHash) {
      if (rewritten === null) lastGood = c;
      continue;
    }
    if (rewritten !== null) {
      moreRewritten++;
      continue;
    }
    const since = lastGood ? `entries after ${lastGood.entryId} (the last one ${named(lastGood)} still vouches for)` : "entries from the first one";
    rewritten = { kind: "rewritten", id: c.entryId, message: now === undefined
      ? `entry ${c.entryId} was deleted although ${named(c)} vouches for it: ${since} up to ${c.entryId} were rewritten`
      : `${since} up to ${c.entryId} were rewritten: ${named(c)} says entry ${c.entryId} had hash ${short(c.entryHash)}, it now has ${short(now)}` };
  }
  if (rewritten) {
    if (moreRewritten > 0) rewritten.message += ` (${moreRewritten} later checkpoints no longer match either)`;
    problems.push(rewritten);
  }
  const beyond = checkpoints.filter((c) => c.entryId > lastId).sort((a, b) => b.entryId - a.entryId)[0];
  if (beyond) {
    problems.push({ kind: "truncated", id: beyond.entryId,
      message: `the log ends at entry ${lastId} but ${named(beyond)} says entry ${beyond.entryId} existed: the newest entries were deleted` });
  }
  return problems;
}

/** The hashes the entries `ids` have now, read a few hundred at a time (a checkpoint per 100 entries adds up). */
async function hashesOf(db: AuditDb, ids: number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  const found = new Map<number, string>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db.selectFrom("audit_log").select(["id", "hash"]).where("id", "in", unique.slice(i, i + 500)).execute();
    for (const r of rows) found.set(r.id, r.hash);
  }
  return found;
}

/** The two copies must hold the same checkpoints: one missing from either means someone removed it. */
function copyProblems(ev: CheckpointEvidence): VerifyProblem[] {
  if (ev.fileName === null) return [];
  if (ev.fromFile === null) {
    const last = ev.fromDb.at(-1);
    return last ? [{ kind: "copy", id: last.entryId, message: `the database holds ${ev.fromDb.length} checkpoints but their file copy ${ev.fileName} is missing` }] : [];
  }
  const problems: VerifyProblem[] = ev.fromFile.bad.map((b) => ({ kind: "copy" as const, id: 0,
    message: `${ev.fileName} line ${b.line} is not a checkpoint (edited, or cut short by a crash): ${b.reason}` }));
  const inFile = new Set(ev.fromFile.checkpoints.map(idOf));
  const inDb = new Set(ev.fromDb.map(idOf));
  const report = (missing: Checkpoint[], what: string) => {
    const first = missing[0];
    if (first) problems.push({ kind: "copy", id: first.entryId, message: `${named(first)}${missing.length > 1 ? ` and ${missing.length - 1} more` : ""} ${what}` });
  };
  report(ev.fromFile.checkpoints.filter((c) => !inDb.has(idOf(c))), `in ${ev.fileName} but not in the database: checkpoints were deleted from the database`);
  report(ev.fromDb.filter((c) => !inFile.has(idOf(c))), `in the database but not in ${ev.fileName}: the file was cut short or edited`);
  return problems;
}

async function exportedProblems(db: AuditDb, ev: CheckpointEvidence, known: Map<string, Checkpoint>): Promise<VerifyProblem[]> {
  const exp = ev.exported!;
  const c = "checkpoint" in exp ? exp.checkpoint : exp;
  const what = `the exported checkpoint of ${c.time} (entry ${c.entryId})`;
  let key = ev.key;
  if ("checkpoint" in exp) {
    try {
      key = publicKeyFromPem(exp.publicKey);
    } catch (err) {
      return [{ kind: "key", id: c.entryId, message: `${what} carries an unreadable public key: ${(err as Error).message}` }];
    }
    if (ev.key !== null && key.fingerprint !== ev.key.fingerprint) {
      return [{ kind: "key", id: c.entryId,
        message: `${what} was signed by key ${key.fingerprint}, but this data directory's key is ${ev.key.fingerprint}: the key was replaced` }];
    }
  }
  if (key === null) return [{ kind: "key", id: c.entryId, message: `${what} cannot be checked: no public key` }];
  const bad = signatureProblem(c, key);
  if (bad) return [{ ...bad, message: bad.message.replace(named(c), what) }];
  const problems = (await rowProblems(db, [c])).map((p) => ({ ...p, message: p.message.replaceAll(named(c), what) }));
  if (!known.has(idOf(c))) {
    problems.push({ kind: "copy", id: c.entryId, message: `${what} is not among the log's checkpoints: they were removed or replaced` });
  }
  return problems;
}
