/**
 * Bundle exports as jobs: one built at a time (they copy and hash gigabytes), a few waiting, the outcome of the
 * recent ones kept for the page to follow. The bundles themselves stay under <data dir>/exports/.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { BundleError, buildBundle } from "./bundle";
import type { BundleDeps, BundleResult } from "./bundle";

export interface ExportJob {
  id: string;
  incidentId: number;
  by: string;
  state: "waiting" | "building" | "done" | "failed";
  startedAt: number;
  finishedAt: number | null;
  result: Pick<BundleResult, "name" | "files" | "bytes"> | null;
  /** Why it failed, in words. */
  message: string | null;
}

export interface BundleListing {
  name: string;
  createdAt: number;
}

const MAX_WAITING = 4;
const KEEP_JOBS = 50;

export class ExportJobs {
  private readonly jobs = new Map<string, ExportJob>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: BundleDeps & { log: Logger }) {}

  start(incidentId: number, who: { name: string; address: string }): ExportJob | null {
    const waiting = [...this.jobs.values()].filter((j) => j.state === "waiting" || j.state === "building").length;
    if (waiting > MAX_WAITING) return null;
    const job: ExportJob = { id: randomUUID(), incidentId, by: who.name, state: "waiting", startedAt: this.deps.now(), finishedAt: null, result: null, message: null };
    this.jobs.set(job.id, job);
    this.prune();
    this.chain = this.chain.then(async () => {
      job.state = "building";
      try {
        const r = await buildBundle(incidentId, who, this.deps);
        Object.assign(job, { state: "done", result: { name: r.name, files: r.files, bytes: r.bytes } });
        this.deps.log.info({ incident: incidentId, bundle: r.name, files: r.files, bytes: r.bytes }, "evidence bundle made");
      } catch (err) {
        const message = err instanceof BundleError ? err.message : `the bundle could not be made: ${(err as Error).message}`;
        Object.assign(job, { state: "failed", message });
        this.deps.log.warn({ err, incident: incidentId }, "evidence bundle not made");
      }
      job.finishedAt = this.deps.now();
    });
    return job;
  }

  get(id: string): ExportJob | null {
    return this.jobs.get(id) ?? null;
  }

  /** Finished bundles on disk, newest first. */
  async list(): Promise<BundleListing[]> {
    const names = await fs.promises.readdir(this.deps.exportsDir).catch(() => [] as string[]);
    const out: BundleListing[] = [];
    for (const name of names.filter((n) => !n.endsWith(".partial"))) {
      const st = await fs.promises.stat(path.join(this.deps.exportsDir, name)).catch(() => null);
      if (st?.isDirectory()) out.push({ name, createdAt: st.mtimeMs });
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  async stop(): Promise<void> {
    await this.chain;
  }

  private prune(): void {
    const done = [...this.jobs.values()].filter((j) => j.state === "done" || j.state === "failed");
    for (const j of done.slice(0, Math.max(0, this.jobs.size - KEEP_JOBS))) this.jobs.delete(j.id);
  }
}
