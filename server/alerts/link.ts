import type { LinkEvent, VehicleKey } from "../protocol";
import type { AlertSink } from "./episode";

/** "5.2 s", "47 s", "3 min 5 s": how long a vehicle was silent. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/**
 * Link lost / regained, from the registry's link events. Raised at once on "lost"; a "regained" clears it only
 * after the link has stayed up for `clearAfterMs`, so a link dropping in and out is one alert, not one per drop.
 * The text keeps the longest silence of the episode.
 */
export class LinkRule {
  private alertId: number | null = null;
  private silentSince = 0;
  private regainedAt: number | null = null;
  private longestMs = 0;
  private shown = "";
  /** The vehicle is lost: its other rules are frozen (its state is stale). */
  lost = false;

  constructor(private readonly key: VehicleKey, private readonly clearAfterMs: number) {}

  event(e: LinkEvent, sink: AlertSink): void {
    if (e.state === "lost") {
      this.lost = true;
      this.regainedAt = null;
      this.silentSince = e.time - e.heartbeatAgeMs;
      this.raiseOrWorsen(e.heartbeatAgeMs, e.time, sink);
      return;
    }
    this.lost = false;
    if (this.alertId === null) return;
    this.regainedAt = e.time;
    this.raiseOrWorsen(e.time - this.silentSince, e.time, sink);
  }

  /** Per tick: a raise the store refused is retried; a regain that held is cleared. */
  tick(time: number, sink: AlertSink): void {
    if (this.lost && this.alertId === null) this.raiseOrWorsen(time - this.silentSince, time, sink);
    if (this.alertId !== null && this.regainedAt !== null && time - this.regainedAt >= this.clearAfterMs) {
      sink.clear(this.alertId, time, "ended");
      this.alertId = null;
      this.regainedAt = null;
      this.longestMs = 0;
    }
  }

  private raiseOrWorsen(silentMs: number, time: number, sink: AlertSink): void {
    this.longestMs = Math.max(this.longestMs, silentMs);
    const text = `Link lost: no heartbeat for ${formatDuration(this.longestMs)}`;
    if (this.alertId === null) {
      this.alertId = sink.raise(this.key, "link_lost", "critical", text, time);
      this.shown = text;
    } else if (text !== this.shown) {
      this.shown = text;
      sink.update(this.alertId, { text }, time);
    }
  }
}
