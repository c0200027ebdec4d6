/**
 * One reviewer's replay: the flights' pipelines on one session clock. Each wall tick moves the clock by
 * tickMs × speed (or, at "max", as far as ~20 ms of work gets) and feeds every packet up to it, the flights merged
 * in time order; then one frame with every vehicle that changed, as the live realtime server sends.
 * A seek restores each flight's checkpoint at or before the target and plays forward to it silently, then sends a
 * snapshot: the vehicles' state after a seek is the state after playing to it.
 */
import type { FileHandle } from "node:fs/promises";
import type { Logger } from "pino";
import type { ReplayControl, ReplayFlight, ReplaySpeed, ReplayState, Result, Snapshot, VehicleKey, VehicleState } from "../protocol";
import { ok } from "../protocol";
import { readCheckpoint, readTrails } from "./index-format";
import type { IndexMeta } from "./index-format";
import { TlogCursor } from "./cursor";
import type { FlightPipeline } from "./pipeline";
import type { HistoryPlayer } from "./history";
import { shiftAlert, shiftEvent, shiftMission, shiftState, shiftTrail } from "./shift";
import type { ReplaySink } from "./sink";

/** At "max": the work one tick may do, so the event loop keeps its heartbeat. */
const MAX_WORK_MS = 20;
/** Work done before the event loop is given back, during a seek. */
const SLICE_MS = 8;
/** "replay:state" at most this often while playing. */
const STATE_EVERY_MS = 250;

export interface SessionFlight {
  flight: ReplayFlight;
  meta: IndexMeta;
  fh: FileHandle;
  /** The seek index file, read for checkpoints. */
  idx: FileHandle;
  pipeline: FlightPipeline;
  /** The alerts, events and missions of the whole file, played on the session clock. */
  history: HistoryPlayer;
}

interface Play extends SessionFlight {
  cursor: TlogCursor;
  shift: number;
}

export class ReplaySession {
  private readonly plays: Play[];
  private clock: number;
  private playing = false;
  private speed: ReplaySpeed = 1;
  private loop: { from: number; to: number } | null = null;
  private ended = false;
  private timer: NodeJS.Timeout | null = null;
  /** Ticks and seeks run one after the other. */
  private chain: Promise<void> = Promise.resolve();
  private busy = false;
  private lastState = 0;
  private seq = 0;
  private closed = false;

  constructor(
    flights: SessionFlight[],
    private readonly span: { start: number; end: number },
    private readonly sink: ReplaySink,
    private readonly opts: { tickMs: number; log: Logger; onFailure: (err: Error) => void },
  ) {
    this.plays = flights.map((f) => ({ ...f, cursor: new TlogCursor(f.fh, f.meta.size), shift: f.flight.shiftMs }));
    this.clock = span.start;
  }

  start(at: number): Promise<void> {
    this.timer = setInterval(() => this.tick(), this.opts.tickMs);
    return this.enqueue(() => this.seekTo(at));
  }

  state(): ReplayState {
    const vehicleTime: Record<VehicleKey, number> = {};
    for (const p of this.plays) Object.assign(vehicleTime, p.pipeline.vehicleTimes(this.clock - p.shift));
    return { playing: this.playing, speed: this.speed, time: this.clock, vehicleTime, loop: this.loop, ended: this.ended };
  }

  control(c: ReplayControl): Result<ReplayState> {
    switch (c.action) {
      case "play":
        if (this.ended) void this.enqueue(() => this.seekTo(this.loop?.from ?? this.span.start));
        this.playing = true;
        this.ended = false;
        break;
      case "pause":
        this.playing = false;
        break;
      case "speed":
        this.speed = c.speed;
        break;
      case "seek": {
        const target = this.clamp(c.time);
        this.clock = target;
        this.ended = false;
        void this.enqueue(() => this.seekTo(target));
        break;
      }
      case "loop":
        this.loop = c.range && { from: this.clamp(c.range.from), to: this.clamp(c.range.to) };
        break;
    }
    return ok(this.sendState());
  }

