/**
 * Replays recorded MAVLink packets (a .tlog) to a link with their original relative timing, as if the vehicle
 * were live. Send times are computed from the start time (never by adding up delays, which drifts), and every
 * packet already due goes out in one batch.
 */
import { performance } from "node:perf_hooks";
import type { TlogEntry } from "../server/mavlink";

/** Where packets go: a MavLink satisfies it. */
export interface PacketSink {
  send(packet: Buffer): void;
}

export interface PlayerOptions {
  /** Playback speed: 1 = real time, 10 = ten times faster, Infinity = as fast as possible (still in order). */
  speed?: number;
  /** Start again from the first packet after the last, until stopped. */
  loop?: boolean;
  signal?: AbortSignal;
  /**
   * Most packets sent before giving the event loop a turn. Receivers on the same machine (a UDP socket reads a
   * few dozen datagrams per turn) would otherwise drop packets when playing fast.
   */
  maxBatch?: number;
  /** Called after each pass through the recording. */
  onPass?: (passes: number) => void;
  /** Monotonic clock, ms (tests). */
  now?: () => number;
}

export interface PlaybackSummary {
  packetsSent: number;
  /** Complete passes through the recording. */
  passes: number;
  durationMs: number;
  /** True when stopped (stop() or the signal) before the end. */
  stopped: boolean;
}

/** Pause between two passes of a loop, recorded time (scaled by speed like everything else). */
const LOOP_GAP_MS = 1000;
const DEFAULT_MAX_BATCH = 32;

export class TlogPlayer {
  private readonly speed: number;
  private readonly maxBatch: number;
  private readonly now: () => number;
  /** Offset of each packet from the first, recorded ms; never decreasing even if the recording's clock jumped back. */
  private readonly offsets: Float64Array;
  private startMs = 0;
  private passOffsetMs = 0;
  private index = 0;
  private sent = 0;
  private passes = 0;
  private state: "idle" | "playing" | "done" = "idle";
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private resolve: ((summary: PlaybackSummary) => void) | null = null;
  private readonly onAbort = (): void => this.stop();

  constructor(
    private readonly entries: readonly TlogEntry[],
    private readonly sink: PacketSink,
    private readonly opts: PlayerOptions = {},
  ) {
    this.speed = opts.speed ?? 1;
    if (!(this.speed > 0)) throw new Error(`speed must be a positive number, got ${this.speed}`);
    this.maxBatch = Math.max(1, opts.maxBatch ?? DEFAULT_MAX_BATCH);
    this.now = opts.now ?? (() => performance.now());
    this.offsets = new Float64Array(entries.length);
    const first = entries[0]?.timeUs ?? 0;
    let previous = 0;
    entries.forEach((e, i) => {
      previous = Math.max(previous, (e.timeUs - first) / 1000);
      this.offsets[i] = previous;
    });
  }

  /** Packets sent so far. */
  get packetsSent(): number {
    return this.sent;
  }

  /** Recorded duration of one pass, ms. */
  get spanMs(): number {
    return this.offsets[this.offsets.length - 1] ?? 0;
  }

  /** Starts playing; resolves when the recording ends (never, with loop) or playback is stopped. */
  play(): Promise<PlaybackSummary> {
    if (this.state !== "idle") throw new Error("a TlogPlayer plays once; create another");
    this.state = "playing";
    this.startMs = this.now();
    const done = new Promise<PlaybackSummary>((resolve) => {
      this.resolve = resolve;
    });
    if (this.opts.signal?.aborted) {
      this.finish(true);
      return done;
    }
    this.opts.signal?.addEventListener("abort", this.onAbort, { once: true });
    this.tick();
    return done;
  }

  stop(): void {
    if (this.state === "playing") this.finish(true);
  }

  private dueMs(i: number): number {
    return this.startMs + this.passOffsetMs + this.offsets[i]! / this.speed;
  }

  private tick(): void {
    this.timer = null;
    this.immediate = null;
    if (this.state !== "playing") return;
    const now = this.now();
    let batch = 0;
    while (this.index < this.entries.length && batch < this.maxBatch && this.dueMs(this.index) <= now) {
      this.sink.send(this.entries[this.index]!.frame.bytes);
      this.index++;
      this.sent++;
      batch++;
    }
    if (this.index >= this.entries.length) {
      this.passes++;
      this.opts.onPass?.(this.passes);
      if (this.state !== "playing") return; // stopped by onPass
      if (!this.opts.loop || this.entries.length === 0) {
        this.finish(false);
        return;
      }
      this.index = 0;
      this.passOffsetMs += (this.spanMs + LOOP_GAP_MS) / this.speed;
    }
    if (batch >= this.maxBatch) {
      this.immediate = setImmediate(() => this.tick());
    } else {
      this.timer = setTimeout(() => this.tick(), Math.max(0, this.dueMs(this.index) - this.now()));
    }
  }

  private finish(stopped: boolean): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
    this.state = "done";
    this.opts.signal?.removeEventListener("abort", this.onAbort);
    this.resolve?.({
      packetsSent: this.sent, passes: this.passes, durationMs: this.now() - this.startMs, stopped,
    });
    this.resolve = null;
  }
}
