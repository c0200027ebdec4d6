import path from "node:path";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { FootageSummary } from "../protocol";
import type { AppSql } from "../storage";
import { FootageCatalogue } from "./catalogue";
import { FsEvidenceStore } from "./evidence-store";
import { FootageIngest } from "./ingest";
import { FootageUploads } from "./uploads";
import { FootageSyncStore } from "./sync-store";
import { FootageSyncService } from "./sync-service";
import { FootageDerivativeStore } from "./derivative-store";
import { FootageDerivatives, isDerivativeRefusal } from "./derivatives";
import { ViewAudit } from "./view-audit";

export interface FootageBuildDeps {
  /** The application database (footage rows, uploads, sidecars, offsets, derivatives), on SQLite or PostgreSQL. */
  sql: AppSql;
  dataDir: string;
  maxBytes: number;
  audit: { record(input: AuditInput): void };
  log: Logger;
  now: () => number;
}

export interface FootageParts {
  catalogue: FootageCatalogue;
  evidence: FsEvidenceStore;
  uploads: FootageUploads;
  ingest: FootageIngest;
  /** Posters and thumbnail strips, by SHA-256. */
  derivedDir: string;
  syncs: FootageSyncStore;
  sync: FootageSyncService;
  /** Clips and browser copies (ffmpeg, one at a time) and their rows. */
  derivatives: FootageDerivatives;
  derivativeRows: FootageDerivativeStore;
  /** Which viewings of originals and derivatives are audited (one per user, file and half hour). */
  views: ViewAudit;
  stop(): Promise<void>;
}

const CLEAN_UP_EVERY_MS = 3_600_000;

/**
 * Footage under the data directory: uploads/ (resumable, partial), evidence/originals/ (write-once), derived/footage/.
 * Resolves once the uploads left half-processed by the last run and the browser copies it lost are queued again.
 */
export async function buildFootage(deps: FootageBuildDeps): Promise<FootageParts> {
  const log = deps.log.child({ part: "footage" });
  const catalogue = new FootageCatalogue(deps.sql);
  const evidence = new FsEvidenceStore(path.join(deps.dataDir, "evidence", "originals"));
  const derivedDir = path.join(deps.dataDir, "derived", "footage");
  let uploads: FootageUploads | null = null;
  const derivativeRows = new FootageDerivativeStore(deps.sql);
  const derivatives = new FootageDerivatives({
    store: derivativeRows, evidence, scratchDir: path.join(deps.dataDir, "scratch", "derivatives"), audit: deps.audit, log: log.child({ part: "derivatives" }), now: deps.now,
  });
  // Only queued here: the ingest of the next upload does not wait for a transcode.
  const browserCopy = async (f: FootageSummary): Promise<void> => {
    if (f.probe.browserPlayable) return;
    const job = await derivatives.request(f, { kind: "browser" }, "the original cannot play in a browser", { name: "system", address: "" });
    if (isDerivativeRefusal(job)) log.warn({ footage: f.id, reason: job.message }, "browser copy not queued");
  };
  const ingest = new FootageIngest({
    catalogue, evidence, derivedDir, audit: deps.audit, log, now: deps.now,
    discard: (id) => uploads?.discard(id) ?? Promise.resolve(),
    onStored: (f) => {
      browserCopy(f).catch((err: unknown) => log.warn({ err, footage: f.id }, "browser copy not queued"));
    },
  });
  uploads = new FootageUploads({ uploadsDir: path.join(deps.dataDir, "uploads"), maxBytes: deps.maxBytes, catalogue, ingest, audit: deps.audit, log, now: deps.now });
  const u = uploads;
  const syncs = new FootageSyncStore(deps.sql);
  const sync = new FootageSyncService({
    store: syncs, evidence, scratchDir: path.join(deps.dataDir, "uploads"), derivedDir, audit: deps.audit, log, now: deps.now,
  });
  const stopWork = async () => {
    await ingest.stop();
    await derivatives.stop();
  };
  try {
    await ingest.recover((id) => u.fileOf(id));
    // A browser copy lost to a stop mid-way (jobs live in memory) is asked for again.
    for (const f of await catalogue.all()) {
      if (!f.probe.browserPlayable && !f.deleted && await derivativeRows.browserCopy(f.id) === null) await browserCopy(f);
    }
  } catch (err) {
    // The database failed at start: what was queued already is stopped with the start.
    await stopWork();
    throw err;
  }
  const timer = setInterval(() => {
    u.cleanUp().catch((err: unknown) => log.warn({ err }, "clean-up of unfinished uploads failed"));
  }, CLEAN_UP_EVERY_MS);
  timer.unref();
  return {
    catalogue, evidence, uploads: u, ingest, derivedDir, syncs, sync, derivatives, derivativeRows, views: new ViewAudit(),
    stop: async () => {
      clearInterval(timer);
      await stopWork();
    },
  };
}
