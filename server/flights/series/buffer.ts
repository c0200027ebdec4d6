import type { Logger } from "pino";
import type { SeriesPoint, SeriesStoreStatus } from "./types";

export const DEFAULT_MAX_BUFFER = 100_000;

/**
 * Points waiting for storage, oldest first, bounded: when full the oldest go (and are counted), because the
 * newest telemetry matters most to a pilot and the .tlog keeps everything anyway (series can be rebuilt).
 * A head index instead of shift(): shifting a 100k array per batch would be quadratic.
 */
export class PointQueue {
  private items: SeriesPoint[] = [];
  private head = 0;
  /** Stream position of items[0]. */
  private offset = 0;
  dropped = 0;

  constructor(readonly max: number = DEFAULT_MAX_BUFFER) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Returns how many old points were dropped to make room. */
  push(points: readonly SeriesPoint[]): number {
    for (const p of points) this.items.push(p);
    const over = this.length - this.max;
    if (over <= 0) return 0;
    this.head += over;
    this.dropped += over;
    this.compact();
    return over;
  }

  /**
   * The next `n` points, left in the queue until removeUpTo(end) confirms they were stored. `end` is a position
   * in the whole stream, so a confirmation stays right when overflow dropped some of them while they were in flight.
   */
  peek(n: number): { points: SeriesPoint[]; end: number } {
    const points = this.items.slice(this.head, this.head + n);
    return { points, end: this.offset + this.head + points.length };
  }

  removeUpTo(end: number): void {
    const n = end - (this.offset + this.head);
    if (n > 0) this.head += Math.min(n, this.length);
    this.compact();
  }

  private compact(): void {
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.offset += this.head;
      this.head = 0;
    }
  }
}

type Trouble = { state: "buffering" | "failing"; since: number; reason: string };

/** The status state machine both adapters share; logs transitions, not every failed attempt. */
export class StoreHealth {
  private trouble: Trouble | null = null;
  rejected = 0;

  constructor(private readonly clock: () => number, private readonly log: Logger) {}

  ok(): void {
    if (this.trouble === null) return;
    this.log.info({ after: this.trouble.reason, sinceMs: this.clock() - this.trouble.since }, "series storage is back; catching up");
    this.trouble = null;
  }

  /** Storage unreachable (network, timeout, 5xx, disk busy): held points are retried. */
  unreachable(reason: string): void {
    this.enter("buffering", reason);
  }

  /** Storage answered but refuses: retrying as is will not help. */
  refused(reason: string): void {
    this.enter("failing", reason);
  }

  status(queue: PointQueue): SeriesStoreStatus {
    const counts = { dropped: queue.dropped, rejected: this.rejected };
    if (this.trouble === null) return { state: "ok", pending: queue.length, ...counts };
    return { ...this.trouble, buffered: queue.length, ...counts };
  }

  private enter(state: Trouble["state"], reason: string): void {
    if (this.trouble?.state === state && this.trouble.reason === reason) return;
    const since = this.trouble?.since ?? this.clock();
    if (state === "failing") this.log.error({ reason }, "series storage refuses writes");
    else this.log.warn({ reason }, "series storage unreachable; buffering points in memory");
    this.trouble = { state, since, reason };
  }
}
