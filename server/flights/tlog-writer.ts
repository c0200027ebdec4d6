import { createHash } from "node:crypto";
import type { Hash } from "node:crypto";
import path from "node:path";
import type { RecorderFs } from "./recorder-fs";

/** Packets waiting for the disk, shared by all writers: bounded, so a dead disk cannot exhaust memory. */
export class MemoryBudget {
  used = 0;
  /** Packets refused because the budget was spent (lost: reported as a problem). */
  dropped = 0;
  constructor(readonly maxBytes: number) {}
}

const TIME_LENGTH = 8;

/** One .tlog entry: 8-byte big-endian µs timestamp, then the raw packet. */
export function tlogEntry(timeUs: number, bytes: Buffer): Buffer {
  const entry = Buffer.allocUnsafe(TIME_LENGTH + bytes.length);
  entry.writeUInt32BE(Math.floor(timeUs / 2 ** 32), 0);
  entry.writeUInt32BE(timeUs % 2 ** 32, 4);
  bytes.copy(entry, TIME_LENGTH);
  return entry;
}

/**
 * Appends .tlog entries to one file, buffered in memory until flush(). Writes go at the position the writer keeps,
 * so a write that failed (disk full) is retried at the same place later and the file never gets a hole or a
 * partial entry in its middle. The SHA-256 covers exactly the bytes written, from the start of the file.
 */
export class TlogWriter {
  private fd: number | null = null;
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private position = 0;
  private readonly hash: Hash = createHash("sha256");
  private closed = false;
  /** Timestamp of the last entry queued, µs: a file's times never go back. */
  private lastUs = 0;
  private syncing = false;
  private syncError: Error | null = null;
  private closeAfterSync = false;

  /**
   * `create`: a new file that must not exist yet (a flight: evidence is never overwritten); otherwise an existing
   * file is appended to (a session log after a restart). `held`: entries are queued but nothing is written until
   * release() (a flight's file waits for its catalogue row, so that a file is never left without one by a crash).
   */
  constructor(
    private readonly fs: RecorderFs,
    private filePath: string,
    private readonly budget: MemoryBudget,
    private readonly create: boolean,
    private held = false,
  ) {}

  get absPath(): string {
    return this.filePath;
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Lets flush() write. */
  release(): void {
    this.held = false;
  }

  /** Another name for the file, while nothing was written yet (the name was taken by another flight's row). */
  moveTo(absPath: string): void {
    if (!this.held || this.fd !== null) throw new Error(`${this.filePath}: a file being written cannot be renamed`);
    this.filePath = absPath;
  }

  get sizeBytes(): number {
    return this.position;
  }

  get pendingBytes(): number {
    return this.pendingLength;
  }

  /**
   * Queues one entry; false when the memory budget is spent and it was dropped. An entry stamped before the
   * previous one takes the previous one's time: readers (pymavlink, QGroundControl, our replay) take the order of
   * the file to be the order of time. A flight's stream is already in order (the demux); a session log mixes the
   * streams of a link's vehicles, whose first packets can arrive late (held while a new vehicle is proven).
   */
  append(timeUs: number, bytes: Buffer): boolean {
    const length = TIME_LENGTH + bytes.length;
    if (this.budget.used + length > this.budget.maxBytes) {
      this.budget.dropped++;
      return false;
    }
    this.lastUs = Math.max(this.lastUs, timeUs);
    this.pending.push(tlogEntry(this.lastUs, bytes));
    this.pendingLength += length;
    this.budget.used += length;
    return true;
  }

  /** Writes what is pending (and fsyncs when asked). Throws the file system's error; what was not written stays. */
  flush(sync: boolean): void {
    if (this.closed || this.held) return;
    const fd = this.open();
    if (this.pendingLength > 0) {
      const data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingLength);
      this.pending = [data];
      let offset = 0;
      try {
        while (offset < data.length) {
          const n = this.fs.writeSync(fd, data, offset, data.length - offset, this.position);
          this.hash.update(data.subarray(offset, offset + n));
          offset += n;
          this.position += n;
        }
      } finally {
        this.budget.used -= offset;
        this.pendingLength -= offset;
        this.pending = offset === data.length ? [] : [data.subarray(offset)];
      }
    }
    if (sync) this.syncInBackground(fd);
  }

  /**
   * Starts an fdatasync on the thread pool, one at a time per file (a slow disk skips a round rather than piling
   * them up). Its failure is thrown by the next flush, which reports it as a recording failure.
   */
  private syncInBackground(fd: number): void {
    if (this.syncError) {
      const err = this.syncError;
      this.syncError = null;
      throw err;
    }
    if (this.syncing) return;
    this.syncing = true;
    this.fs.fdatasync(fd, (err) => {
      this.syncing = false;
      if (err) this.syncError = err;
      // close() ran while the sync was on its way: the descriptor is released only now, so that its number cannot
      // be reused by another file under the sync.
      if (this.closeAfterSync) this.releaseFd();
    });
  }

  /** Flushes, fsyncs (on the event loop: a seal is rare and must be durable) and closes; returns size and SHA-256. */
  close(): { sizeBytes: number; sha256: string } {
    if (this.held) throw new Error(`${this.filePath}: a held file cannot be closed`);
    this.flush(false);
    if (this.fd !== null) this.fs.fsyncSync(this.fd);
    this.closed = true;
    this.releaseFd();
    return { sizeBytes: this.position, sha256: this.hash.digest("hex") };
  }

  private releaseFd(): void {
    if (this.syncing) {
      this.closeAfterSync = true;
      return;
    }
    this.closeAfterSync = false;
    if (this.fd !== null) this.fs.closeSync(this.fd);
    this.fd = null;
  }

  /** Gives up on the file (shutdown with a dead disk): releases the descriptor and the memory. */
  abandon(): void {
    this.closed = true;
    try {
      this.releaseFd();
    } catch {
      // Nothing more can be done with it.
      this.fd = null;
    }
    this.budget.used -= this.pendingLength;
    this.pending = [];
    this.pendingLength = 0;
  }

  private open(): number {
    if (this.fd !== null) return this.fd;
    this.fs.mkdirSync(path.dirname(this.filePath), { recursive: true });
    if (this.create) {
      this.fd = this.fs.openSync(this.filePath, "wx");
    } else {
      this.fd = this.fs.openSync(this.filePath, this.fs.existsSync(this.filePath) ? "r+" : "w");
      this.position = this.fs.fstatSync(this.fd).size;
    }
    return this.fd;
  }
}
