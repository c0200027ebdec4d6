/**
 * Checks an evidence bundle offline, with nothing but the folder: every file against SHA256SUMS (and no file beside
 * them), every original against the hash the manifest says it was sealed with, every derivative against the hash it
 * was made with and its parent original present, every audit entry of the chain file
 * recomputed and linked to the one before, the custody log's entries all in it, and the chain's last entry equal to
 * the signed checkpoint, whose signature is checked with the key it carries. Says exactly what fails.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { checkpointExportSchema, entryHash, publicKeyFromPem, signatureValid } from "../audit";
import type { AuditEntry } from "../audit";
import { MANIFEST_FILE, SUMS_FILE, manifestSchema } from "./manifest";
import type { BundleManifest } from "./manifest";

export interface BundleCheck {
  ok: boolean;
  /** What was checked and held, one line each. */
  passed: string[];
  /** What failed, one line each. */
  failed: string[];
  /** The key that signed the checkpoint: to compare with the one the unit published. */
  keyFingerprint: string | null;
}

async function sha256(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest("hex");
}

function listFiles(dir: string, base = ""): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

const auditEntry = (v: unknown): v is AuditEntry => {
  const e = v as Record<string, unknown>;
  return typeof e === "object" && e !== null && typeof e["id"] === "number" && typeof e["hash"] === "string" && typeof e["prev_hash"] === "string"
    && ["time", "actor", "address", "action", "target", "result", "detail"].every((k) => typeof e[k] === "string");
};

export async function verifyBundle(dir: string): Promise<BundleCheck> {
  const passed: string[] = [];
  const failed: string[] = [];
  let keyFingerprint: string | null = null;
  const sumsFile = path.join(dir, SUMS_FILE);
  if (!fs.existsSync(sumsFile)) return { ok: false, passed, failed: [`${SUMS_FILE} is missing: this is not a bundle, or it was cut`], keyFingerprint };

  // 1. Every file as listed, and nothing else.
  const sums = new Map<string, string>();
  /** Each listed file's hash as computed here. */
  const hashed = new Map<string, string>();
  fs.readFileSync(sumsFile, "utf8").split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m || m[2]!.includes("..") || m[2]!.startsWith("/")) failed.push(`${SUMS_FILE} line ${i + 1} is not "<sha256>  <file>": ${line.slice(0, 80)}`);
    else sums.set(m[2]!, m[1]!);
  });
  for (const [rel, want] of sums) {
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) {
      failed.push(`${rel}: listed in ${SUMS_FILE} but missing`);
      continue;
    }
    const got = await sha256(file);
    hashed.set(rel, got);
    if (got === want) passed.push(`${rel}: SHA-256 ${got}`);
    else failed.push(`${rel}: SHA-256 is ${got}, ${SUMS_FILE} says ${want}: the file was changed`);
  }
  for (const rel of listFiles(dir)) if (rel !== SUMS_FILE && !sums.has(rel)) failed.push(`${rel}: in the bundle but not in ${SUMS_FILE}`);

  // 2. The manifest, and each original's hash as sealed.
  let manifest: BundleManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8")));
  } catch (err) {
    failed.push(`${MANIFEST_FILE} cannot be read: ${(err as Error).message.slice(0, 300)}`);
    return { ok: false, passed, failed, keyFingerprint };
  }
  const originals = [
    ...manifest.flights.map((f) => ({ what: `flight ${f.id}`, file: f.file, sha256: f.sha256 })),
    ...manifest.footage.flatMap((f) => [
      { what: `footage ${f.id} ("${f.originalName}")`, file: f.file, sha256: f.sha256 },
      ...(f.sidecar ? [{ what: `the sidecar of footage ${f.id}`, file: f.sidecar.file, sha256: f.sidecar.sha256 }] : []),
    ]),
  ];
  for (const o of originals) {
    if (sums.get(o.file) === o.sha256) passed.push(`${o.what}: as sealed (${o.sha256})`);
    else failed.push(`${o.what}: ${o.file} does not carry the SHA-256 it was sealed with (${o.sha256})`);
  }
  checkDerivatives(manifest, hashed, passed, failed);

  // 3. The chain, the custody entries in it, and the signed checkpoint at its end.
  keyFingerprint = checkChain(dir, manifest, passed, failed);
  return { ok: failed.length === 0, passed, failed, keyFingerprint };
}

