import path from "node:path";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { Db } from "../storage";
import { FootageCatalogue } from "./catalogue";
import { FsEvidenceStore } from "./evidence-store";
import { FootageIngest } from "./ingest";
import { FootageUploads } from "./uploads";
import { FootageSyncStore } from "./sync-store";
import { FootageSyncService } from "./sync-service";

export interface FootageBuildDeps {
  db: Db;
  dataDir: string;
  maxBytes: number;
  audit: { append(input: AuditInput): unknown };
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
  stop(): Promise<void>;
}

const CLEAN_UP_EVERY_MS = 3_600_000;

/** Footage under the data directory: uploads/ (resumable, partial), evidence/originals/ (write-once), derived/footage/. */
export function buildFootage(deps: FootageBuildDeps): FootageParts {
  const log = deps.log.child({ part: "footage" });
  const catalogue = new FootageCatalogue(deps.db);
  const evidence = new FsEvidenceStore(path.join(deps.dataDir, "evidence", "originals"));
  const derivedDir = path.join(deps.dataDir, "derived", "footage");
  let uploads: FootageUploads | null = null;
  const ingest = new FootageIngest({
    catalogue, evidence, derivedDir, audit: deps.audit, log, now: deps.now,
    discard: (id) => uploads?.discard(id) ?? Promise.resolve(),
  });
  uploads = new FootageUploads({ uploadsDir: path.join(deps.dataDir, "uploads"), maxBytes: deps.maxBytes, catalogue, ingest, audit: deps.audit, log, now: deps.now });
  const u = uploads;
  const syncs = new FootageSyncStore(deps.db);
  const sync = new FootageSyncService({
    store: syncs, evidence, scratchDir: path.join(deps.dataDir, "uploads"), derivedDir, audit: deps.audit, log, now: deps.now,
  });
  ingest.recover((id) => u.fileOf(id));
  const timer = setInterval(() => {
    u.cleanUp().catch((err: unknown) => log.warn({ err }, "clean-up of unfinished uploads failed"));
  }, CLEAN_UP_EVERY_MS);
  timer.unref();
  return {
    catalogue, evidence, uploads: u, ingest, derivedDir, syncs, sync,
    stop: async () => {
      clearInterval(timer);
      await ingest.stop();
    },
  };
}
