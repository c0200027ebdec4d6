/**
 * Where originals live: write-once, named by their SHA-256. An original is moved in from the upload area (same file
 * system: no copy of a 10 GB file), made read-only, and its directory synced; it can be opened for reading and never
 * for writing. The interface is what an object store (S3 with object lock) would also offer.
 */
import fs from "node:fs";
import path from "node:path";

export interface EvidenceStore {
  /**
   * Takes `file` (fully written, its hash known) in as the original `sha256`. Refuses to replace one already there:
   * returns "exists" and leaves `file` alone. The caller has checked the hash.
   */
  adopt(file: string, sha256: string): Promise<"stored" | "exists">;
  /** The original's path for reading, or null when it is not there. */
  locate(sha256: string): Promise<string | null>;
  /** Size of the original, or null. */
  size(sha256: string): Promise<number | null>;
  /** Deletes an original: only retention does this, after its recovery window, with the deletion in the custody log. */
  remove(sha256: string): Promise<void>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export class FsEvidenceStore implements EvidenceStore {
  constructor(private readonly root: string) {}

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`);
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  async adopt(file: string, sha256: string): Promise<"stored" | "exists"> {
    const target = this.pathOf(sha256);
    const dir = path.dirname(target);
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o750 });
    // Read-only before it takes its name: there is no moment at which the original is writable under it.
    await fs.promises.chmod(file, 0o444);
    try {
      // link() fails if the name is taken, where rename() would silently replace an original.
      await fs.promises.link(file, target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") {
        await fs.promises.chmod(file, 0o644);
        return "exists";
      }
      await fs.promises.chmod(file, 0o644).catch(() => undefined);
      throw err;
    }
    await fs.promises.unlink(file);
    await syncDir(dir);
    await syncDir(path.dirname(file));
    return "stored";
  }

  async locate(sha256: string): Promise<string | null> {
    const p = this.pathOf(sha256);
    return (await this.size(sha256)) === null ? null : p;
  }

  async remove(sha256: string): Promise<void> {
    const file = this.pathOf(sha256);
    await fs.promises.rm(file, { force: true });
    await syncDir(path.dirname(file)).catch(() => undefined);
  }

  async size(sha256: string): Promise<number | null> {
    try {
      return (await fs.promises.stat(this.pathOf(sha256))).size;
    } catch {
      return null;
    }
  }
}

/** A directory's entries made durable (a rename or link survives a power cut only once its directory is synced). */
async function syncDir(dir: string): Promise<void> {
  const fh = await fs.promises.open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
