import { createHash } from "node:crypto";
import fs from "node:fs";
import type { Logger } from "pino";
import type { AuditLog } from "../audit";
import type { FlightIntegrity, FlightSummary } from "../protocol";
import type { AppSql } from "../storage";
import type { FlightCatalogue } from "./catalogue";
import { flightFilePath } from "./export";
import type { FileStamp, IntegrityRecord } from "./integrity-store";
import { IntegrityStore, integrityOf } from "./integrity-store";
import { recordedByOf, tombstoneOf } from "./tombstones";

/** What made a check run (kept in the audit entry of a failure). */
export type CheckTrigger = "list" | "detail" | "track" | "series" | "messages" | "export" | "verify" | "sweep" | "replay" | "report" | "charts" | "footage_sync";

export interface IntegrityOptions {
  /** A file last read in full longer ago than this is read again by the sweep. */
  maxAgeMs: number;
  /** How often the sweep looks for such files; its first look is startDelayMs after start(). */
  sweepEveryMs: number;
  startDelayMs: number;
}

export const INTEGRITY_DEFAULTS: IntegrityOptions = { maxAgeMs: 24 * 3_600_000, sweepEveryMs: 15 * 60_000, startDelayMs: 30_000 };

export interface FlightIntegrityDeps {
  /** The application database (SQLite or PostgreSQL), where each file's last check is kept. */
  sql: AppSql;
  catalogue: Pick<FlightCatalogue, "get">;
  dataDir: string;
  /**
   * This server's id, when servers share the database: a flight another server recorded has its file in that
   * server's data directory, so it is neither read nor judged here (it stays "unchecked"; its own server checks it),
   * unless that server keeps its files in this server's files directory too (`sharing`).
   */
  server?: string | null;
  /** The servers whose evidence files are in this directory (a shared --files path): their flights are read here when asked. */
  sharing?: () => readonly string[];
  audit: Pick<AuditLog, "record">;
  clock: () => number;
  log: Logger;
  options?: Partial<IntegrityOptions>;
  /** SHA-256 (hex) of a file; stops with an error when the signal aborts (tests count the reads). */
  hash?: (file: string, signal: AbortSignal) => Promise<string>;
}

