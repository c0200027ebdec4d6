import fs from "node:fs";

/**
 * The file operations the recorder uses, injected so tests can make the disk fail (ENOSPC, EACCES) on demand.
 * Writes are synchronous on purpose: they happen once a second per open file, in whole entries, at a position the
 * writer tracks itself, so a failed write can be retried at the same place without leaving a hole or a duplicate.
 * The periodic sync is not: a written page survives the process being killed (it is in the kernel's cache), so the
 * fsync only guards against a power cut, and 200 of them a second on the event loop cost more than the writes.
 */
export interface RecorderFs {
  mkdirSync(path: string, opts: { recursive: true }): unknown;
  openSync(path: string, flags: string): number;
  writeSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number;
  fsyncSync(fd: number): void;
  /** fdatasync on the thread pool: the periodic sync of open files, which must not hold the event loop. */
  fdatasync(fd: number, done: (err: NodeJS.ErrnoException | null) => void): void;
  closeSync(fd: number): void;
  fstatSync(fd: number): { size: number };
  readdirSync(path: string): string[];
  statSync(path: string): { size: number };
  unlinkSync(path: string): void;
  existsSync(path: string): boolean;
}

export const nodeFs: RecorderFs = {
  mkdirSync: (p, o) => fs.mkdirSync(p, o),
  openSync: (p, f) => fs.openSync(p, f),
  writeSync: (fd, b, o, l, pos) => fs.writeSync(fd, b, o, l, pos),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  fdatasync: (fd, done) => fs.fdatasync(fd, done),
  closeSync: (fd) => fs.closeSync(fd),
  fstatSync: (fd) => fs.fstatSync(fd),
  readdirSync: (p) => fs.readdirSync(p),
  statSync: (p) => fs.statSync(p),
  unlinkSync: (p) => fs.unlinkSync(p),
  existsSync: (p) => fs.existsSync(p),
};

/** "disk-full" (ENOSPC, EDQUOT), anything else that stops writing is "unwritable". */
export function failureKind(err: unknown): "disk-full" | "unwritable" {
  const code = (err as { code?: string } | null)?.code;
  return code === "ENOSPC" || code === "EDQUOT" ? "disk-full" : "unwritable";
}
