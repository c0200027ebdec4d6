/**
 * The integrity sweep of stored footage: every original, sidecar and derivative in the evidence store is read again in full and
 * its SHA-256 compared with the one it was stored under (its name). Hashing runs in a worker thread, one file at a
 * time with a pause between files, so a sweep of terabytes never takes more than one core or starves the event loop.
 * A file altered or missing marks its footage (the routes that serve it answer 409), raises a critical alert, and is
 * written to the audit log once per failure found; each sweep ends with one audit entry of its counts.
 *
 * The footage's last state and the sweeps are in the application database (SQLite or PostgreSQL). Servers sharing
 * a PostgreSQL may sweep at once: a footage's state is read and written under one advisory lock, so a failure is
 * written to the audit log once whichever server finds it first.
 */
import type { EvidenceSweepResult, FootageCheckState } from "../protocol";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { FootageSummary } from "../protocol";
import type { Kysely } from "kysely";
import type { AppSql } from "../storage";
import type { HashResult } from "./hash-worker";
import type { FootageTables } from "./tables";

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
  sql: AppSql;
  footage: { all(): Promise<FootageSummary[]> };
  sidecarSha(footageId: number): Promise<string | null>;
  /** The footage's derivatives (clips, browser copies): evidence copies, checked like the original. */
  derivativeShas?(footageId: number): Promise<string[]>;
  evidence: { locate(sha256: string): Promise<string | null> };
  /** SHA-256 and size of a file, read in a worker (server/footage/hash.ts). */
  hash(file: string, signal: AbortSignal): Promise<HashResult>;
  audit: { record(input: AuditInput): void };
  /** The evidence alert: text while any file fails, null once none does. */
  alert(problem: string | null): void;
  log: Logger;
  now: () => number;
  options?: Partial<SweepOptions>;
  /**
   * Several servers sharing the files: whether this server's periodic sweep is the one to run this period (one of
   * them reads every file, not each). A sweep asked for by a user always runs.
   */
  turn?: (periodMs: number) => Promise<boolean>;
}

/** Taken while a footage's state is read and written: "audited once" spans the read and the write. */
const INTEGRITY_LOCK = "dmc:evidence-integrity";

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
  private readonly db: Kysely<FootageTables>;

  constructor(private readonly deps: EvidenceIntegrityDeps) {
    this.options = { ...SWEEP_DEFAULTS, ...deps.options };
    this.db = deps.sql.kysely<FootageTables>();
  }

  /** Why footage must not be served (its last check failed), or null. */
  async refusal(footageId: number): Promise<string | null> {
    const r = await this.db.selectFrom("footage_integrity").select(["state", "problem"]).where("footage_id", "=", footageId).executeTakeFirst();
    return r && r.state !== "ok" ? `footage ${footageId} failed its integrity check: ${r.problem ?? r.state}` : null;
  }

  /** The last sweep finished, or null before the first. */
  async last(): Promise<EvidenceSweepResult | null> {
    const r = await this.db.selectFrom("evidence_sweeps").select("result").orderBy("id", "desc").limit(1).executeTakeFirst();
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
    const turn = this.deps.turn ?? (() => Promise.resolve(true));
    // Asked a little short of the period, so that the next period's turn is free again when it comes.
    const run = () => void turn(this.options.everyMs * 0.9).then((mine) => mine ? this.sweep("system") : undefined)
      .catch((err: unknown) => this.deps.log.error({ err }, "evidence integrity sweep failed"));
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
    for (const f of await this.deps.footage.all()) {
      if (f.deleted) continue;
      if (this.abort.signal.aborted) {
        out.abandoned = true;
        break;
      }
      out.footage++;
      const parts: [string, string][] = [["original", f.sha256]];
      const side = await this.deps.sidecarSha(f.id);
      if (side) parts.push(["sidecar", side]);
      for (const sha of await this.deps.derivativeShas?.(f.id) ?? []) parts.push(["derivative", sha]);
      const found = await this.checkFootage(parts, out);
      if (found === "abandoned") {
        out.abandoned = true;
        break;
      }
      await this.record(f, found);
      if (found.state === "ok") out.ok++;
      else {
        out[found.state]++;
        out.failures.push({ footageId: f.id, state: found.state, problem: found.problem });
      }
    }
    out.finishedAt = this.deps.now();
    await this.db.insertInto("evidence_sweeps").values({ started_at: out.startedAt, finished_at: out.finishedAt, started_by: by, result: JSON.stringify(out) }).execute();
    this.deps.audit.record({ actor: by, address, action: "evidence_integrity_checked", target: "evidence", result: out.failures.length === 0 ? "ok" : "failed",
      detail: { footage: out.footage, files: out.files, bytes: out.bytes, ok: out.ok, altered: out.altered, missing: out.missing, abandoned: out.abandoned } });
    await this.alertNow();
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
  private async record(f: FootageSummary, found: { state: FootageCheckState; problem: string }): Promise<void> {
    const key = found.state === "ok" ? null : `${found.state}:${found.problem}`;
    const checkedAt = this.deps.now();
    const before = await this.deps.sql.exclusive(this.db, INTEGRITY_LOCK, async (tx) => {
      const was = await tx.selectFrom("footage_integrity").select("audited").where("footage_id", "=", f.id).executeTakeFirst();
      await tx.insertInto("footage_integrity").values({ footage_id: f.id, state: found.state, checked_at: checkedAt, problem: found.state === "ok" ? null : found.problem, audited: key })
        .onConflict((oc) => oc.column("footage_id").doUpdateSet((eb) => ({
          state: eb.ref("excluded.state"), checked_at: eb.ref("excluded.checked_at"), problem: eb.ref("excluded.problem"), audited: eb.ref("excluded.audited"),
        }))).execute();
      return was;
    });
    if (key === null || before?.audited === key) return;
    this.deps.log.error({ footage: f.id, sha256: f.sha256, problem: found.problem }, "stored footage does not match its hash");
    this.deps.audit.record({ actor: "system", address: "", action: "evidence_integrity_failed", target: `footage:${f.id}`, result: found.state,
      detail: { sha256: f.sha256, problem: found.problem } });
  }

  private async alertNow(): Promise<void> {
    const failing = await this.db.selectFrom("footage_integrity as i").innerJoin("footage as f", "f.id", "i.footage_id").select("i.footage_id")
      .where("i.state", "<>", "ok").where("f.deleted_at", "is", null).orderBy("i.footage_id").execute();
    this.deps.alert(failing.length === 0 ? null
      : `Evidence integrity: ${failing.length} stored footage file${failing.length === 1 ? "" : "s"} altered or missing `
        + `(footage ${failing.slice(0, 10).map((r) => r.footage_id).join(", ")}${failing.length > 10 ? ", ..." : ""}): served to no one until resolved`);
  }
}
