/** Exponential reconnect delays: initial, doubled after each failure up to max, back to initial on success. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({ initialMs: 500, maxMs: 10_000 });

export class Backoff {
  private current: number;

  constructor(private readonly opts: BackoffOptions = DEFAULT_BACKOFF) {
    this.current = opts.initialMs;
  }

  /** The delay to wait now; the following one will be longer. */
  next(): number {
    const delay = this.current;
    this.current = Math.min(this.current * 2, this.opts.maxMs);
    return delay;
  }

  reset(): void {
    this.current = this.opts.initialMs;
  }
}
