import type { Logger } from "pino";
import type { Alert } from "../protocol";
import type { AlertStore, IdBlock } from "./store";

/** Ids taken at a time; the next block is fetched when half of this one is used. */
export const ID_BLOCK = 100;
/** Alert states waiting to be written at most: beyond, the oldest waiting are dropped (counted and logged). */
export const MAX_UNWRITTEN = 10_000;
/** After a failed write, the next try. */
const RETRY_MS = 2_000;

/**
 * Between the alert rules (which run on every tick and must not wait for a database) and the store: hands out
 * ids from blocks taken ahead, and writes alert states behind, the newest state of each alert only, a batch per
 * transaction, in order. A failed write is kept and tried again (the alerts are on the screens meanwhile); the
 * rows catch up when the database is back.
 */
export class AlertWriter {
  private block: IdBlock = { first: 0, count: 0 };
  private nextBlock: IdBlock | null = null;
  private fetching: Promise<void> | null = null;
  private readonly waiting = new Map<number, Alert>();
  private writing: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Alert states dropped because too many waited (a database down for long under a storm of alerts). */
  dropped = 0;
  private lastLog = -Infinity;

  constructor(private readonly store: AlertStore, private readonly log: Logger, private readonly clock: () => number) {}

  /** Takes the first block of ids (at start, before any rule runs). */
  async start(): Promise<void> {
    this.block = await this.store.reserveIds(ID_BLOCK);
  }

  /** The next id, or null when none is at hand (the store has not answered for a while); fetches ahead. */
  takeId(): number | null {
    if (this.block.count === 0 && this.nextBlock) {
      this.block = this.nextBlock;
      this.nextBlock = null;
    }
    if (this.block.count <= ID_BLOCK / 2) this.fetchAhead();
    if (this.block.count === 0) return null;
    const id = this.block.first;
    this.block = { first: id + 1, count: this.block.count - 1 };
    return id;
  }

  private fetchAhead(): void {
    if (this.fetching || this.nextBlock || this.stopped) return;
    this.fetching = this.store.reserveIds(ID_BLOCK).then((b) => {
      this.nextBlock = b;
    }, (err: unknown) => this.logFailure(err, "alert ids not taken")).finally(() => {
      this.fetching = null;
    });
  }

  /** Writes `alert`'s state behind: the newest state of an alert replaces one still waiting. */
  save(alert: Alert): void {
    this.waiting.delete(alert.id);
    this.waiting.set(alert.id, alert);
    if (this.waiting.size > MAX_UNWRITTEN) {
      const oldest = this.waiting.keys().next().value;
      if (oldest !== undefined) this.waiting.delete(oldest);
      this.dropped += 1;
    }
    this.kick();
  }

  /** Resolves once every state saved so far was tried (written, or failed and kept for the next try). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** How many alert states wait to be written. */
  get backlog(): number {
    return this.waiting.size;
  }

  /** Tries what waits once more, and stops retrying on a timer. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.fetching;
    await this.flush();
    if (this.waiting.size > 0) {
      this.kick();
      await this.flush();
    }
    if (this.waiting.size > 0) this.log.error({ unwritten: this.waiting.size }, "alert states not written at stop");
  }

  private kick(): void {
    if (this.writing || this.retry || this.waiting.size === 0) return;
    this.writing = this.write().then((written) => {
      this.writing = null;
      // What was saved while this batch was being written; after a failure, the retry timer (or stop) does.
      if (written) this.kick();
    });
  }

  private async write(): Promise<boolean> {
    // Let the tick that saved this finish first: its other changes go in the same transaction.
    await new Promise((resolve) => setImmediate(resolve));
    const batch = [...this.waiting.values()];
    this.waiting.clear();
    try {
      await this.store.save(batch);
    } catch (err) {
      this.logFailure(err, "alert states not written: kept, tried again");
      // Put back what no newer state replaced meanwhile, ahead of it.
      const newer = new Map(this.waiting);
      this.waiting.clear();
      for (const a of batch) if (!newer.has(a.id)) this.waiting.set(a.id, a);
      for (const [id, a] of newer) this.waiting.set(id, a);
      if (!this.stopped) {
        this.retry = setTimeout(() => {
          this.retry = null;
          this.kick();
        }, RETRY_MS);
        this.retry.unref();
      }
      return false;
    }
    return true;
  }

  private logFailure(err: unknown, message: string): void {
    const now = this.clock();
    if (now - this.lastLog < 60_000) return;
    this.lastLog = now;
    this.log.error({ err, unwritten: this.waiting.size, dropped: this.dropped }, message);
  }
}
