import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

/** In the data directory: who holds it now. */
export const LOCK_FILE = "server.lock";

/** The lock file's content: enough to tell an operator who holds the directory, and to tell a stale lock. */
export interface LockHolder {
  pid: number;
  host: string;
  /** "server", or the maintenance command holding the directory ("flights rebuild"). */
  by: string;
  /** The web server's address, once it listens (null before, and for a command). */
  httpHost: string | null;
  httpPort: number | null;
  links: string[];
  startedAt: string;
  /** The host's boot: a pid recorded before a reboot names another process now. */
  boot: string;
  /** When the holding process started (ms since epoch): a restarted container reuses the same pid. */
  processStart: number;
}

/** How liveness is judged; tests pass their own. */
export interface LockProbe {
  pid: number;
  host: string;
  boot: string;
  processStart: number;
  /** Whether a process with this pid exists on this host. */
  running(pid: number): boolean;
}

export class DataDirInUseError extends Error {
  readonly code = "data_dir_in_use";

  constructor(readonly dataDir: string, readonly holder: LockHolder) {
    super(describeHolder(dataDir, holder));
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is someone else's.
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

function bootId(): string {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    // Elsewhere the boot is not compared: the pid alone decides.
    return "";
  }
}

export function localProbe(): LockProbe {
  return { pid: process.pid, host: os.hostname(), boot: bootId(), processStart: Math.round(performance.timeOrigin), running };
}

/**
 * Whether the holder may still be running. A lock from another host cannot be checked from here: it counts as
 * live (an operator who knows that host's server is gone removes the file).
 */
export function holderAlive(h: LockHolder, probe: LockProbe): boolean {
  if (h.host !== probe.host) return true;
  if (h.boot !== "" && probe.boot !== "" && h.boot !== probe.boot) return false;
  if (h.pid === probe.pid) return h.processStart === probe.processStart;
  return probe.running(h.pid);
}

/** "data directory /x is in use by the server pid 1234 (http 127.0.0.1:8080, links udpin://0.0.0.0:14550) since …" */
export function describeHolder(dataDir: string, h: LockHolder): string {
  const what = h.by === "server" ? "the server" : `\`${h.by}\``;
  const where = [
    ...(h.httpPort !== null ? [`http ${h.httpHost ?? "?"}:${h.httpPort}`] : []),
    ...(h.links.length > 0 ? [`links ${h.links.join(" ")}`] : []),
  ];
  return `data directory ${dataDir} is in use by ${what} pid ${h.pid}${h.host === os.hostname() ? "" : ` on host ${h.host}`}`
    + `${where.length > 0 ? ` (${where.join(", ")})` : ""} since ${h.startedAt}`;
}

function parse(text: string): LockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== "number" || typeof v.host !== "string") return null;
    return {
      pid: v.pid, host: v.host, by: typeof v.by === "string" ? v.by : "server",
      httpHost: v.httpHost ?? null, httpPort: v.httpPort ?? null, links: Array.isArray(v.links) ? v.links : [],
      startedAt: String(v.startedAt ?? "?"), boot: typeof v.boot === "string" ? v.boot : "",
      processStart: typeof v.processStart === "number" ? v.processStart : 0,
    };
  } catch {
    return null;
  }
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/** The process holding the data directory, or null when none does (no lock, or a stale one). Reads only. */
export function liveHolder(dataDir: string, probe: LockProbe = localProbe()): LockHolder | null {
  const text = readText(path.join(dataDir, LOCK_FILE));
  const holder = text === null ? null : parse(text);
  return holder && holderAlive(holder, probe) ? holder : null;
}

const tmpName = (file: string) => `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;

/**
 * Creates the lock file with its whole content at once: written beside it, then hard-linked into place (which
 * fails if a lock exists). A reader never sees a half-written lock.
 */
function create(file: string, text: string): boolean {
  const tmp = tmpName(file);
  fs.writeFileSync(tmp, text, { flag: "wx" });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS") throw err;
    // File systems without hard links: exclusive create, the content follows at once.
    try {
      fs.writeFileSync(file, text, { flag: "wx" });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Moves a stale lock out of the way. Two processes finding the same stale lock must not both win: the lock is
 * renamed aside first, and put back if what was moved is no longer the stale one (another process took it).
 */
function removeStale(file: string, staleText: string): void {
  const aside = tmpName(file);
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  try {
    if (fs.readFileSync(aside, "utf8") !== staleText) {
      try {
        fs.linkSync(aside, file);
      } catch {
        // Yet another lock is in place: that one stands.
      }
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/**
 * Exclusive ownership of a data directory by one process: taken before anything in it is read or written,
 * released on close and when the process exits. A lock left by a crash is stale once its process is gone.
 */
export class DataDirLock {
  private readonly file: string;
  private text: string;
  private held = true;
  private readonly onExit = () => this.release();

  private constructor(readonly dataDir: string, private holderNow: LockHolder) {
    this.file = path.join(dataDir, LOCK_FILE);
    this.text = `${JSON.stringify(holderNow)}\n`;
    process.on("exit", this.onExit);
  }

  /** Takes the lock, or throws DataDirInUseError naming the live holder. */
  static acquire(
    dataDir: string, who: { by: string; links?: string[]; httpHost?: string | null; httpPort?: number | null },
    probe: LockProbe = localProbe(), clock: () => number = Date.now,
  ): DataDirLock {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, LOCK_FILE);
    const holder: LockHolder = {
      pid: probe.pid, host: probe.host, by: who.by, httpHost: who.httpHost ?? null, httpPort: who.httpPort ?? null,
      links: who.links ?? [], startedAt: new Date(clock()).toISOString(), boot: probe.boot, processStart: probe.processStart,
    };
    const text = `${JSON.stringify(holder)}\n`;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (create(file, text)) return new DataDirLock(dataDir, holder);
      const found = readText(file);
      if (found === null) continue;
      const other = parse(found);
      if (other && holderAlive(other, probe)) throw new DataDirInUseError(dataDir, other);
      removeStale(file, found);
    }
    throw new Error(`could not take the lock ${file}: other processes keep taking it`);
  }

  get holder(): LockHolder {
    return this.holderNow;
  }

  /** Records where the server listens, once it does. */
  update(change: Partial<Pick<LockHolder, "httpHost" | "httpPort" | "links">>): void {
    if (!this.held || readText(this.file) !== this.text) return;
    this.holderNow = { ...this.holderNow, ...change };
    const text = `${JSON.stringify(this.holderNow)}\n`;
    const tmp = tmpName(this.file);
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, this.file);
    this.text = text;
  }

  /** Removes the lock if it is still ours; safe to call more than once. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    process.off("exit", this.onExit);
    try {
      if (readText(this.file) === this.text) fs.rmSync(this.file, { force: true });
    } catch {
      // The directory is gone or unreadable: nothing of ours is left to remove.
    }
  }
}
