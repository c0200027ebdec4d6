import { monitorEventLoopDelay } from "node:perf_hooks";
import type { IntervalHistogram } from "node:perf_hooks";
import type { EventLoopDelay } from "./protocol";

/** One window of event-loop delay is this long; /api/health shows the last complete one and the current one. */
export const LOOP_WINDOW_MS = 60_000;

/**
 * How late the event loop runs its timers: the server's 1 Hz HEARTBEAT to every vehicle (ArduPilot's GCS failsafe)
 * and the screens' frames wait behind whatever holds it. Sampled by Node itself (perf_hooks), every 10 ms.
 */
export class LoopMonitor {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private windowStart: number;
  private last: EventLoopDelay | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly now: () => number = Date.now) {
    this.windowStart = now();
  }

  start(): () => void {
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.last = this.current();
      this.histogram.reset();
      this.windowStart = this.now();
    }, LOOP_WINDOW_MS);
    this.timer.unref();
    return () => {
      if (this.timer) clearInterval(this.timer);
      this.histogram.disable();
    };
  }

  current(): EventLoopDelay {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const h = this.histogram;
    const any = h.count > 0;
    return {
      windowSeconds: Math.round((this.now() - this.windowStart) / 1000),
      p50Ms: any ? ms(h.percentile(50)) : 0, p99Ms: any ? ms(h.percentile(99)) : 0, maxMs: any ? ms(h.max) : 0,
    };
  }

  report(): { lastWindow: EventLoopDelay | null; current: EventLoopDelay } {
    return { lastWindow: this.last, current: this.current() };
  }
}