/** Each derivative: its file (as hashed here) as it was made, and its parent (by hash) an original in this bundle. */
function checkDerivatives(m: BundleManifest, hashed: Map<string, string>, passed: string[], failed: string[]): void {
  for (const f of m.footage) {
    for (const d of f.derivatives) {
      const what = `derivative ${d.id} (${d.kind}) of footage ${f.id}`;
      if (hashed.get(d.file) === d.sha256) passed.push(`${what}: ${d.file} as made (${d.sha256}) by ${d.ffmpegVersion}`);
      else failed.push(`${what}: ${d.file} does not carry the SHA-256 it was made with (${d.sha256})`);
      if (d.parentSha256 === f.sha256 && hashed.get(f.file) === f.sha256) passed.push(`${what}: made from ${f.file} (${f.sha256}), in the bundle`);
      else failed.push(`${what}: its parent (${d.parentSha256}) is not the original in the bundle (${f.file}, ${f.sha256})`);
    }
  }
}

function checkChain(dir: string, m: BundleManifest, passed: string[], failed: string[]): string | null {
  let exported;
  try {
    exported = checkpointExportSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, m.custody.checkpoint), "utf8")));
  } catch (err) {
    failed.push(`${m.custody.checkpoint} cannot be read: ${(err as Error).message.slice(0, 300)}`);
    return null;
  }
  const c = exported.checkpoint;
  let key;
  try {
    key = publicKeyFromPem(exported.publicKey);
  } catch (err) {
    failed.push(`${m.custody.checkpoint}: its public key cannot be read: ${(err as Error).message}`);
    return null;
  }
  if (key.fingerprint !== c.keyFingerprint) failed.push(`${m.custody.checkpoint}: the key carried (${key.fingerprint}) is not the one named as signer (${c.keyFingerprint})`);
  if (signatureValid(c, key.publicKey)) passed.push(`checkpoint of entry ${c.entryId}: signature valid, key ${key.fingerprint}`);
  else failed.push(`checkpoint of entry ${c.entryId}: the signature does not match (the checkpoint was altered or forged)`);

  const lines = fs.readFileSync(path.join(dir, m.custody.chain), "utf8").split("\n").filter((l) => l.trim() !== "");
  let prev: AuditEntry | null = null;
  const ids = new Set<number>();
  let broken = false;
  for (const [i, line] of lines.entries()) {
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      e = null;
    }
    if (!auditEntry(e)) {
      failed.push(`${m.custody.chain} line ${i + 1} is not an audit entry`);
      broken = true;
      break;
    }
    const { hash, ...rest } = e;
    if (entryHash(rest) !== hash) {
      failed.push(`audit entry ${e.id} (${e.action} ${e.target}): its content does not match its hash: it was edited`);
      broken = true;
    }
    if (prev && (e.id !== prev.id + 1 || e.prev_hash !== prev.hash)) {
      failed.push(`audit entry ${e.id}: does not follow entry ${prev.id} in the chain (an entry was removed, inserted or rewritten)`);
      broken = true;
    }
    ids.add(e.id);
    prev = e;
  }
  const first = lines.length > 0 ? (JSON.parse(lines[0]!) as AuditEntry).id : null;
  if (first !== m.custody.chainFrom || prev?.id !== m.custody.chainTo) {
    failed.push(`${m.custody.chain} runs from entry ${first ?? "-"} to ${prev?.id ?? "-"}, the manifest says ${m.custody.chainFrom} to ${m.custody.chainTo}`);
    broken = true;
  }
  if (prev && (prev.id !== c.entryId || prev.hash !== c.entryHash)) {
    failed.push(`the chain ends at entry ${prev.id} with hash ${prev.hash}; the signed checkpoint says entry ${c.entryId} with hash ${c.entryHash}`);
    broken = true;
  }
  if (!broken) passed.push(`audit chain entries ${m.custody.chainFrom} to ${m.custody.chainTo}: every hash recomputed and linked, ending at the signed checkpoint`);
  const missing = m.custody.entries.filter((id) => !ids.has(id));
  if (missing.length > 0) failed.push(`custody entries ${missing.slice(0, 10).join(", ")} are not in ${m.custody.chain}`);
  else passed.push(`custody log: ${m.custody.entries.length} entries, all in the chain`);
  return key.fingerprint;
}
