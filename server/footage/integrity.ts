/**
 * The integrity sweep of stored footage: every original, sidecar and derivative in the evidence store is read again in full and
 * its SHA-256 compared with the one it was stored under (its name). Hashing runs in a worker thread, one file at a
 * time with a pause between files, so a sweep of terabytes never takes more than one core or starves the event loop.
 * A file altered or missing marks its footage (the routes that serve it answer 409), raises a critical alert, and is
 * written to the audit log once per failure found; each sweep ends with one audit entry of its counts.
 */
import type { EvidenceSweepResult, FootageCheckState } from "../protocol";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { FootageSummary } from "../protocol";
import type { Db } from "../storage";
import type { HashResult } from "./hash-worker";

export type { EvidenceSweepResult, FootageCheckState };

export interface SweepOptions {
  /** Between two sweeps; 0: no periodic sweep (POST /api/evidence/sweep still runs one). */
  everyMs: number;
  /** The first sweep after start-up, late enough not to compete with it. */
  startDelayMs: number;
  /** Pause between two files: the disk and the core go back to the server for a moment. */
  pauseMs: number;
}

export const SWEEP_DEFAULTS: SweepOptions = { everyMs: 24 * 3_600_000, startDelayMs: 10 * 60_000, pauseMs: 100 };

export interface EvidenceIntegrityDeps {
  db: Db;
  footage: { all(): FootageSummary[] };
  sidecarSha(footageId: number): string | null;
  /** The footage's derivatives (clips, browser copies): evidence copies, checked like the original. */
  derivativeShas?(footageId: number): string[];
  evidence: { locate(sha256: string): Promise<string | null> };
  /** SHA-256 and size of a file, read in a worker (server/footage/hash.ts). */
  hash(file: string, signal: AbortSignal): Promise<HashResult>;
  audit: { record(input: AuditInput): void };
  /** The evidence alert: text while any file fails, null once none does. */
  alert(problem: string | null): void;
  log: Logger;
  now: () => number;
  options?: Partial<SweepOptions>;
}

interface CheckRow { footage_id: number; state: FootageCheckState; problem: string | null; audited: string | null }

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const done = () => {
    clearTimeout(t);
    signal.removeEventListener("abort", done);
    resolve();
  };
  const t = setTimeout(done, ms);
  signal.addEventListener("abort", done, { once: true });
});

/** A signal for one file, aborted with the sweep's: the worker's listener goes with the file, not onto the sweep's. */
async function withFileSignal<T>(sweep: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const file = new AbortController();
  const abort = () => file.abort();
  sweep.addEventListener("abort", abort, { once: true });
  try {
    return await work(file.signal);
  } finally {
    sweep.removeEventListener("abort", abort);
  }
}

