import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { copyFile, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import type { FlightCatalogue } from "./catalogue";
import type { Extracted } from "./import-extract";
import { EXTRACTS_DIR, ORIGINAL_FILE } from "./import-extract";

/** Relative to the data directory: imports/<sha256>.tlog (the original), imports/<sha256>/ (extracts), .json (report). */
export const IMPORTS_DIR = "imports";
/** Work directories of imports in progress, inside imports/: never referred to by a catalogue row. */
export const STAGING_PREFIX = ".staging-";
/** Where uploads are received (http/import-route.ts), relative to the data directory. */
export const UPLOADS_DIR = "tmp";

export const importReportSchema = z.object({
  name: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
  /** The original, byte for byte, relative to the data directory: imports/<sha256>.tlog. */
  storedAs: z.string(),
  importedAt: z.number(),
  /** Valid packets read. */
  packets: z.number(),
  /** What was not valid: bytes skipped, frames with a bad checksum, unknown messages, file cut inside an entry. */
  invalid: z.object({ garbageBytes: z.number(), crcErrors: z.number(), unknownMessages: z.number(), truncated: z.boolean() }),
  flights: z.array(z.object({ id: z.number(), vehicle: z.string(), packets: z.number(), tlogPath: z.string() })),
  /** True when this file (same SHA-256) was imported before: nothing new was created. */
  duplicate: z.boolean(),
  /**
   * The flights' telemetry series: points written and what went wrong, or null while they are not written yet (the
   * server resumes them at start). Absent in reports of imports made before imports derived series.
   */
  series: z.object({ points: z.number(), problem: z.string().nullable() }).nullable().optional(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export interface StoreDeps {
  catalogue: Pick<FlightCatalogue, "createSealed" | "get">;
  dataDir: string;
  clock: () => number;
  /** This server's id: the imported flights' files are in its data directory. */
  server?: string | null;
}

const manifestPath = (dataDir: string, sha256: string) => path.join(dataDir, IMPORTS_DIR, `${sha256}.json`);
/** Present from before the files of an import are moved into place until its transaction has committed. */
const markerPath = (dataDir: string, sha256: string) => path.join(dataDir, IMPORTS_DIR, `${sha256}.pending`);

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return false;
    throw err;
  }
}

/** Written beside, fsynced, renamed over: a reader sees the old report or the new one, never half of one. */
export function writeManifestSync(dataDir: string, report: ImportReport): void {
  const file = manifestPath(dataDir, report.sha256);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    const text = Buffer.from(`${JSON.stringify(report, null, 2)}\n`);
    for (let at = 0; at < text.length;) at += writeSync(fd, text, at, text.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * The report of a completed import of this file, or null. The manifest is written inside the transaction that
 * adds the flights, so it can outlive a transaction that never committed: it counts only if every flight it
 * names is in the catalogue with that file (ids are not reused, a path is unique).
 */
export async function completedImport(deps: StoreDeps, sha256: string): Promise<ImportReport | null> {
  let text: string;
  try {
    text = await readFile(manifestPath(deps.dataDir, sha256), "utf8");
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = importReportSchema.safeParse(json);
  if (!parsed.success) return null;
  for (const f of parsed.data.flights) if ((await deps.catalogue.get(f.id))?.tlogPath !== f.tlogPath) return null;
  return parsed.data;
}

/**
 * Removes what an import of this file that never committed left (its marker says so): no row refers to it. The
 * marker goes last, so an interrupted removal is finished by the next sweep.
 */
async function removeImport(dataDir: string, sha256: string): Promise<void> {
  const base = path.join(dataDir, IMPORTS_DIR, sha256);
  await rm(base, { recursive: true, force: true });
  await rm(`${base}.tlog`, { force: true });
  await rm(`${base}.json`, { force: true });
  await rm(`${base}.json.tmp`, { force: true });
  await rm(`${base}.pending`, { force: true });
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as { code?: string }).code !== "EXDEV") throw err;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

export interface Commit {
  name: string;
  staging: string;
  extracted: Extracted;
  /** The uploaded file to move into place; null: the copy made in staging is. */
  moveFrom: string | null;
}

/**
 * Makes an extracted import visible, all at once: the files are moved into imports/ first (nothing refers to them
 * yet), then the catalogue rows and the report are added in one transaction. Whatever stops it before the commit
 * leaves only files that no row or report names, removed here on failure or by sweepImports at the next start.
 */
export async function commitImport(deps: StoreDeps, c: Commit): Promise<ImportReport> {
  const { extracted: x } = c;
  const rel = (...parts: string[]) => path.posix.join(IMPORTS_DIR, ...parts);
  const marker = markerPath(deps.dataDir, x.sha256);
  if (await exists(marker)) {
    await removeImport(deps.dataDir, x.sha256);
  } else if (await exists(path.join(deps.dataDir, IMPORTS_DIR, x.sha256)) || await exists(path.join(deps.dataDir, rel(`${x.sha256}.tlog`)))) {
    // Files of this hash with no report and no marker: not ours to remove (a report deleted by hand?).
    throw new Error(`${rel(x.sha256)} exists without the report of its import: an operator must look; nothing was changed`);
  }
  await writeFile(marker, "");
  let report: ImportReport;
  try {
    if (x.flights.length > 0) await rename(path.join(c.staging, EXTRACTS_DIR), path.join(deps.dataDir, IMPORTS_DIR, x.sha256));
    await moveFile(c.moveFrom ?? path.join(c.staging, ORIGINAL_FILE), path.join(deps.dataDir, rel(`${x.sha256}.tlog`)));
    report = {
      name: c.name, sha256: x.sha256, sizeBytes: x.sizeBytes, storedAs: rel(`${x.sha256}.tlog`), importedAt: deps.clock(),
      packets: x.packets,
      invalid: { garbageBytes: x.counters.garbageBytes, crcErrors: x.counters.crcErrors, unknownMessages: x.counters.unknownMessages, truncated: x.counters.truncated === 1 },
      flights: [], duplicate: false, series: null,
    };
    const r = report;
    const tlogPath = (file: string) => rel(x.sha256, file);
    await deps.catalogue.createSealed(x.flights.map((f) => ({
      flight: {
        vehicle: { key: f.key, sysid: f.ids.sysid, compid: f.ids.compid, type: f.vehicleClass, name: null },
        startedAt: f.startedAt, tlogPath: tlogPath(f.file), status: "imported", pilot: null, previousId: null, source: `import: ${c.name}`,
        recordedBy: deps.server ?? null,
      },
      stats: f.stats,
      seal: { endedAt: f.stats.endedAt ?? f.lastAt, sizeBytes: f.sizeBytes, sha256: f.sha256 },
    })), (ids) => {
      r.flights = x.flights.map((f, i) => ({ id: ids[i]!, vehicle: f.key, packets: f.packets, tlogPath: tlogPath(f.file) }));
      // Inside the transaction: rows without their report are rolled back.
      writeManifestSync(deps.dataDir, r);
    });
  } catch (err) {
    await removeImport(deps.dataDir, x.sha256);
    throw err;
  }
  await rm(marker, { force: true });
  return report;
}

export interface Swept {
  /** Completed imports whose series were not all written (the server stopped first): to be derived again. */
  seriesPending: ImportReport[];
  /** Paths removed, relative to the data directory. */
  removed: string[];
}

/**
 * At start, before imports are taken: removes staging directories and uploads of imports that never finished,
 * and the files of an import stopped between moving them into place and committing its rows (its marker is left
 * and its report, if written, names rows the catalogue does not have). Nothing a row or a report refers to goes.
 */
export async function sweepImports(deps: StoreDeps, log: Logger): Promise<Swept> {
  const removed: string[] = [];
  const seriesPending: ImportReport[] = [];
  const list = async (dir: string) => {
    try {
      return await readdir(path.join(deps.dataDir, dir));
    } catch (err) {
      if ((err as { code?: string }).code === "ENOENT") return [];
      throw err;
    }
  };
  const remove = async (rel: string) => {
    await rm(path.join(deps.dataDir, rel), { recursive: true, force: true });
    removed.push(rel);
  };
  for (const name of await list(UPLOADS_DIR)) if (/^upload-[0-9a-f]+\.part$/.test(name)) await remove(path.posix.join(UPLOADS_DIR, name));
  const names = await list(IMPORTS_DIR);
  for (const name of names) {
    if (name.startsWith(STAGING_PREFIX) || name.endsWith(".json.tmp")) await remove(path.posix.join(IMPORTS_DIR, name));
  }
  for (const name of names) {
    const sha = /^([0-9a-f]{64})\.pending$/.exec(name)?.[1];
    if (sha === undefined) continue;
    if (await completedImport(deps, sha) !== null) {
      // Committed just before the server stopped: only the marker was left.
      await rm(markerPath(deps.dataDir, sha), { force: true });
      continue;
    }
    await removeImport(deps.dataDir, sha);
    removed.push(path.posix.join(IMPORTS_DIR, sha));
  }
  for (const name of names) {
    const sha = /^([0-9a-f]{64})\.json$/.exec(name)?.[1];
    if (sha === undefined) continue;
    const report = await completedImport(deps, sha);
    if (report?.series === null) seriesPending.push(report);
  }
  if (removed.length > 0) log.warn({ removed }, "removed what unfinished imports left");
  return { seriesPending, removed };
}
