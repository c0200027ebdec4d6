import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import type { KeyObject } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";

export const KEY_DIR = "keys";
export const PRIVATE_KEY_FILE = "audit-ed25519.pem";
export const PUBLIC_KEY_FILE = "audit-ed25519.pub.pem";

/** The key that signs checkpoints of the audit chain's head. */
export interface AuditKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM, as kept beside the private key and handed out with exported checkpoints. */
  publicPem: string;
  fingerprint: string;
}

/** The public half only: what `verify` needs, readable without the private key. */
export interface AuditPublicKey {
  publicKey: KeyObject;
  publicPem: string;
  fingerprint: string;
}

export const keyPaths = (dataDir: string) => ({
  privateFile: path.join(dataDir, KEY_DIR, PRIVATE_KEY_FILE),
  publicFile: path.join(dataDir, KEY_DIR, PUBLIC_KEY_FILE),
});

/** "sha256:" and the hex SHA-256 of the key's DER SubjectPublicKeyInfo (what `openssl pkey -pubin -outform DER` gives). */
export function keyFingerprint(publicKey: KeyObject): string {
  return `sha256:${createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex")}`;
}

export function publicKeyFromPem(pem: string): AuditPublicKey {
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== "ed25519") throw new Error(`not an Ed25519 public key (${publicKey.asymmetricKeyType ?? "?"})`);
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return { publicKey, publicPem, fingerprint: keyFingerprint(publicKey) };
}

/**
 * Writes a file that must never be replaced: to a temporary name first, then hard-linked into place, which fails
 * if the name exists. A crash leaves no half-written key under the real name. Returns false if it already existed.
 */
function writeOnce(file: string, text: string, mode: number): boolean {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(tmp, "wx", mode);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/**
 * The server's signing key: created at first start (private key readable by its owner only), then always the same
 * one. An existing key file is never overwritten, even by two processes starting at once.
 */
export function loadOrCreateAuditKey(dataDir: string, log: Logger): AuditKey {
  const { privateFile, publicFile } = keyPaths(dataDir);
  fs.mkdirSync(path.dirname(privateFile), { recursive: true, mode: 0o700 });
  let pem = readIfExists(privateFile);
  if (pem === null) {
    const pair = generateKeyPairSync("ed25519");
    const created = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    if (writeOnce(privateFile, created, 0o600)) {
      pem = created;
    } else {
      pem = fs.readFileSync(privateFile, "utf8");
    }
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`${privateFile} is not an Ed25519 private key`);
  const pub = publicKeyFromPem(createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString());
  const onDisk = readIfExists(publicFile);
  if (onDisk === null) {
    writeOnce(publicFile, pub.publicPem, 0o644);
    log.info({ fingerprint: pub.fingerprint, publicFile }, "audit signing key created: note its fingerprint somewhere safe");
  } else if (onDisk.trim() !== pub.publicPem.trim()) {
    // Left as it is: `verify` reports checkpoints that do not verify with it, and someone must look.
    log.error({ publicFile, fingerprint: pub.fingerprint }, "the audit public key file does not match the private key");
  }
  return { privateKey, ...pub };
}

/**
 * The public key `verify` checks against: the file beside the private key (the CLI may not be allowed to read
 * the private key). Null when the server has not created one yet.
 */
export function readAuditPublicKey(dataDir: string): AuditPublicKey | null {
  const pem = readIfExists(keyPaths(dataDir).publicFile);
  return pem === null ? null : publicKeyFromPem(pem);
}
