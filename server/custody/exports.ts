/**
 * Bundle exports as jobs: one built at a time (they copy and hash gigabytes), a few waiting, the outcome of the
 * recent ones kept for the page to follow. The bundles themselves stay under <data dir>/exports/.
 */
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { z } from "zod";
import { BundleError, buildBundle } from "./bundle";
import type { BundleListing, ExportJob } from "../protocol";
import type { BundleDeps } from "./bundle";

/** A bundle's name as buildBundle makes it: the reference's slug and a UTC stamp; nothing else is ever served. */
export const BUNDLE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

/** Beside each bundle folder, what the listing shows, so that listing does not read every manifest. */
const infoSchema = z.object({
  name: z.string(), createdAt: z.number(), incidentId: z.number().int(), reference: z.string(), createdBy: z.string(),
  files: z.number().int(), bytes: z.number(),
}).strict();
const infoFile = (dir: string, name: string) => path.join(dir, `${name}.info.json`);

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
        const reference = (await this.deps.incident(incidentId))?.incident.reference ?? String(incidentId);
        const info: BundleListing = { name: r.name, createdAt: this.deps.now(), incidentId, reference, createdBy: who.name, files: r.files, bytes: r.bytes };
        await fs.promises.writeFile(infoFile(this.deps.exportsDir, r.name), JSON.stringify(info), { flag: "wx" });
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

  /** Finished bundles on disk (of one incident, or all), newest first. */
  async list(incidentId?: number): Promise<BundleListing[]> {
    const names = await fs.promises.readdir(this.deps.exportsDir).catch(() => [] as string[]);
    const out: BundleListing[] = [];
    for (const name of names.filter((n) => BUNDLE_NAME.test(n))) {
      const info = await this.info(name);
      if (info && (incidentId === undefined || info.incidentId === incidentId)) out.push(info);
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** A finished bundle's folder and listing, or null when there is no such bundle. */
  async bundle(name: string): Promise<{ dir: string; info: BundleListing } | null> {
    if (!BUNDLE_NAME.test(name)) return null;
    const dir = path.join(this.deps.exportsDir, name);
    const st = await fs.promises.stat(dir).catch(() => null);
    const info = st?.isDirectory() ? await this.info(name) : null;
    return info ? { dir, info } : null;
  }

  private async info(name: string): Promise<BundleListing | null> {
    const text = await fs.promises.readFile(infoFile(this.deps.exportsDir, name), "utf8").catch(() => null);
    if (text === null) return null;
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // reported below as unreadable
    }
    const parsed = infoSchema.safeParse(json);
    if (parsed.success && parsed.data.name === name) return parsed.data;
    this.deps.log.warn({ bundle: name }, "bundle listing unreadable");
    return null;
  }

  async stop(): Promise<void> {
    await this.chain;
  }

  private prune(): void {
    const done = [...this.jobs.values()].filter((j) => j.state === "done" || j.state === "failed");
    for (const j of done.slice(0, Math.max(0, this.jobs.size - KEEP_JOBS))) this.jobs.delete(j.id);
  }
}
