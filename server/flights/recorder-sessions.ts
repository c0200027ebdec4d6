import path from "node:path";
import type { VehicleKey } from "../protocol";
import type { RecorderFs } from "./recorder-fs";
import type { MemoryBudget } from "./tlog-writer";
import { TlogWriter } from "./tlog-writer";

export interface RetentionLimits {
  /** Per folder (link): the oldest hourly files go once its logs together pass this. */
  maxBytes: number;
  /** Files whose hour ended longer ago than this go. */
  maxAgeMs: number;
}

const HOUR_MS = 3_600_000;
const FILE_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2})\.tlog$/;

/** "2026-11-20T14": the UTC hour of a time, which names its session log file. */
export function hourOf(time: number): string {
  return new Date(time).toISOString().slice(0, 13);
}

export const vehicleDir = (key: VehicleKey): string => key.replace(":", "-");
/** A link id as a folder name: never a path. */
const safeFolder = (id: string): string => id.replace(/[^A-Za-z0-9_-]/g, "_") || "_";

interface Open {
  hour: string;
  writer: TlogWriter;
}

/**
 * Rolling hourly logs, one folder per link: data/sessions/<link id>/<UTC hour>.tlog holds the packets of the link's
 * admitted vehicles outside flights (and ours to them); data/quarantine/<link id>/ what another source sent in a
 * bound vehicle's name. One open file per link whatever the number of vehicles, one file per hour so that
 * retention can drop the oldest hours. Not evidence of a flight, so not sealed.
 */
export class SessionLogs {
  private readonly open = new Map<string, Open>();

  constructor(
    private readonly fs: RecorderFs,
    private readonly root: string,
    private readonly budget: MemoryBudget,
  ) {}

  /** Appends to the log of a folder (a link id: letters, digits, "-" and "_" only). */
  append(folder: string, time: number, timeUs: number, bytes: Buffer): boolean {
    const hour = hourOf(time);
    let o = this.open.get(folder);
    if (o && o.hour !== hour) {
      // A new hour: the old file is finished once its tail is written (retried by closeIdle if the disk fails).
      this.retire(folder, o);
      o = undefined;
    }
    if (!o) {
      o = { hour, writer: new TlogWriter(this.fs, path.join(this.root, safeFolder(folder), `${hour}.tlog`), this.budget, false) };
      this.open.set(folder, o);
    }
    return o.writer.append(timeUs, bytes);
  }

  private readonly retiring: TlogWriter[] = [];

  private retire(folder: string, o: Open): void {
    this.open.delete(folder);
    this.retiring.push(o.writer);
  }

  /** Flushes every session log; throws the first failure after trying them all. */
  flush(sync: boolean, now: number): void {
    let first: unknown = null;
    for (const [key, o] of this.open) {
      // An idle vehicle's file of a past hour is finished: close it rather than hold the descriptor.
      if (o.hour !== hourOf(now) && o.writer.pendingBytes === 0) this.retire(key, o);
    }
    for (const w of [...this.retiring]) {
      try {
        w.close();
        this.retiring.splice(this.retiring.indexOf(w), 1);
      } catch (err) {
        first ??= err;
      }
    }
    for (const o of this.open.values()) {
      try {
        o.writer.flush(sync);
      } catch (err) {
        first ??= err;
      }
    }
    if (first !== null) throw first;
  }

  /** Closes everything (shutdown); what cannot be written is given up. */
  close(): void {
    for (const w of [...this.retiring, ...[...this.open.values()].map((o) => o.writer)]) {
      try {
        w.close();
      } catch {
        w.abandon();
      }
    }
    this.retiring.length = 0;
    this.open.clear();
  }

  /** Deletes the session files past the limits (never one being written); returns their paths. */
  enforce(limits: RetentionLimits, now: number): string[] {
    const removed: string[] = [];
    if (!this.fs.existsSync(this.root)) return removed;
    const busy = new Set([...this.open.values()].map((o) => o.writer.absPath).concat(this.retiring.map((w) => w.absPath)));
    for (const dir of this.fs.readdirSync(this.root)) {
      const full = path.join(this.root, dir);
      const files = this.fs.readdirSync(full).filter((f) => FILE_RE.test(f)).sort();
      let total = 0;
      const sized = files.map((f) => {
        const size = this.fs.statSync(path.join(full, f)).size;
        total += size;
        return { f, size };
      });
      for (const { f, size } of sized) {
        const m = FILE_RE.exec(f)!;
        const hourEnd = Date.parse(`${m[1]}T${m[2]}:00:00Z`) + HOUR_MS;
        const file = path.join(full, f);
        if (busy.has(file)) continue;
        if (now - hourEnd > limits.maxAgeMs || total > limits.maxBytes) {
          this.fs.unlinkSync(file);
          total -= size;
          removed.push(file);
        }
      }
    }
    return removed;
  }
}
