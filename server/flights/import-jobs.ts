import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import type { ImportJobStatus } from "../protocol";
import { ImportRefusedError, importTlog, writeImportSeries } from "./import";
import type { ImportDeps, ImportProgress, ImportRequest } from "./import";
import { sweepImports } from "./import-store";
import type { ImportReport } from "./import-store";
import { ImportThread } from "./import-thread";

export type ImportOutcome =
  | { ok: true; status: 200 | 201; report: ImportReport }
  | { ok: false; status: number; code: string; message: string };

export interface ImportJob {
  readonly id: string;
  readonly owner: string;
  /** Settles once the import has finished (never rejects). */
  readonly done: Promise<ImportOutcome>;
  status(): ImportJobStatus;
}

/** A claim on the one import slot, taken before the upload is received so a second upload is refused at once. */
export interface ImportSlot {
  start(request: ImportRequest, owner: string): ImportJob;
  release(): void;
}

/** Finished jobs stay readable this long (the page polls until it sees the outcome). */
const KEEP_MS = 15 * 60_000;
const KEEP_MAX = 50;

function outcomeOf(err: unknown): ImportOutcome {
  if (err instanceof ImportRefusedError) return { ok: false, status: 422, code: err.code, message: err.message };
  return { ok: false, status: 500, code: "import_failed", message: `the import failed: ${(err as Error).message ?? String(err)}` };
}

/**
 * Imports of uploaded .tlog files, one at a time (each streams its file through a worker thread: two at once would
 * only share the same disk and cores), with their progress readable by id while they run and for a while after.
 */
export class ImportJobs {
  private readonly jobs = new Map<string, { job: ImportJob; finishedAt: number | null }>();
  private slotTaken = false;
  private readonly running = new Set<AbortController>();
  private background: Promise<void> = Promise.resolve();

  /** `maxBytes`: the largest upload accepted (--import-max-bytes). */
  constructor(private readonly deps: ImportDeps, readonly maxBytes: number) {}

  /** Null while another import (or its upload) is in progress. */
  claim(): ImportSlot | null {
    if (this.slotTaken) return null;
    this.slotTaken = true;
    let used = false;
    return {
      start: (request, owner) => {
        if (used) throw new Error("import slot already used");
        used = true;
        return this.run(request, owner);
      },
      release: () => {
        if (!used) this.slotTaken = false;
        used = true;
      },
    };
  }

  /** The job, to its owner only (another reviewer's upload is not theirs to watch). */
  get(id: string, owner: string): ImportJob | null {
    this.prune();
    const entry = this.jobs.get(id);
    return entry && entry.job.owner === owner ? entry.job : null;
  }

  /**
   * At start: removes what interrupted imports left, and writes again the series of imports the server stopped
   * during (in the background, through the same worker; the import slot is held meanwhile).
   */
  async recover(): Promise<{ removed: string[]; resumed: number; done: Promise<void> }> {
    let swept;
    try {
      swept = await sweepImports(this.deps, this.deps.log);
    } catch (err) {
      // Leftovers stay on disk, invisible (no row, no report): not a reason to keep the ground station down.
      this.deps.log.error({ err }, "could not sweep unfinished imports");
      return { removed: [], resumed: 0, done: Promise.resolve() };
    }
    const series = this.deps.series;
    if (swept.seriesPending.length > 0 && series !== undefined) {
      this.slotTaken = true;
      const controller = new AbortController();
      this.running.add(controller);
      this.background = (async () => {
        for (const report of swept.seriesPending) {
          if (controller.signal.aborted) break;
          const thread = new ImportThread();
          const stop = () => void thread.close();
          controller.signal.addEventListener("abort", stop);
          try {
            const done = await writeImportSeries({ ...this.deps, series }, thread, report, { replace: true, signal: controller.signal });
            this.deps.log.info({ sha256: report.sha256, points: done.series?.points }, "imported flights' series written after a restart");
          } catch (err) {
            this.deps.log.error({ err, sha256: report.sha256 }, "imported flights' series not written");
          } finally {
            controller.signal.removeEventListener("abort", stop);
            await thread.close();
          }
        }
      })().finally(() => {
        this.running.delete(controller);
        this.slotTaken = false;
      });
    }
    return { removed: swept.removed, resumed: swept.seriesPending.length, done: this.background };
  }

  /** Stops what runs: what it leaves is removed (or resumed) by recover() at the next start. */
  async close(): Promise<void> {
    for (const c of this.running) c.abort();
    await Promise.allSettled([...this.jobs.values()].map((e) => e.job.done));
    await this.background;
  }

  private run(request: ImportRequest, owner: string): ImportJob {
    const id = randomBytes(12).toString("hex");
    const controller = new AbortController();
    this.running.add(controller);
    let progress: ImportProgress = { phase: "reading", bytes: 0, totalBytes: 0, packets: 0, flights: 0, seriesPoints: 0 };
    let outcome: ImportOutcome | null = null;
    const done = importTlog(this.deps, request, (p) => { progress = p; }, controller.signal).then(
      (report): ImportOutcome => ({ ok: true, status: report.duplicate ? 200 : 201, report }),
      outcomeOf,
    ).then(async (o) => {
      outcome = o;
      // An upload: moved into imports/ by a completed import, else it goes now.
      if (request.move === true) await rm(request.path, { force: true }).catch(() => {});
      return o;
    }).finally(() => {
      this.running.delete(controller);
      this.slotTaken = false;
      const entry = this.jobs.get(id);
      if (entry) entry.finishedAt = this.deps.clock();
    });
    const job: ImportJob = {
      id, owner, done,
      status: () => ({
        id, name: request.name, ...progress,
        phase: outcome === null ? progress.phase : outcome.ok ? "done" : "failed",
        result: outcome === null ? null : outcome.ok
          ? { status: outcome.status, body: outcome.report }
          : { status: outcome.status, body: { error: { code: outcome.code, message: outcome.message } } },
      }),
    };
    this.prune();
    this.jobs.set(id, { job, finishedAt: null });
    return job;
  }

  private prune(): void {
    const now = this.deps.clock();
    const finished = [...this.jobs.entries()].filter(([, e]) => e.finishedAt !== null);
    for (const [id, e] of finished) if (now - e.finishedAt! > KEEP_MS) this.jobs.delete(id);
    for (const [id] of finished.slice(0, Math.max(0, finished.length - KEEP_MAX))) this.jobs.delete(id);
  }
}
