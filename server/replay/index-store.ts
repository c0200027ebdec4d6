/**
 * Seek indexes, derived files under <dataDir>/index/: read when present and matching the .tlog, else built in a
 * worker thread (one per file at a time, however many sessions ask). The .tlog itself is only ever read.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { AlertConfig } from "../config";
import { runWorkerJob } from "../flights";
import type { VehicleKey } from "../protocol";
import type { IndexBuildRequest } from "./index-build";
import { readIndexMeta } from "./index-format";
import type { IndexMeta } from "./index-format";

/**
 * The pipeline's state is kept every 10 s of file time. A seek plays forward at most this much of every flight of
 * the session from the checkpoint before it: for one 4-vehicle file ~1,600 packets, measured p99 26 ms (30 s: 34 ms),
 * which leaves room within the 50 ms goal for sessions of several flights. The cost is small because trails are
 * stored once per file, not in each checkpoint: 4.7 MB of index for an hour of four vehicles (2.4 MB at 30 s).
 */
export const CHECKPOINT_MS = 10_000;
/** The worker's heap: it streams the file, so a few tens of MB whatever its size. */
const WORKER_HEAP_MB = 96;

export interface IndexTarget {
  tlogPath: string;
  /** Names the index: the sealed SHA-256, or null for a file not sealed yet (named by its path). */
  sha256: string | null;
  vehicle: VehicleKey;
}

export class SeekIndexes {
  private readonly building = new Map<string, Promise<void>>();
  private readonly configKey: string;

  constructor(private readonly opts: { dataDir: string; alerts: AlertConfig; log: Logger; checkpointMs?: number }) {
    this.configKey = createHash("sha256").update(JSON.stringify(opts.alerts)).digest("hex").slice(0, 16);
  }

  pathOf(t: IndexTarget): string {
    const name = t.sha256 ?? createHash("sha256").update(t.tlogPath).digest("hex");
    return path.join(this.opts.dataDir, "index", `${name}.idx`);
  }

  /** The index's meta, built first when missing, unreadable, or made from another file or other alert settings. */
  async load(t: IndexTarget): Promise<IndexMeta> {
    const file = this.pathOf(t);
    const found = await this.tryRead(t, file);
    if (found) return found;
    await this.build(t, file);
    const built = await this.tryRead(t, file);
    if (!built) throw new Error(`the index of ${t.tlogPath} could not be read after building it`);
    return built;
  }

  private async tryRead(t: IndexTarget, file: string): Promise<IndexMeta | null> {
    let fh: fs.promises.FileHandle;
    try {
      fh = await fs.promises.open(file, "r");
    } catch {
      return null;
    }
    try {
      const [meta, stat] = [await readIndexMeta(fh), await fs.promises.stat(t.tlogPath)];
      if (meta.size !== stat.size || meta.mtimeMs !== stat.mtimeMs || meta.configKey !== this.configKey) return null;
      return meta;
    } catch (err) {
      this.opts.log.warn({ err, index: file }, "seek index unreadable: building it again");
      return null;
    } finally {
      await fh.close();
    }
  }

  private build(t: IndexTarget, file: string): Promise<void> {
    const running = this.building.get(file);
    if (running) return running;
    const started = Date.now();
    const job = (async () => {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const request: IndexBuildRequest = {
        tlogPath: t.tlogPath, outPath: file, alerts: this.opts.alerts, configKey: this.configKey,
        checkpointMs: this.opts.checkpointMs ?? CHECKPOINT_MS, vehicle: t.vehicle,
      };
      await runWorker(request);
      this.opts.log.info({ tlog: t.tlogPath, index: file, ms: Date.now() - started }, "seek index built");
    })().finally(() => this.building.delete(file));
    this.building.set(file, job);
    return job;
  }
}

function runWorker(request: IndexBuildRequest): Promise<void> {
  return runWorkerJob<void>("replay/index-worker", request, { name: "index", heapMb: WORKER_HEAP_MB, youngMb: 16 });
}
