/**
 * Keeping evidence: how long (retention of footage and flights, the deletion queue), whether it is still intact (the
 * periodic re-hash of stored footage) and whether there is room for more (uploads refused on a full disk raise an
 * alert). Each problem is the ground station's own alert.
 */
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { SystemAlert } from "../alerts";
import type { AuditInput } from "../audit";
import type { FootageParts } from "../footage";
import { EvidenceIntegrity, sha256OfFile } from "../footage";
import type { SweepOptions } from "../footage";
import type { FlightParts, RetainedFlight } from "../flights";
import { FlightTombstones } from "../flights";
import type { IncidentStore } from "../incidents";
import { GROUND_STATION_KEY } from "../protocol";
import type { AppSql } from "../storage";
import { Retention } from "./service";
import type { RetentionPolicy } from "./service";

export interface RetentionBuildDeps {
  /** The application database: the deletion queue, flights' tombstones, the evidence sweeps and each footage's last check. */
  sql: AppSql;
  /** Where flights' .tlogs and derived files live (flights are under retention when given with `flights`). */
  dataDir?: string;
  policy: RetentionPolicy;
  footage: Pick<FootageParts, "catalogue" | "evidence" | "syncs" | "derivedDir"> & { uploads?: Pick<FootageParts["uploads"], "watchDisk"> };
  flights?: Pick<FlightParts, "series">;
  incidents: Pick<IncidentStore, "liveLinks">;
  audit: { record(input: AuditInput): void };
  log: Logger;
  now: () => number;
  /** The ground station's alerts (AlertEngine.system). */
  alert?: (topic: string, problem: string | null, time: number, about?: SystemAlert) => void;
  /** How often due deletions are carried out and expired items queued (default hourly). */
  sweepMs?: number;
  /** Hours between two integrity sweeps of stored footage (default 24; 0: only when an admin asks). */
  evidenceSweepHours?: number;
  /** Tests: the sweep's start delay and pause. */
  evidenceSweep?: Partial<SweepOptions>;
  /** Several servers sharing the files: whether this server's periodic evidence sweep is the one to run. */
  evidenceTurn?: (periodMs: number) => Promise<boolean>;
  /** Tests: free bytes of the upload area's disk, in place of statfs. */
  freeBytes?: () => Promise<number>;
}

export interface RetentionParts {
  retention: Retention;
  integrity: EvidenceIntegrity;
  stop(): Promise<void>;
}

const STORAGE: SystemAlert = { key: GROUND_STATION_KEY, rule: "storage_low", severity: "critical" };
const INTEGRITY: SystemAlert = { key: GROUND_STATION_KEY, rule: "evidence_integrity", severity: "critical" };

export function buildRetention(d: RetentionBuildDeps): RetentionParts {
  const log = d.log.child({ part: "retention" });
  const derivativeShas = async (id: number) => ((await d.footage.catalogue.get(id))?.derivatives ?? []).map((x) => x.sha256);
  const sidecarSha = async (id: number) => (await d.footage.syncs.sidecar(id))?.sha256 ?? null;
  const tombstones = d.flights && d.dataDir !== undefined ? new FlightTombstones(d.sql) : null;
  const retention = new Retention({
    sql: d.sql, policy: d.policy, log, now: d.now, audit: d.audit,
    footage: d.footage.catalogue,
    sidecarSha,
    evidence: d.footage.evidence,
    removeDerived: (sha) => fs.promises.rm(path.join(d.footage.derivedDir, sha), { recursive: true, force: true }),
    derivativeShas,
    ...(tombstones && d.flights && d.dataDir !== undefined ? { flights: {
      get: (id) => tombstones.get(id),
      all: () => tombstones.all(),
      markDeleted: (id, t) => tombstones.mark(id, t),
      remove: removeFlight(d.dataDir, d.flights, log),
    } } : {}),
    liveLinks: (of) => d.incidents.liveLinks(of),
  });
  const integrity = new EvidenceIntegrity({
    sql: d.sql, footage: d.footage.catalogue, evidence: d.footage.evidence, audit: d.audit, log: log.child({ part: "evidence-integrity" }), now: d.now,
    sidecarSha,
    derivativeShas,
    hash: (file, signal) => sha256OfFile(file, signal),
    alert: (problem) => d.alert?.("evidence_integrity", problem, d.now(), INTEGRITY),
    options: { ...(d.evidenceSweepHours !== undefined ? { everyMs: d.evidenceSweepHours * 3_600_000 } : {}), ...d.evidenceSweep },
    ...(d.evidenceTurn ? { turn: d.evidenceTurn } : {}),
  });
  integrity.start();
  const unwatch = d.footage.uploads?.watchDisk((problem) => d.alert?.("storage", problem, d.now(), STORAGE), d.freeBytes);
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
  return {
    retention, integrity,
    stop: async () => {
      clearInterval(timer);
      unwatch?.();
      await integrity.stop();
    },
  };
}

/**
 * A flight's .tlog goes, and what was derived from it: its telemetry series, its chart cache and its seek index
 * (named by the file's SHA-256). The row, its seal and the custody log stay.
 */
function removeFlight(dataDir: string, flights: Pick<FlightParts, "series">, log: Logger) {
  const root = path.resolve(dataDir);
  return async (f: RetainedFlight): Promise<string> => {
    const file = path.resolve(root, f.tlogPath);
    // A path outside the data directory (a catalogue row edited by hand) is never deleted.
    if (path.relative(root, file).startsWith("..")) throw new Error(`flight ${f.id}: its .tlog path leaves the data directory`);
    await fs.promises.rm(file, { force: true });
    await flights.series.deleteFlight(f.id).catch((err: unknown) => log.warn({ err, flight: f.id }, "series of a deleted flight not removed"));
    if (f.sha256 !== null) {
      const charts = path.join(root, "derived", "charts");
      const cached = (await fs.promises.readdir(charts).catch(() => [] as string[])).filter((n) => n.startsWith(`${f.sha256}-`));
      for (const name of cached) await fs.promises.rm(path.join(charts, name), { force: true });
      await fs.promises.rm(path.join(root, "index", `${f.sha256}.idx`), { force: true });
    }
    return `.tlog ${f.tlogPath} (sealed ${f.sha256 ?? "never"}) and its series, charts and index deleted; the seal is kept`;
  };
}
