import type { Db } from "../storage";

export interface RateLimits {
  windowMs: number;
  /** Failures allowed per user name in the window. */
  perName: number;
  /** Failures allowed per client address in the window (several users share a control-room address). */
  perAddress: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { windowMs: 15 * 60_000, perName: 5, perAddress: 20 };

/**
 * Failed logins in a sliding window, kept in SQLite so a restart does not reset the count. A good login clears
 * its name's failures (only the password holder can do that) but not its address's (an attacker with an
 * account of their own could otherwise reset their address).
 */
export class LoginAttempts {
  constructor(private readonly db: Db, private readonly limits: RateLimits = DEFAULT_RATE_LIMITS) {}

  /** 0 when a login may be tried now, else how long to wait (ms) until the window lets one through. */
  retryAfter(name: string, address: string, now: number): number {
    return Math.max(this.waitFor("name", name, this.limits.perName, now), this.waitFor("address", address, this.limits.perAddress, now));
  }

  private waitFor(column: "name" | "address", value: string, limit: number, now: number): number {
    const since = now - this.limits.windowMs;
    const n = this.db.prepare<[string, number], { n: number }>(`SELECT count(*) AS n FROM login_attempts WHERE ${column} = ? AND at > ?`)
      .get(value, since)?.n ?? 0;
    if (n < limit) return 0;
    // The window lets a try through once enough of the oldest failures have slid out of it.
    const pivot = this.db.prepare<[string, number, number], { at: number }>(
      `SELECT at FROM login_attempts WHERE ${column} = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?`,
    ).get(value, since, n - limit);
    return pivot ? Math.max(1, pivot.at + this.limits.windowMs - now) : 1;
  }

  recordFailure(name: string, address: string, now: number): void {
    this.db.prepare<[number, string, string]>("INSERT INTO login_attempts (at, name, address) VALUES (?, ?, ?)").run(now, name, address);
  }

  clearName(name: string): void {
    this.db.prepare<[string]>("DELETE FROM login_attempts WHERE name = ?").run(name);
  }

  /** Housekeeping: failures out of the window count for nothing. */
  purge(now: number): number {
    return this.db.prepare<[number]>("DELETE FROM login_attempts WHERE at <= ?").run(now - this.limits.windowMs).changes;
  }
}