/** Read as a stream: a flight file may be gigabytes, and each chunk hashed is a short turn of the event loop. */
export async function sha256OfFile(file: string, signal: AbortSignal): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024, signal })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function stampOf(file: string | null): Promise<FileStamp | null> {
  if (file === null) return null;
  try {
    const s = await fs.promises.stat(file);
    return { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

// ctime too: a write can be hidden by setting mtime back, not by setting ctime back.
const sameStamp = (a: FileStamp | null, b: FileStamp) => a !== null && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

const sealed = (f: FlightSummary): f is FlightSummary & { sha256: string; sizeBytes: number } =>
  f.status !== "recording" && f.sha256 !== null && f.sizeBytes !== null;

const UNCHECKED: FlightIntegrity = { state: "unchecked", checkedAt: null, actualSizeBytes: null, actualSha256: null };
/** A flight deleted under retention has no file by design: not a failure to report (the routes answer 410). */
const DELETED: FlightIntegrity = { state: "missing", checkedAt: null, actualSizeBytes: null, actualSha256: null };

/**
 * Keeps each sealed flight's file compared with its seal. Every answer looks at the file's size and times (stat:
 * cheap), so a file truncated, replaced or touched shows at once; the SHA-256 is read in full only when the file
 * changed since its last full read, on export and on request, and by a background sweep (one file at a time) for
 * files not read for maxAgeMs. A failure is written to the audit log once per alteration found, not per request.
 */
export class FlightIntegrityChecker {
  private readonly store: IntegrityStore;
  private readonly options: IntegrityOptions;
  private readonly hash: (file: string, signal: AbortSignal) => Promise<string>;
  private readonly reading = new Map<number, Promise<FlightIntegrity>>();
  private readonly queue = new Map<number, { trigger: CheckTrigger; by: string | null }>();
  private worker: Promise<void> | null = null;
  /** Per flight, the end of the last read-and-write of its record (see withRecord). */
  private readonly writing = new Map<number, Promise<void>>();
  /** The sweep's query for the files due, while it runs: stop() waits for it. */
  private listing: Promise<number[]> | null = null;
  private readonly abort = new AbortController();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: FlightIntegrityDeps) {
    this.store = new IntegrityStore(deps.sql);
    this.options = { ...INTEGRITY_DEFAULTS, ...deps.options };
    this.hash = deps.hash ?? sha256OfFile;
  }

  /** A page of flights: stat only; files that changed since their last full read are queued for one. */
  async annotate(flights: readonly FlightSummary[], by: string | null): Promise<FlightSummary[]> {
    return Promise.all(flights.map(async (f) => {
      const quick = await this.quick(f, "list", by);
      if (quick.read) this.enqueue(f.id, "list", by);
      return { ...f, integrity: quick.integrity };
    }));
  }

  /** One flight about to be shown or used: as annotate, but a file that changed is read in full now. */
  async current(f: FlightSummary, trigger: CheckTrigger, by: string | null): Promise<FlightSummary> {
    const quick = await this.quick(f, trigger, by);
    return { ...f, integrity: quick.read ? await this.read(f, trigger, by) : quick.integrity };
  }

  /** Reads the file in full now, whatever was found before (an explicit verification, an export). */
  async verify(f: FlightSummary, trigger: CheckTrigger, by: string | null): Promise<FlightSummary> {
    return { ...f, integrity: sealed(f) ? await this.read(f, trigger, by) : integrityOf(null, f) };
  }

  /** Queues every sealed flight not read in full for maxAgeMs; resolves when the queue is empty. */
  async sweep(): Promise<void> {
    // Its own flights only, even when others' files are here too: each server sweeps its own, and reads the others'
    // when asked (a verification, a replay, an export), so that servers sharing a directory do not all read it all.
    const mine = this.deps.server ?? null;
    const listing = this.store.due(this.deps.clock() - this.options.maxAgeMs, 10_000, mine === null ? null : [mine]);
    this.listing = listing;
    let due: number[];
    try {
      due = await listing;
    } finally {
      if (this.listing === listing) this.listing = null;
    }
    for (const id of due) this.enqueue(id, "sweep", null);
    await this.idle();
  }

  /** Resolves when no queued check is left (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.worker) await this.worker;
  }

  start(): void {
    const run = () => void this.sweep().catch((err: unknown) => this.deps.log.error({ err }, "integrity sweep failed"));
    this.timers.push(setTimeout(run, this.options.startDelayMs), setInterval(run, this.options.sweepEveryMs));
    for (const t of this.timers) t.unref();
  }

  /** Stops the sweep; a file being read is abandoned (it is read again at the next start). */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.queue.clear();
    this.abort.abort();
    // A sweep's query under way is let finish (it then queues nothing): the database may be closed next.
    await this.listing?.catch(() => undefined);
    await this.idle();
  }

  private async quick(f: FlightSummary, trigger: CheckTrigger, by: string | null): Promise<{ integrity: FlightIntegrity; read: boolean }> {
    if (!sealed(f) || this.elsewhere(f)) return { integrity: integrityOf(null, f), read: false };
    if (tombstoneOf(f)) return { integrity: DELETED, read: false };
    const stamp = await stampOf(flightFilePath(this.deps.dataDir, f));
    return this.withRecord(f.id, async (record) => {
      if (stamp === null) return { integrity: await this.missing(f, record, trigger, by), read: false };
      if (record?.hashedAt != null && sameStamp(record.stamp, stamp)) return { integrity: integrityOf(record, f), read: false };
      if (stamp.size === f.sizeBytes) return { integrity: { ...UNCHECKED, checkedAt: record?.checkedAt ?? null }, read: true };
      // Not the sealed size: altered, whatever its hash; the full read that follows finds the hash for the audit.
      const altered: IntegrityRecord = {
        state: "altered", checkedAt: this.deps.clock(), hashedAt: null, stamp, actualSha256: null, audited: record?.audited ?? null,
      };
      if (!(record?.state === "altered" && sameStamp(record.stamp, stamp))) await this.store.save(f.id, altered);
      return { integrity: integrityOf(altered, f), read: true };
    });
  }

  /**
   * Reads a flight's record and writes what follows from it with no other check of that flight in between: two
   * requests finding the same failure at once would otherwise both read "not audited yet" and both audit it.
   */
  private async withRecord<T>(id: number, fn: (record: IntegrityRecord | null) => Promise<T>): Promise<T> {
    const run = (this.writing.get(id) ?? Promise.resolve()).then(async () => fn(await this.store.get(id)));
    const done = run.then(() => undefined, () => undefined);
    this.writing.set(id, done);
    try {
      return await run;
    } finally {
      if (this.writing.get(id) === done) this.writing.delete(id);
    }
  }

  /** The file is gone: recorded, and audited unless already. Called within withRecord, with the record it read. */
  private async missing(f: FlightSummary & { sha256: string; sizeBytes: number }, record: IntegrityRecord | null, trigger: CheckTrigger,
    by: string | null): Promise<FlightIntegrity> {
    if (record?.state === "missing") return integrityOf(record, f);
    const now = this.deps.clock();
    const next: IntegrityRecord = { state: "missing", checkedAt: now, hashedAt: now, stamp: null, actualSha256: null, audited: record?.audited ?? null };
    await this.store.save(f.id, next);
    // Audited by whichever check, of any server, marks it first (one update, on the shared database).
    if (await this.store.claimAudit(f.id, "missing")) this.failed(f, next, trigger, by);
    return integrityOf({ ...next, audited: "missing" }, f);
  }

  /** One full read per flight at a time: a second caller waits for the read under way. */
  private read(f: FlightSummary, trigger: CheckTrigger, by: string | null): Promise<FlightIntegrity> {
    const running = this.reading.get(f.id);
    if (running) return running;
    const p = this.readNow(f, trigger, by).finally(() => this.reading.delete(f.id));
    this.reading.set(f.id, p);
    return p;
  }

  /**
   * Recorded by another server that keeps its files elsewhere: its file is not in this directory (without an id,
   * this server has them all).
   */
  private elsewhere(f: FlightSummary): boolean {
    const by = recordedByOf(f);
    const mine = this.deps.server ?? null;
    return mine !== null && by !== null && by !== mine && !(this.deps.sharing?.().includes(by) ?? false);
  }

  private async readNow(f: FlightSummary, trigger: CheckTrigger, by: string | null): Promise<FlightIntegrity> {
    if (!sealed(f) || this.elsewhere(f)) return integrityOf(null, f);
    if (tombstoneOf(f)) return DELETED;
    const file = flightFilePath(this.deps.dataDir, f);
    // What was found before, should the file not be readable now; the decisions read the record again (withRecord).
    const record = await this.store.get(f.id);
    // Stamped before the read: a write during it changes the stamp, and the next answer reads the file again.
    const stamp = await stampOf(file);
    const gone = () => this.withRecord(f.id, (last) => this.missing(f, last, trigger, by));
    if (file === null || stamp === null) return gone();
    let sha: string;
    try {
      sha = await this.hash(file, this.abort.signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return gone();
      if (!this.abort.signal.aborted) this.deps.log.warn({ err, flight: f.id }, "flight file could not be read to check its hash");
      return { ...UNCHECKED, checkedAt: record?.checkedAt ?? null };
    }
    const now = this.deps.clock();
    const ok = sha === f.sha256 && stamp.size === f.sizeBytes;
    const key = ok ? null : `altered:${sha}`;
    return this.withRecord(f.id, async (last) => {
      // A good file clears what was audited (a later change is audited again); a bad one keeps it until claimed.
      const next: IntegrityRecord = {
        state: ok ? "verified" : "altered", checkedAt: now, hashedAt: now, stamp, actualSha256: ok ? null : sha, audited: key === null ? null : last?.audited ?? null,
      };
      await this.store.save(f.id, next);
      if (key !== null && await this.store.claimAudit(f.id, key)) this.failed(f, next, trigger, by);
      return integrityOf({ ...next, audited: key }, f);
    });
  }

  private failed(f: FlightSummary & { sha256: string; sizeBytes: number }, r: IntegrityRecord, trigger: CheckTrigger, by: string | null): void {
    const detail = {
      file: f.tlogPath, expectedSha256: f.sha256, actualSha256: r.actualSha256, expectedSizeBytes: f.sizeBytes,
      actualSizeBytes: r.stamp?.size ?? null, trigger, by,
    };
    this.deps.log.error({ flight: f.id, state: r.state, ...detail }, "flight file does not match its seal");
    this.deps.audit.record({ actor: "system", address: "", action: "flight_integrity_failed", target: `flight:${f.id}`, result: r.state, detail });
  }

  private enqueue(id: number, trigger: CheckTrigger, by: string | null): void {
    if (this.abort.signal.aborted || this.queue.has(id)) return;
    this.queue.set(id, { trigger, by });
    this.kick();
  }

  private kick(): void {
    if (this.worker !== null || this.queue.size === 0 || this.abort.signal.aborted) return;
    this.worker = this.drain().finally(() => {
      this.worker = null;
      this.kick();
    });
  }

  /** One file at a time, in the background: a sweep of a large archive never competes with itself for the disk. */
  private async drain(): Promise<void> {
    for (const [id, { trigger, by }] of this.queue) {
      this.queue.delete(id);
      if (this.abort.signal.aborted) return;
      try {
        const f = await this.deps.catalogue.get(id);
        if (f) await this.read(f, trigger, by);
      } catch (err) {
        this.deps.log.error({ err, flight: id }, "integrity check failed");
      }
    }
  }
}
