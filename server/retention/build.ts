import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { FootageParts } from "../footage";
import type { IncidentStore } from "../incidents";
import type { Db } from "../storage";
import { Retention } from "./service";
import type { RetentionPolicy } from "./service";

export interface RetentionBuildDeps {
  db: Db;
  policy: RetentionPolicy;
  footage: Pick<FootageParts, "catalogue" | "evidence" | "syncs" | "derivedDir">;
  incidents: Pick<IncidentStore, "linksOfItem" | "get">;
  audit: { append(input: AuditInput): unknown };
  log: Logger;
  now: () => number;
  /** How often due deletions are carried out and expired footage queued (default hourly). */
  sweepMs?: number;
}

export interface RetentionParts {
  retention: Retention;
  stop(): void;
}

export function buildRetention(d: RetentionBuildDeps): RetentionParts {
  const log = d.log.child({ part: "retention" });
  const retention = new Retention({
    db: d.db, policy: d.policy, log, now: d.now, audit: d.audit,
    footage: d.footage.catalogue,
    sidecarSha: (id) => d.footage.syncs.sidecar(id)?.sha256 ?? null,
    evidence: d.footage.evidence,
    removeDerived: (sha) => fs.promises.rm(path.join(d.footage.derivedDir, sha), { recursive: true, force: true }),
    links: (kind, id) => d.incidents.linksOfItem(kind, id),
    incident: (id) => d.incidents.get(id),
  });
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    retention.sweep()
      .then((r) => { if (r.deleted + r.blocked + r.queued > 0) log.info(r, "retention sweep"); })
      .catch((err: unknown) => log.error({ err }, "retention sweep failed"))
      .finally(() => { running = false; });
  }, d.sweepMs ?? 3_600_000);
  timer.unref();
  return { retention, stop: () => clearInterval(timer) };
}
