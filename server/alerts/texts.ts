import type { Severity, StatusText, VehicleKey } from "../protocol";
import type { AlertSink } from "./episode";
import type { AlertTuning } from "./tuning";

/** MAV_SEVERITY order: a lower index is worse. */
const SEVERITY_ORDER: readonly Severity[] = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"];

export function severityRank(s: Severity): number {
  return SEVERITY_ORDER.indexOf(s);
}

/** Texts of severity WARNING or worse become alerts; NOTICE and below are chatter ("Mission: 2 WP"). */
export function alertWorthy(s: Severity): boolean {
  return severityRank(s) <= severityRank("warning");
}

/**
 * The identity of a text for repeat detection: case and measured numbers aside, so "PreArm: Battery 1 low voltage
 * 14.2V" and "... 14.1V" are one repeating condition, not a new alert every 30 s. Digits that are part of a name
 * stay: "EKF3 IMU0 stopped aiding" and "EKF3 IMU1 stopped aiding" are two EKF cores, two messages.
 */
export function textIdentity(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase().replace(/(?<![a-z\d.])\d+(\.\d+)?/g, "#");
}

/**
 * ArduPilot sends PreArm/Arm refusals as CRITICAL, but they mean "will not arm", on the ground: a warning for
 * the pilot, not a critical alert beside a failsafe.
 */
function alertSeverity(status: StatusText): Severity {
  return /^\s*(pre)?arm\b/i.test(status.text) ? "warning" : status.severity;
}

interface TextEpisode {
  id: number;
  count: number;
  lastSeen: number;
  severity: Severity;
  text: string;
  /** A count not yet written and sent (updates are throttled). */
  pending: boolean;
  lastWrite: number;
}

export type TextOutcome = "raised" | "repeated" | "rate_limited" | "refused";

function wording(text: string, count: number): string {
  return count > 1 ? `${text} (seen ${count} times)` : text;
}

/**
 * STATUSTEXT alerts of one vehicle: one alert per distinct text per episode. A repeat within `textRepeatMs`
 * counts on the same alert; the episode ends after a quiet `textRepeatMs`. New alerts are rate-limited.
 */
export class TextRule {
  private readonly episodes = new Map<string, TextEpisode>();
  private raises: number[] = [];

  constructor(private readonly key: VehicleKey, private readonly tuning: AlertTuning) {}

  add(status: StatusText, sink: AlertSink): TextOutcome {
    const identity = textIdentity(status.text);
    const time = status.time;
    const ep = this.episodes.get(identity);
    if (ep && time - ep.lastSeen <= this.tuning.textRepeatMs) {
      ep.count += 1;
      ep.lastSeen = time;
      ep.text = status.text.trim();
      const severity = alertSeverity(status);
      if (severityRank(severity) < severityRank(ep.severity)) ep.severity = severity;
      ep.pending = true;
      if (time - ep.lastWrite >= this.tuning.textUpdateMs) this.flush(ep, time, sink);
      return "repeated";
    }
    if (ep) this.end(identity, ep, time, sink);
    this.raises = this.raises.filter((t) => time - t < 60_000);
    if (this.raises.length >= this.tuning.textAlertsPerMinute) return "rate_limited";
    const severity = alertSeverity(status);
    const id = sink.raise(this.key, "statustext", severity, status.text.trim(), time);
    if (id === null) return "refused";
    this.raises.push(time);
    this.episodes.set(identity, { id, count: 1, lastSeen: time, severity, text: status.text.trim(), pending: false, lastWrite: time });
    return "raised";
  }

  /** Per tick: sends throttled counts, ends episodes that have been quiet for the repeat window. */
  tick(time: number, sink: AlertSink): void {
    for (const [identity, ep] of this.episodes) {
      if (time - ep.lastSeen > this.tuning.textRepeatMs) this.end(identity, ep, time, sink);
      else if (ep.pending && time - ep.lastWrite >= this.tuning.textUpdateMs) this.flush(ep, time, sink);
    }
  }

  private flush(ep: TextEpisode, time: number, sink: AlertSink): void {
    ep.pending = false;
    ep.lastWrite = time;
    sink.update(ep.id, { text: wording(ep.text, ep.count), count: ep.count, severity: ep.severity }, time);
  }

  private end(identity: string, ep: TextEpisode, time: number, sink: AlertSink): void {
    if (ep.pending) this.flush(ep, time, sink);
    sink.clear(ep.id, time, "ended");
    this.episodes.delete(identity);
  }
}
