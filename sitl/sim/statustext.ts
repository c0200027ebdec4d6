/**
 * STATUSTEXT as ArduPilot delivers it: held until the ground station has sent at least one packet on the link,
 * and dropped when queued for more than 5 s (ardupilot.md), so a late GCS does not get a backlog.
 */
export interface QueuedText {
  severity: number;
  text: string;
  at: number;
}

export const STATUSTEXT_MAX_AGE_MS = 5000;
/** MAVLink STATUSTEXT text field length. */
const TEXT_LENGTH = 50;

export class StatusTextQueue {
  private queue: QueuedText[] = [];

  push(severity: number, text: string, now: number): void {
    this.queue.push({ severity, text: text.slice(0, TEXT_LENGTH), at: now });
  }

  /** Texts to send now (only when `gcsSeen`); stale ones are dropped either way. */
  take(now: number, gcsSeen: boolean): QueuedText[] {
    this.queue = this.queue.filter((t) => now - t.at <= STATUSTEXT_MAX_AGE_MS);
    if (!gcsSeen) return [];
    const out = this.queue;
    this.queue = [];
    return out;
  }

  clear(): void {
    this.queue = [];
  }
}
