/**
 * Reads a .tlog's entries from a byte offset, a chunk at a time (async reads: the thread pool, not the event loop),
 * holding a bounded queue of what was read ahead. Memory per cursor is a few chunks whatever the file's size.
 */
import type { FileHandle } from "node:fs/promises";
import type { Frame } from "../mavlink";
import { TlogStreamParser } from "../mavlink";

const CHUNK = 64 * 1024;
/** Entries read ahead at most: a tick takes what it needs, a seek what lies between checkpoint and target. */
export const MAX_QUEUED = 20_000;

export interface CursorEntry {
  /** File time, ms, held at the latest time seen (as the index does). */
  time: number;
  frame: Frame;
}

export class TlogCursor {
  private queue: CursorEntry[] = [];
  private head = 0;
  private pos = 0;
  private eof = false;
  private last = -Infinity;
  private parser = this.newParser();

  constructor(private readonly fh: FileHandle, private readonly size: number) {}

  /** Starts reading again at an entry's offset (0, or a checkpoint's). */
  reset(offset: number): void {
    this.queue = [];
    this.head = 0;
    this.pos = offset;
    this.eof = offset >= this.size;
    this.last = -Infinity;
    this.parser = this.newParser();
  }

  /** The next entry, or null at the end or when nothing is read ahead (call fill()). */
  peek(): CursorEntry | null {
    return this.queue[this.head] ?? null;
  }

  shift(): CursorEntry | null {
    const e = this.queue[this.head];
    if (e === undefined) return null;
    this.head++;
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return e;
  }

  /** True when every entry has been read and taken. */
  get done(): boolean {
    return this.eof && this.head >= this.queue.length;
  }

  /** Reads until an entry past `until` (file time) is queued, the file ends, or MAX_QUEUED entries wait. */
  async fill(until: number): Promise<void> {
    while (!this.eof && this.queued() < MAX_QUEUED) {
      const tail = this.queue[this.queue.length - 1];
      if (tail !== undefined && this.head < this.queue.length && tail.time > until) return;
      const length = Math.min(CHUNK, this.size - this.pos);
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await this.fh.read(buf, 0, length, this.pos);
      this.pos += bytesRead;
      if (bytesRead > 0) this.parser.push(buf.subarray(0, bytesRead));
      if (bytesRead === 0 || this.pos >= this.size) {
        this.parser.end();
        this.eof = true;
      }
    }
  }

  private queued(): number {
    return this.queue.length - this.head;
  }

  private newParser(): TlogStreamParser {
    return new TlogStreamParser((entry) => {
      this.last = Math.max(entry.timeUs / 1000, this.last);
      this.queue.push({ time: this.last, frame: entry.frame });
    });
  }
}
