/**
 * Derivative jobs: clips and browser copies made by ffmpeg from a stored original, one at a time (ffmpeg takes a
 * core; the server needs the other), in a bounded queue. Each writes to a scratch file under the data directory;
 * only a complete output is hashed (worker thread), probed, taken into the evidence store write-once and recorded
 * with the command that made it. A failed or cancelled ffmpeg leaves nothing behind but its audit entry.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { DerivativeJob, FootageDerivative, FootageSummary } from "../protocol";
import type { FootageDerivativeStore } from "./derivative-store";
import type { EvidenceStore } from "./evidence-store";
import { derivativeArgs } from "./ffmpeg-args";
import type { DerivativeSpec } from "./ffmpeg-args";
import { runFfmpeg } from "./ffmpeg-run";
import { sha256OfFile } from "./hash";
import { ffmpegVersion, probeFile } from "./probe";

/** Requests waiting behind the running one; beyond this a request is refused (429). */
export const MAX_WAITING = 16;
/** Finished jobs remembered per server run, for the page's list (the made derivatives are the record). */
const MAX_FINISHED = 200;
/** Room left on the disk after a derivative, as for uploads: the database, recordings and audit log need it. */
export const DERIVATIVE_DISK_RESERVE_BYTES = 2 * 1024 ** 3;
/** ffmpeg at most this many times the media's length (nice'd, on a busy machine), and never under 10 minutes. */
const TIMEOUT_FACTOR = 20;

export type DerivativeRefusal = { refused: true; status: number; code: string; message: string };
export const isDerivativeRefusal = (r: unknown): r is DerivativeRefusal => typeof r === "object" && r !== null && "refused" in r;
const refuse = (status: number, code: string, message: string): DerivativeRefusal => ({ refused: true, status, code, message });

export interface DerivativesDeps {
  store: FootageDerivativeStore;
  evidence: EvidenceStore;
  /** Where ffmpeg writes before the output is adopted: on the evidence store's file system (a link, not a copy). */
  scratchDir: string;
  audit: { record(input: AuditInput): void };
  log: Logger;
  now: () => number;
  /** Free bytes on the data directory's disk. */
  freeBytes?: () => Promise<number>;
}

interface Queued {
  job: DerivativeJob;
  footage: FootageSummary;
  spec: DerivativeSpec;
  address: string;
}

export class FootageDerivatives {
  private readonly waiting: Queued[] = [];
  private readonly jobs = new Map<string, DerivativeJob>();
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private version: string | null = null;

  constructor(private readonly deps: DerivativesDeps) {
    // Scratch files of a run that was stopped mid-way are incomplete: nothing there is kept across a restart.
    fs.rmSync(deps.scratchDir, { recursive: true, force: true });
    fs.mkdirSync(deps.scratchDir, { recursive: true });
  }

  /**
   * Queues a derivative of `footage` (the caller has checked the range). Returns once queued (ffmpeg has not
   * started) with the job, or the refusal: the queue is full, or a browser copy exists or is on its way.
   */
  async request(footage: FootageSummary, spec: DerivativeSpec, reason: string, who: { name: string; address: string }): Promise<DerivativeJob | DerivativeRefusal> {
    if (this.abort.signal.aborted) return refuse(503, "stopping", "the server is stopping");
    if (footage.deleted) return refuse(410, "deleted", `footage ${footage.id} was deleted under retention`);
    if (spec.kind === "browser") {
      const made = await this.deps.store.browserCopy(footage.id);
      if (made !== null) return refuse(409, "already_made", `footage ${footage.id} has a browser copy already (derivative ${made})`);
      // From here to the push below nothing is awaited: a request racing this one sees its job queued.
      if (this.abort.signal.aborted) return refuse(503, "stopping", "the server is stopping");
      const queued = [...this.jobs.values()].find((j) => j.footageId === footage.id && j.kind === "browser" && (j.state === "waiting" || j.state === "running"));
      if (queued) return refuse(409, "already_queued", `a browser copy of footage ${footage.id} is ${queued.state} (job ${queued.id})`);
    }
    if (this.waiting.length >= MAX_WAITING) return refuse(429, "queue_full", `${this.waiting.length} derivatives are waiting already (at most ${MAX_WAITING}): try again later`);
    const job: DerivativeJob = {
      id: randomUUID(), footageId: footage.id, kind: spec.kind, fromS: spec.kind === "clip" ? spec.fromS : null, toS: spec.kind === "clip" ? spec.toS : null,
      reason, requestedBy: who.name, requestedAt: this.deps.now(), state: "waiting", progress: 0, derivativeId: null, message: null,
    };
    this.remember(job);
    this.waiting.push({ job, footage, spec, address: who.address });
    this.audit(job, who.address, "footage_derivative_requested", "ok", { job: job.id, kind: job.kind, from: job.fromS, to: job.toS, reason, parent: footage.sha256 });
    this.pump();
    return job;
  }

  /** The jobs of one footage file this run (waiting, running, and finished ones). */
  jobsOf(footageId: number): DerivativeJob[] {
    return [...this.jobs.values()].filter((j) => j.footageId === footageId).map((j) => ({ ...j }));
  }

  job(id: string): DerivativeJob | null {
    const j = this.jobs.get(id);
    return j ? { ...j } : null;
  }

  /** Jobs waiting or running (for health and tests). */
  backlog(): number {
    return this.waiting.length + (this.running ? 1 : 0);
  }

  /** Stops the running ffmpeg and cancels the waiting: on shutdown. */
  async stop(): Promise<void> {
    this.abort.abort();
    for (const q of this.waiting.splice(0)) this.settle(q, "cancelled", "cancelled: the server stopped before it started");
    await this.running;
  }

