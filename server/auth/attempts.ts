import type { Db } from "../storage";
import { RefusalTally } from "./refusals";
import type { RefusalCount } from "./refusals";

export interface RateLimits {
  /** Sliding window of the per-address limit and of the per-name count, ms. */
  windowMs: number;
  /**
   * Failures of one name, from every address, in the window after which the name is under attack: each try of
   * it waits `nameSlowdownMs` before its password is verified, and an address that has already failed on it waits
   * between its tries. Never a lockout: the right password from an address without failures still gets in, so
   * an attacker cannot keep the name's owner out.
   */
  perName: number;
  /** Failures allowed per client address in the window, across names (several users share a control-room address). */
  perAddress: number;
  /** Failures of one name from one address before each further try waits; the wait doubles with each failure. */
  perNameAddress?: number;
  /** The first wait past `perNameAddress`, ms. */
  baseDelayMs?: number;
  /** The longest wait between tries of one name from one address, ms. */
  maxDelayMs?: number;
  /** How long a (name, address) pair's failures are remembered, ms (a good login from there forgets them at once). */
  memoryMs?: number;
  /** Added before verifying a password for a name under attack, ms. */
  nameSlowdownMs?: number;
}

const MINUTE_MS = 60_000;

/**
 * After 5 failures from one address a name waits 1 s, 2 s, 4 s ... up to 15 min (OWASP: growing delays rather than
 * a lockout); remembered for a day, so the capped wait holds an address to about 4 guesses an hour per name.
 */
export const DEFAULT_RATE_LIMITS: Required<RateLimits> = {
  windowMs: 15 * MINUTE_MS,
  perName: 5,
  perAddress: 20,
  perNameAddress: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * MINUTE_MS,
  memoryMs: 24 * 60 * MINUTE_MS,
  nameSlowdownMs: 1000,
};

/** Which limit refused a try: the address's own, or the (name, address) pair's growing delay. */
export type ThrottledBy = "address" | "name_address";

export type Reservation =
  | { ok: true; id: number; slowdownMs: number }
  | { ok: false; retryAfterMs: number; by: ThrottledBy };

/** The name refusals by the address limit are counted under: the typed names are the attacker's to vary. */
export const ANY_NAME = "*";

/**
 * Login attempts, kept in SQLite so a restart does not reset them. An attempt is reserved (a pending row) in the
 * same synchronous transaction as the limit check, before the slow password hash: attempts still being verified
 * count, so concurrent guesses cannot all pass the check before the first failure is written.
 */
export class LoginAttempts {
  private readonly limits: Required<RateLimits>;
  private readonly refusals: RefusalTally;

  constructor(private readonly db: Db, limits: RateLimits = DEFAULT_RATE_LIMITS) {
    this.limits = { ...DEFAULT_RATE_LIMITS, ...limits };
    this.refusals = new RefusalTally(db);
  }

  /** Checks the limits and, when they let the try through, reserves it. */
  reserve(name: string, address: string, now: number): Reservation {
    return this.db.transaction((): Reservation => {
      const byAddress = this.addressWait(address, now);
      if (byAddress > 0) return { ok: false, retryAfterMs: byAddress, by: "address" };
      const underAttack = this.nameFailures(name, now) >= this.limits.perName;
      const byPair = this.pairWait(name, address, underAttack, now);
      if (byPair > 0) return { ok: false, retryAfterMs: byPair, by: "name_address" };
      const id = this.db.prepare<[number, string, string]>("INSERT INTO login_attempts (at, name, address, pending) VALUES (?, ?, ?, 1)")
        .run(now, name, address).lastInsertRowid;
      return { ok: true, id: Number(id), slowdownMs: underAttack ? this.limits.nameSlowdownMs : 0 };
    }).immediate();
  }

  /** The reserved try failed; the pair's next wait runs from now, when its answer is given. */
  fail(id: number, now: number): void {
    this.db.prepare<[number, number]>("UPDATE login_attempts SET pending = 0, at = ? WHERE id = ?").run(now, id);
  }

  /**
   * The reserved try succeeded: it and the pair's failures go (only the password holder can do that). The
   * address's failures on other names stay, or an attacker with an account of their own could reset their address.
   */
  succeed(id: number, name: string, address: string): void {
    this.db.prepare<[number, string, string]>("DELETE FROM login_attempts WHERE id = ? OR (name = ? AND address = ? AND pending = 0)")
      .run(id, name, address);
  }

  /** The reserved try proved the password right but did not log in (a disabled account): it was no guess. */
  release(id: number): void {
    this.db.prepare<[number]>("DELETE FROM login_attempts WHERE id = ?").run(id);
  }

  /** Counts a refused try; returns the count to audit now, or null while this minute's entry is written. */
  noteRefusal(name: string, address: string, by: ThrottledBy, now: number): RefusalCount | null {
    return this.refusals.note(by === "address" ? ANY_NAME : name, address, now);
  }

  /** Refusal counts of minutes that have ended, to audit now. */
  dueRefusals(now: number): RefusalCount[] {
    return this.refusals.due(now);
  }

  /** Housekeeping: attempts no limit looks at any more, and refusal counts already audited. */
  purge(now: number): number {
    this.refusals.purge(now);
    const keep = Math.max(this.limits.windowMs, this.limits.memoryMs);
    return this.db.prepare<[number]>("DELETE FROM login_attempts WHERE at <= ?").run(now - keep).changes;
  }

  private nameFailures(name: string, now: number): number {
    return this.db.prepare<[string, number], { n: number }>("SELECT count(*) AS n FROM login_attempts WHERE name = ? AND at > ?")
      .get(name, now - this.limits.windowMs)?.n ?? 0;
  }

  /** 0 when the address may try now, else how long until its sliding window lets one through. */
  private addressWait(address: string, now: number): number {
    const { windowMs, perAddress } = this.limits;
    const since = now - windowMs;
    const n = this.db.prepare<[string, number], { n: number }>("SELECT count(*) AS n FROM login_attempts WHERE address = ? AND at > ?")
      .get(address, since)?.n ?? 0;
    if (n < perAddress) return 0;
    // The window lets a try through once enough of the oldest attempts have slid out of it.
    const pivot = this.db.prepare<[string, number, number], { at: number }>(
      "SELECT at FROM login_attempts WHERE address = ? AND at > ? ORDER BY at LIMIT 1 OFFSET ?",
    ).get(address, since, n - perAddress);
    return pivot ? Math.max(1, pivot.at + windowMs - now) : 1;
  }

  /**
   * 0 when this address may try this name now, else the rest of the pair's growing delay. Under attack, an
   * address that has already failed on the name waits from its first failure on, so many addresses do not get
   * `perNameAddress` quick guesses each; one without failures is not slowed here.
   */
  private pairWait(name: string, address: string, underAttack: boolean, now: number): number {
    const { perNameAddress, baseDelayMs, maxDelayMs, memoryMs } = this.limits;
    const row = this.db.prepare<[string, string, number], { n: number; last: number | null }>(
      "SELECT count(*) AS n, max(at) AS last FROM login_attempts WHERE name = ? AND address = ? AND at > ?",
    ).get(name, address, now - memoryMs);
    const n = row?.n ?? 0;
    if (n === 0 || row?.last == null || n < (underAttack ? 1 : perNameAddress)) return 0;
    const delay = Math.min(baseDelayMs * 2 ** Math.max(0, n - perNameAddress), maxDelayMs);
    return Math.max(0, row.last + delay - now);
  }
}
