import type { Kysely } from "kysely";
import type { AppSql } from "../storage";
import { LOGIN_LOCK, RefusalTally } from "./refusals";
import type { AuthTables } from "./tables";
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
 * Login attempts, kept in the database so a restart does not reset them, and shared by every server. An attempt is
 * reserved (a pending row) in the same transaction as the limit check, before the slow password hash, and under
 * the login lock (PostgreSQL; SQLite's transactions take turns anyway): attempts still being verified count, so
 * concurrent guesses, on one server or several, cannot all pass the check before the first failure is written.
 */
export class LoginAttempts {
  private readonly limits: Required<RateLimits>;
  private readonly refusals: RefusalTally;
  private readonly db: Kysely<AuthTables>;

  constructor(private readonly sql: AppSql, limits: RateLimits = DEFAULT_RATE_LIMITS) {
    this.limits = { ...DEFAULT_RATE_LIMITS, ...limits };
    this.refusals = new RefusalTally(sql);
    this.db = sql.kysely<AuthTables>();
  }

  /** Checks the limits and, when they let the try through, reserves it. */
  async reserve(name: string, address: string, now: number): Promise<Reservation> {
    return this.sql.exclusive(this.db, LOGIN_LOCK, async (tx): Promise<Reservation> => {
      const byAddress = await this.addressWait(tx, address, now);
      if (byAddress > 0) return { ok: false, retryAfterMs: byAddress, by: "address" };
      const underAttack = await this.nameFailures(tx, name, now) >= this.limits.perName;
      const byPair = await this.pairWait(tx, name, address, underAttack, now);
      if (byPair > 0) return { ok: false, retryAfterMs: byPair, by: "name_address" };
      const { id } = await tx.insertInto("login_attempts").values({ at: now, name, address, pending: 1 }).returning("id").executeTakeFirstOrThrow();
      return { ok: true, id, slowdownMs: underAttack ? this.limits.nameSlowdownMs : 0 };
    });
  }

  /** The reserved try failed; the pair's next wait runs from now, when its answer is given. */
  async fail(id: number, now: number): Promise<void> {
    await this.db.updateTable("login_attempts").set({ pending: 0, at: now }).where("id", "=", id).execute();
  }

  /**
   * The reserved try succeeded: it and the pair's failures go (only the password holder can do that). The
   * address's failures on other names stay, or an attacker with an account of their own could reset their address.
   */
  async succeed(id: number, name: string, address: string): Promise<void> {
    await this.db.deleteFrom("login_attempts")
      .where((eb) => eb.or([eb("id", "=", id), eb.and([eb("name", "=", name), eb("address", "=", address), eb("pending", "=", 0)])]))
      .execute();
  }

  /** The reserved try proved the password right but did not log in (a disabled account): it was no guess. */
  async release(id: number): Promise<void> {
    await this.db.deleteFrom("login_attempts").where("id", "=", id).execute();
  }

  /** Counts a refused try; returns the count to audit now, or null while this minute's entry is written. */
  async noteRefusal(name: string, address: string, by: ThrottledBy, now: number): Promise<RefusalCount | null> {
    return this.refusals.note(by === "address" ? ANY_NAME : name, address, now);
  }

  /** Refusal counts of minutes that have ended, to audit now. */
  async dueRefusals(now: number): Promise<RefusalCount[]> {
    return this.refusals.due(now);
  }

  /** Housekeeping: attempts no limit looks at any more, and refusal counts already audited. */
  async purge(now: number): Promise<number> {
    await this.refusals.purge(now);
    const keep = Math.max(this.limits.windowMs, this.limits.memoryMs);
    const r = await this.db.deleteFrom("login_attempts").where("at", "<=", now - keep).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  private async nameFailures(tx: Kysely<AuthTables>, name: string, now: number): Promise<number> {
    const r = await tx.selectFrom("login_attempts").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("name", "=", name).where("at", ">", now - this.limits.windowMs).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** 0 when the address may try now, else how long until its sliding window lets one through. */
  private async addressWait(tx: Kysely<AuthTables>, address: string, now: number): Promise<number> {
    const { windowMs, perAddress } = this.limits;
    const since = now - windowMs;
    const r = await tx.selectFrom("login_attempts").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("address", "=", address).where("at", ">", since).executeTakeFirst();
    const n = Number(r?.n ?? 0);
    if (n < perAddress) return 0;
    const pivot = await tx.selectFrom("login_attempts").select("at").where("address", "=", address).where("at", ">", since)
      .orderBy("at").limit(1).offset(n - perAddress).executeTakeFirst();
    return pivot ? Math.max(1, pivot.at + windowMs - now) : 1;
  }

  /**
   * 0 when this address may try this name now, else the rest of the pair's growing delay. Under attack, an
   * address that has already failed on the name waits from its first failure on, so many addresses do not get
   * `perNameAddress` quick guesses each; one without failures is not slowed here.
   */
  private async pairWait(tx: Kysely<AuthTables>, name: string, address: string, underAttack: boolean, now: number): Promise<number> {
    const { perNameAddress, baseDelayMs, maxDelayMs, memoryMs } = this.limits;
    const row = await tx.selectFrom("login_attempts")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.max<number | null>("at").as("last")])
      .where("name", "=", name).where("address", "=", address).where("at", ">", now - memoryMs).executeTakeFirst();
    const n = Number(row?.n ?? 0);
    const last = row?.last ?? null;
    if (n === 0 || last === null || n < (underAttack ? 1 : perNameAddress)) return 0;
    const delay = Math.min(baseDelayMs * 2 ** Math.max(0, n - perNameAddress), maxDelayMs);
    return Math.max(0, Number(last) + delay - now);
  }
}