export class EvidenceIntegrity {
  private readonly options: SweepOptions;
  private running: Promise<EvidenceSweepResult> | null = null;
  private readonly abort = new AbortController();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: EvidenceIntegrityDeps) {
    this.options = { ...SWEEP_DEFAULTS, ...deps.options };
  }

  /** Why footage must not be served (its last check failed), or null. */
  refusal(footageId: number): string | null {
    const r = this.deps.db.prepare<[number], CheckRow>("SELECT * FROM footage_integrity WHERE footage_id = ?").get(footageId);
    return r && r.state !== "ok" ? `footage ${footageId} failed its integrity check: ${r.problem ?? r.state}` : null;
  }

  /** The last sweep finished, or null before the first. */
  last(): EvidenceSweepResult | null {
    const r = this.deps.db.prepare<[], { result: string }>("SELECT result FROM evidence_sweeps ORDER BY id DESC LIMIT 1").get();
    return r ? (JSON.parse(r.result) as EvidenceSweepResult) : null;
  }

  /** Whether a sweep is under way. */
  busy(): boolean {
    return this.running !== null;
  }

  /** Runs a sweep now; a sweep already under way is the one answered (one at a time). */
  sweep(by: string, address = ""): Promise<EvidenceSweepResult> {
    this.running ??= this.run(by, address).finally(() => { this.running = null; });
    return this.running;
  }

  start(): void {
    if (this.options.everyMs <= 0) return;
    const run = () => void this.sweep("system").catch((err: unknown) => this.deps.log.error({ err }, "evidence integrity sweep failed"));
    this.timers.push(setTimeout(run, this.options.startDelayMs), setInterval(run, this.options.everyMs));
    for (const t of this.timers) t.unref();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }

  private async run(by: string, address: string): Promise<EvidenceSweepResult> {
    const out: EvidenceSweepResult = {
      startedAt: this.deps.now(), finishedAt: 0, startedBy: by, footage: 0, files: 0, bytes: 0, ok: 0, altered: 0, missing: 0, failures: [], abandoned: false,
    };
    for (const f of this.deps.footage.all()) {
      if (f.deleted) continue;
      if (this.abort.signal.aborted) {
        out.abandoned = true;
        break;
      }
      out.footage++;
      const parts: [string, string][] = [["original", f.sha256]];
      const side = this.deps.sidecarSha(f.id);
      if (side) parts.push(["sidecar", side]);
      for (const sha of this.deps.derivativeShas?.(f.id) ?? []) parts.push(["derivative", sha]);
      const found = await this.checkFootage(parts, out);
      if (found === "abandoned") {
        out.abandoned = true;
        break;
      }
      this.record(f, found);
      if (found.state === "ok") out.ok++;
      else {
        out[found.state]++;
        out.failures.push({ footageId: f.id, state: found.state, problem: found.problem });
      }
    }
    out.finishedAt = this.deps.now();
    this.deps.db.prepare("INSERT INTO evidence_sweeps (started_at, finished_at, started_by, result) VALUES (?, ?, ?, ?)")
      .run(out.startedAt, out.finishedAt, by, JSON.stringify(out));
    this.deps.audit.record({ actor: by, address, action: "evidence_integrity_checked", target: "evidence", result: out.failures.length === 0 ? "ok" : "failed",
      detail: { footage: out.footage, files: out.files, bytes: out.bytes, ok: out.ok, altered: out.altered, missing: out.missing, abandoned: out.abandoned } });
    this.alertNow();
    this.deps.log.info({ ...out, failures: out.failures.length }, "evidence integrity sweep");
    return out;
  }

  /** Each file of one footage, one after the other; the first failure is what the footage is marked with. */
  private async checkFootage(parts: [string, string][], out: EvidenceSweepResult): Promise<{ state: FootageCheckState; problem: string } | "abandoned"> {
    let worst: { state: FootageCheckState; problem: string } = { state: "ok", problem: "" };
    for (const [part, sha] of parts) {
      const file = await this.deps.evidence.locate(sha);
      if (file === null) {
        if (worst.state === "ok") worst = { state: "missing", problem: `${part} ${sha} is not in the evidence store` };
        continue;
      }
      let got: HashResult;
      try {
        got = await withFileSignal(this.abort.signal, (signal) => this.deps.hash(file, signal));
      } catch (err) {
        if (this.abort.signal.aborted) return "abandoned";
        // Vanished between locate and read, or unreadable: as good as missing for a court.
        if (worst.state === "ok") worst = { state: "missing", problem: `${part} ${sha} could not be read: ${(err as Error).message}` };
        continue;
      }
      out.files++;
      out.bytes += got.sizeBytes;
      if (got.sha256 !== sha && worst.state === "ok") worst = { state: "altered", problem: `${part} ${sha} now reads as ${got.sha256} (${got.sizeBytes} bytes)` };
      await sleep(this.options.pauseMs, this.abort.signal);
    }
    return worst;
  }

  /** Keeps the footage's state; a failure not reported before goes to the audit log (once, not each sweep). */
  private record(f: FootageSummary, found: { state: FootageCheckState; problem: string }): void {
    const before = this.deps.db.prepare<[number], CheckRow>("SELECT * FROM footage_integrity WHERE footage_id = ?").get(f.id);
    const key = found.state === "ok" ? null : `${found.state}:${found.problem}`;
    this.deps.db.prepare(`INSERT INTO footage_integrity (footage_id, state, checked_at, problem, audited) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (footage_id) DO UPDATE SET state = excluded.state, checked_at = excluded.checked_at, problem = excluded.problem, audited = excluded.audited`)
      .run(f.id, found.state, this.deps.now(), found.state === "ok" ? null : found.problem, key);
    if (key === null || before?.audited === key) return;
    this.deps.log.error({ footage: f.id, sha256: f.sha256, problem: found.problem }, "stored footage does not match its hash");
    this.deps.audit.record({ actor: "system", address: "", action: "evidence_integrity_failed", target: `footage:${f.id}`, result: found.state,
      detail: { sha256: f.sha256, problem: found.problem } });
  }

  private alertNow(): void {
    const failing = this.deps.db.prepare<[], { footage_id: number }>(`SELECT i.footage_id FROM footage_integrity i
      JOIN footage f ON f.id = i.footage_id WHERE i.state <> 'ok' AND f.deleted_at IS NULL ORDER BY i.footage_id`).all();
    this.deps.alert(failing.length === 0 ? null
      : `Evidence integrity: ${failing.length} stored footage file${failing.length === 1 ? "" : "s"} altered or missing `
        + `(footage ${failing.slice(0, 10).map((r) => r.footage_id).join(", ")}${failing.length > 10 ? ", ..." : ""}): served to no one until resolved`);
  }
}
