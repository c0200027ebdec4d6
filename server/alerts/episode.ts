import type { AlertClearReason, AlertRule, Severity, VehicleKey } from "../protocol";

/** What a rule asks of the engine; the engine owns ids, storage, the per-vehicle cap and emitting. */
export interface AlertSink {
  /** Raises a new alert; its id, or null when it could not be raised now (cap, storage down): try again later. */
  raise(key: VehicleKey, rule: AlertRule, severity: Severity, text: string, time: number): number | null;
  update(id: number, change: { text?: string; severity?: Severity; count?: number }, time: number): void;
  clear(id: number, time: number, reason: AlertClearReason): void;
}

/**
 * One reading of a rule's condition. `raise`: the condition holds (past the threshold). `clear`: it has ended
 * (past the threshold plus hysteresis). Between the two an active alert stays and no new one starts.
 */
export type Reading<W> =
  | { raise: true; clear: false; value: W }
  | { raise: false; clear: boolean; value?: W };

export interface EpisodeSpec<W> {
  rule: AlertRule;
  severity: Severity;
  /** How long the condition must hold before the alert is raised (0: at once). */
  raiseAfterMs: number;
  clearAfterMs: number;
  /** The worse of two values: an alert keeps the episode's worst value in its text. */
  worse(a: W, b: W): W;
  text(worst: W): string;
}

/**
 * One rule for one vehicle: at most one alert per episode of the condition. An episode starts when the
 * condition has held `raiseAfterMs` and ends when the clear condition has held `clearAfterMs`; noise between
 * the two thresholds neither ends it nor starts another.
 */
export class Episode<W> {
  private alertId: number | null = null;
  /** Start of the pending raise (inactive) or of the pending clear (active). */
  private since: number | null = null;
  private worst: W | null = null;
  private shown = "";

  constructor(private readonly key: VehicleKey, private readonly spec: EpisodeSpec<W>) {}

  get active(): boolean {
    return this.alertId !== null;
  }

  /** `null`: the vehicle does not report what the rule needs; nothing starts or ends, pending timers restart. */
  step(reading: Reading<W> | null, time: number, sink: AlertSink): void {
    if (reading === null) {
      this.since = null;
      return;
    }
    if (this.alertId === null) {
      this.stepInactive(reading, time, sink);
      return;
    }
    if (reading.value !== undefined) this.worsen(reading.value, time, sink);
    if (!reading.clear) {
      this.since = null;
      return;
    }
    this.since ??= time;
    if (time - this.since >= this.spec.clearAfterMs) this.end(time, sink, "ended");
  }

  /** Ends the episode now (superseded by another rule, condition no longer applicable). */
  end(time: number, sink: AlertSink, reason: AlertClearReason): void {
    if (this.alertId !== null) sink.clear(this.alertId, time, reason);
    this.alertId = null;
    this.since = null;
    this.worst = null;
  }

  /** Data is stale (vehicle lost): forget half-elapsed holds so stale readings neither raise nor clear. */
  pause(): void {
    this.since = null;
  }

  private stepInactive(reading: Reading<W>, time: number, sink: AlertSink): void {
    if (!reading.raise) {
      this.since = null;
      return;
    }
    this.since ??= time;
    if (time - this.since < this.spec.raiseAfterMs) return;
    const text = this.spec.text(reading.value);
    const id = sink.raise(this.key, this.spec.rule, this.spec.severity, text, time);
    if (id === null) return;
    this.alertId = id;
    this.since = null;
    this.worst = reading.value;
    this.shown = text;
  }

  private worsen(value: W, time: number, sink: AlertSink): void {
    this.worst = this.worst === null ? value : this.spec.worse(this.worst, value);
    const text = this.spec.text(this.worst);
    if (text === this.shown || this.alertId === null) return;
    this.shown = text;
    sink.update(this.alertId, { text }, time);
  }
}

/** Smaller of two optional numbers (null = unknown, never "worse"). */
export function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
