import type { VehicleKey, VehicleState } from "../protocol";
import { CAUSE_LABEL } from "./causes";
import type { CauseKind, CauseLog } from "./causes";
import type { AlertSink } from "./episode";
import type { ModeChange } from "./timeline";
import type { AlertTuning } from "./tuning";

/** The modes ArduPilot's failsafes and fence switch into (ArduCopter, and QuadPlane's Q modes). */
const TAKEOVER_MODES: ReadonlySet<string> = new Set(["RTL", "SMART_RTL", "LAND", "BRAKE", "QRTL", "QLAND"]);
/** Modes shown in one alert (GUIDED → RTL → LAND ...); a vehicle cycling through more is still one episode. */
const MAX_PATH = 6;
const MAX_DETAILS = 4;

function describe(path: readonly string[], causes: readonly { kind: CauseKind; detail: string }[]): string {
  const modes = path.join(" → ");
  if (causes.length === 0) {
    return `Vehicle switched ${modes} on its own: not commanded from here (the pilot's transmitter, another ground `
      + "station, or a failsafe it did not announce)";
  }
  const kinds = [...new Set(causes.map((c) => c.kind))].slice(0, 2).map((k) => CAUSE_LABEL[k]);
  const details = [...new Set(causes.map((c) => c.detail))].slice(0, MAX_DETAILS);
  return `${kinds.join(", ")}: vehicle switched ${modes} (${details.join("; ")})`;
}

/**
 * The vehicle took itself over: a switch into RTL, SMART_RTL, LAND or BRAKE that this ground station did not
 * command, while armed. One warning per episode naming the modes and the likely cause (failsafe or fence texts,
 * health bits, FENCE_STATUS, charge_state, EKF flags seen shortly before or after). It lasts until the pilot has the
 * vehicle back: disarmed, or a mode commanded through this server. A failsafe's "Cleared" text does not end it: the
 * vehicle goes on returning home.
 */
export class TakeoverRule {
  private alertId: number | null = null;
  /** A raise the store refused: retried each tick while the episode lasts. */
  private pending = false;
  private path: string[] = [];
  private firstAt = 0;
  private lastAt = 0;
  private shown = "";

  constructor(private readonly key: VehicleKey, private readonly tuning: AlertTuning) {}

  get active(): boolean {
    return this.alertId !== null || this.pending;
  }

  change(c: ModeChange, armed: boolean, causes: CauseLog, sink: AlertSink): void {
    if (c.commanded) {
      this.end(c.time, sink);
      return;
    }
    if (!armed || !TAKEOVER_MODES.has(c.to)) return;
    if (!this.active) {
      this.path = [c.from];
      this.firstAt = c.time;
    }
    if (this.path.length < MAX_PATH) this.path.push(c.to);
    this.lastAt = c.time;
    this.show(causes, c.time, sink);
  }

  tick(v: VehicleState, time: number, causes: CauseLog, sink: AlertSink): void {
    if (!this.active) return;
    if (!v.armed) {
      this.end(time, sink);
      return;
    }
    // Causes may come just after the switch (the text follows the heartbeat): the alert says them when they do.
    if (this.pending || time - this.lastAt <= this.tuning.causeAfterMs) this.show(causes, time, sink);
  }

  private show(causes: CauseLog, time: number, sink: AlertSink): void {
    const text = describe(this.path, causes.between(this.firstAt - this.tuning.causeBeforeMs, this.lastAt + this.tuning.causeAfterMs));
    if (this.alertId === null) {
      this.alertId = sink.raise(this.key, "vehicle_mode_change", "warning", text, time);
      this.pending = this.alertId === null;
      this.shown = text;
    } else if (text !== this.shown) {
      this.shown = text;
      sink.update(this.alertId, { text }, time);
    }
  }

  private end(time: number, sink: AlertSink): void {
    if (this.alertId !== null) sink.clear(this.alertId, time, "ended");
    this.alertId = null;
    this.pending = false;
    this.path = [];
  }
}