  private pump(): void {
    if (this.running || this.waiting.length === 0) return;
    const next = this.waiting.shift()!;
    this.running = this.make(next).catch((err: unknown) => {
      if (this.abort.signal.aborted) return this.settle(next, "cancelled", "cancelled: the server is stopping");
      this.deps.log.error({ err, job: next.job.id }, "derivative job failed unexpectedly");
      this.settle(next, "failed", `failed: ${(err as Error).message}`);
    }).finally(() => {
      this.running = null;
      this.pump();
    });
  }

  private async make(q: Queued): Promise<void> {
    const { job, footage, spec } = q;
    job.state = "running";
    const input = await this.deps.evidence.locate(footage.sha256);
    if (input === null) return this.settle(q, "failed", `the original of footage ${footage.id} is not in the evidence store`);
    const durationS = spec.kind === "clip" ? spec.toS - spec.fromS : footage.probe.durationS;
    const room = await this.room(footage.sizeBytes * Math.min(1, durationS / Math.max(footage.probe.durationS, 0.001)) * 2);
    if (room !== null) return this.settle(q, "failed", room);
    // A derivative's record names its parent by hash: the parent is read in full first, and one altered since it
    // was stored is not worked on (the integrity sweep reports it).
    const parent = await sha256OfFile(input, this.abort.signal);
    if (parent.sha256 !== footage.sha256) {
      return this.settle(q, "failed", `the stored original of footage ${footage.id} no longer has its SHA-256 (${parent.sha256}, stored as ${footage.sha256}): nothing made from it`);
    }
    this.version ??= await ffmpegVersion().catch(() => null);
    if (this.version === null) return this.settle(q, "failed", "ffmpeg is not installed (Debian package ffmpeg)");
    const scratch = path.join(this.deps.scratchDir, `${job.id}.mp4`);
    const argv = derivativeArgs(spec, input, scratch);
    try {
      const outcome = await runFfmpeg(argv, {
        durationS, signal: this.abort.signal, timeoutMs: Math.max(600_000, durationS * 1000 * TIMEOUT_FACTOR),
        onProgress: (f) => { job.progress = f; },
      });
      if (!outcome.ok) return this.settle(q, outcome.cancelled ? "cancelled" : "failed", outcome.message);
      const probe = await probeFile(scratch);
      if (!probe.ok) return this.settle(q, "failed", `ffmpeg's output does not read: ${probe.reason}`);
      const hash = await sha256OfFile(scratch, this.abort.signal);
      await this.deps.evidence.adopt(scratch, hash.sha256);
      const made: FootageDerivative = await this.deps.store.add({
        footageId: footage.id, kind: spec.kind, fromS: job.fromS, toS: job.toS, parentSha256: footage.sha256, sha256: hash.sha256, sizeBytes: hash.sizeBytes,
        command: argv, ffmpegVersion: this.version, probe: probe.probe, requestedBy: job.requestedBy, requestedAt: job.requestedAt, madeAt: this.deps.now(), reason: job.reason,
      });
      job.derivativeId = made.id;
      job.progress = 1;
      this.settle(q, "done", null, { derivative: made.id, sha256: made.sha256, size: made.sizeBytes, durationS: made.probe.durationS, version: made.ffmpegVersion });
      this.deps.log.info({ footage: footage.id, derivative: made.id, kind: made.kind, sha256: made.sha256 }, "footage derivative made");
    } finally {
      // Adopted: the store holds its own link and this name is gone already. Otherwise: nothing half-made stays.
      await fs.promises.rm(scratch, { force: true });
    }
  }

  /** Why there is no room for about `bytes` more, or null when there is. */
  private async room(bytes: number): Promise<string | null> {
    const free = await (this.deps.freeBytes ?? (async () => {
      const s = await fs.promises.statfs(this.deps.scratchDir);
      return s.bavail * s.bsize;
    }))();
    if (free - bytes >= DERIVATIVE_DISK_RESERVE_BYTES) return null;
    return `not enough room on the server's disk (${free} bytes free, about ${Math.round(bytes)} needed and ${DERIVATIVE_DISK_RESERVE_BYTES} kept in reserve)`;
  }

  private settle(q: Queued, state: "done" | "failed" | "cancelled", message: string | null, detail: NonNullable<AuditInput["detail"]> = {}): void {
    q.job.state = state;
    q.job.message = message;
    if (state === "done") {
      this.audit(q.job, q.address, "footage_derivative_made", "ok", { job: q.job.id, kind: q.job.kind, from: q.job.fromS, to: q.job.toS, parent: q.footage.sha256, ...detail });
      return;
    }
    this.audit(q.job, q.address, "footage_derivative_failed", state, { job: q.job.id, kind: q.job.kind, from: q.job.fromS, to: q.job.toS, reason: (message ?? "").slice(0, 2000) });
    this.deps.log.warn({ footage: q.job.footageId, job: q.job.id, state, message }, "footage derivative not made");
  }

  private remember(job: DerivativeJob): void {
    this.jobs.set(job.id, job);
    if (this.jobs.size <= MAX_FINISHED) return;
    for (const [id, j] of this.jobs) {
      if (j.state !== "waiting" && j.state !== "running") {
        this.jobs.delete(id);
        if (this.jobs.size <= MAX_FINISHED) break;
      }
    }
  }

  private audit(job: DerivativeJob, address: string, action: AuditInput["action"], result: string, detail: NonNullable<AuditInput["detail"]>): void {
    this.deps.audit.record({ actor: job.requestedBy, address, action, target: `footage:${job.footageId}`, result, detail });
  }
}