  /** The work queued finishes; the files are closed by the caller. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }

  private clamp(t: number): number {
    return Math.min(this.span.end, Math.max(this.span.start, t));
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.closed) return;
      this.busy = true;
      try {
        await work();
      } catch (err) {
        this.playing = false;
        this.opts.onFailure(err as Error);
      } finally {
        this.busy = false;
      }
    });
    this.chain = next;
    return next;
  }

  private tick(): void {
    if (!this.playing || this.busy) return;
    void this.enqueue(async () => {
      const loopEnd = this.loop?.to ?? this.span.end;
      if (this.speed === "max") {
        await this.advance(loopEnd, performance.now() + MAX_WORK_MS);
      } else {
        this.clock = Math.min(loopEnd, this.clock + this.opts.tickMs * this.speed);
        await this.advance(this.clock, null);
      }
      this.sendFrame();
      this.playHistory();
      if (this.clock >= loopEnd) {
        if (this.loop) await this.seekTo(this.loop.from);
        else {
          this.playing = false;
          this.ended = true;
        }
        this.sendState();
      } else if (Date.now() - this.lastState >= STATE_EVERY_MS) {
        this.sendState();
      }
    });
  }

  /**
   * Feeds every flight's packets up to `target` (session time) in time order, then the rules' ticks up to it.
   * With a deadline it stops when the deadline passes and the clock is where it got to. Without one it still gives
   * the event loop back every SLICE_MS of work (a seek plays up to a checkpoint interval of every flight).
   */
  private async advance(target: number, deadline: number | null): Promise<void> {
    let reached = target;
    for (let more = true; more && reached === target;) {
      await Promise.all(this.plays.map((p) => p.cursor.fill(target - p.shift)));
      const sliceEnd = performance.now() + SLICE_MS;
      more = false;
      for (let n = 1; ; n++) {
        const next = this.nextPlay(target);
        if (next === "starved") {
          more = true;
          break;
        }
        if (next === null) break;
        const e = next.cursor.shift()!;
        next.pipeline.packet(e.frame, e.time);
        if ((n & 255) !== 0) continue;
        const now = performance.now();
        if (deadline !== null && now > deadline) {
          reached = e.time + next.shift;
          break;
        }
        if (now > sliceEnd) {
          more = true;
          await new Promise((resolve) => setImmediate(resolve));
          break;
        }
      }
    }
    this.clock = reached;
    for (const p of this.plays) p.pipeline.tickTo(reached - p.shift);
  }

  /** The flight whose next packet comes first (at or before `target`), null for none, "starved" to read more first. */
  private nextPlay(target: number): Play | null | "starved" {
    let next: Play | null = null;
    let nextTime = Infinity;
    for (const p of this.plays) {
      const e = p.cursor.peek();
      if (e === null) {
        if (!p.cursor.done) return "starved";
        continue;
      }
      const t = e.time + p.shift;
      if (t <= target && t < nextTime) {
        next = p;
        nextTime = t;
      }
    }
    return next;
  }

  private async seekTo(target: number): Promise<void> {
    for (const p of this.plays) {
      const fileTime = target - p.shift;
      const cp = [...p.meta.checkpoints].reverse().find((c) => c.time <= fileTime) ?? null;
      const dump = cp && await readCheckpoint(p.idx, cp);
      p.pipeline.restore(dump, dump ? await readTrails(p.idx, p.meta, dump) : undefined);
      p.cursor.reset(cp?.offset ?? 0);
      p.pipeline.emitting = false;
    }
    try {
      await this.advance(target, null);
    } finally {
      for (const p of this.plays) {
        p.pipeline.emitting = true;
        p.pipeline.registry.takeChanged(target - p.shift);
      }
    }
    this.clock = target;
    this.sink.snapshot(this.snapshot());
    this.sendState();
  }

  /** The whole state at the clock; the history's changes after it are played from there. */
  snapshot(): Snapshot {
    const vehicles = new Map<VehicleKey, VehicleState>();
    const trails: Snapshot["trails"] = {};
    const alerts = [];
    const events = [];
    const missions: NonNullable<Snapshot["missions"]> = {};
    for (const p of this.plays) {
      const t = this.clock - p.shift;
      for (const v of p.pipeline.registry.snapshot(t)) vehicles.set(v.key, shiftState(v, p.shift));
      for (const [k, trail] of Object.entries(p.pipeline.registry.trails())) trails[k as VehicleKey] = shiftTrail(trail, p.shift);
      const h = p.history.at(t);
      alerts.push(...h.alerts.map((a) => shiftAlert(a, p.shift)));
      events.push(...h.events.map((e) => shiftEvent(e, p.shift)));
      for (const m of Object.values(h.missions)) missions[m.key] = shiftMission(m, p.shift);
    }
    return {
      time: this.clock, vehicles: [...vehicles.values()].sort((a, b) => a.sysid - b.sysid || a.compid - b.compid),
      links: [], trails, missions, alerts: alerts.sort((a, b) => b.id - a.id), events: events.sort((a, b) => b.time - a.time),
    };
  }

  /** The alerts, events and missions the clock has passed since the last snapshot or tick. */
  private playHistory(): void {
    for (const p of this.plays) {
      p.history.playTo(this.clock - p.shift, {
        alert: (a) => this.sink.alert(shiftAlert(a, p.shift)),
        event: (e) => this.sink.event(shiftEvent(e, p.shift)),
        mission: (m) => this.sink.mission(shiftMission(m, p.shift)),
      });
    }
  }

  private sendFrame(): void {
    const vehicles: VehicleState[] = [];
    for (const p of this.plays) {
      for (const v of p.pipeline.registry.takeChanged(this.clock - p.shift)) vehicles.push(shiftState(v, p.shift));
    }
    if (vehicles.length === 0) return;
    this.seq += 1;
    this.sink.frame({ time: this.clock, seq: this.seq, vehicles });
  }

  private sendState(): ReplayState {
    const s = this.state();
    this.lastState = Date.now();
    this.sink.state(s);
    return s;
  }
}
