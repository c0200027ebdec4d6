import { createHash, randomBytes } from "node:crypto";
import type { Role } from "../protocol";
import { rolesIn } from "./names";
import type { Kysely } from "kysely";
import type { AppSql } from "../storage";
import type { AuthTables } from "./tables";

export interface SessionMeta {
  address: string;
  userAgent: string;
}

export interface SessionLimits {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after login, used or not. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
/** last_seen is written at most this often, so a busy client does not turn every request into a write. */
const TOUCH_EVERY_MS = 60_000;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export interface SessionUser {
  sessionId: number;
  userId: number;
  name: string;
  roles: Role[];
  expiresAt: number;
}

export type ValidateResult = { ok: true; session: SessionUser } | { ok: false; reason: "unknown" | "idle" | "expired" | "disabled" };

/** The token is only ever held by the client; the database keeps its SHA-256, so a leaked file yields no sessions. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Ends every session of a user, on the transaction it is given (the user change that requires it). */
export async function revokeUserSessions(db: Kysely<AuthTables>, userId: number): Promise<number> {
  const r = await db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Login sessions behind an opaque random token, on SQLite or PostgreSQL (every server of a deployment sees the
 * same sessions). Times are epoch ms from the injected clock. An ended session is deleted; the audit log keeps the
 * history.
 */
export class SessionStore {
  private readonly db: Kysely<AuthTables>;

  constructor(
    sql: AppSql,
    private readonly clock: () => number = Date.now,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {
    this.db = sql.kysely<AuthTables>();
  }

  /** Starts a session and returns its token (32 random bytes, base64url): give it to the client, it is not kept. */
  async create(userId: number, meta: SessionMeta): Promise<{ token: string; sessionId: number; expiresAt: number }> {
    const token = randomBytes(32).toString("base64url");
    const now = this.clock();
    const expiresAt = now + this.limits.absoluteMs;
    const { id } = await this.db.insertInto("sessions").values({
      token_hash: tokenHash(token), user_id: userId, created_at: now, last_seen_at: now, expires_at: expiresAt,
      address: meta.address, user_agent: meta.userAgent.slice(0, 512),
    }).returning("id").executeTakeFirstOrThrow();
    return { token, sessionId: id, expiresAt };
  }

  /** The session's user and roles if the token is live; ends it when idle or past its absolute expiry. */
  async validate(token: string, now: number = this.clock()): Promise<ValidateResult> {
    if (!TOKEN_RE.test(token)) return { ok: false, reason: "unknown" };
    return this.validateHash(tokenHash(token), now);
  }

  /**
   * As validate, by the token's hash: for a server that keeps only the hash of a session it serves (sockets).
   * `touch: false` checks without counting as use (a periodic check must not keep an idle session alive).
   */
  async validateHash(hash: string, now: number = this.clock(), touch = true): Promise<ValidateResult> {
    const row = await this.db.selectFrom("sessions as s").innerJoin("users as u", "u.id", "s.user_id")
      .select(["s.id", "s.user_id", "s.last_seen_at", "s.expires_at", "u.name", "u.disabled"])
      .where("s.token_hash", "=", hash).executeTakeFirst();
    if (!row) return { ok: false, reason: "unknown" };
    const ended = row.disabled ? "disabled" : now >= row.expires_at ? "expired" : now - row.last_seen_at >= this.limits.idleMs ? "idle" : null;
    if (ended) {
      await this.db.deleteFrom("sessions").where("id", "=", row.id).execute();
      return { ok: false, reason: ended };
    }
    if (touch && now - row.last_seen_at >= TOUCH_EVERY_MS) {
      // Several servers may touch it at once: the latest time wins, never an earlier one.
      await this.db.updateTable("sessions").set({ last_seen_at: now }).where("id", "=", row.id).where("last_seen_at", "<", now).execute();
    }
    const have = (await this.db.selectFrom("user_roles").select("role").where("user_id", "=", row.user_id).execute()).map((r) => r.role);
    const roles = rolesIn(have);
    return { ok: true, session: { sessionId: row.id, userId: row.user_id, name: row.name, roles, expiresAt: row.expires_at } };
  }

  /** Ends one session (logout). Returns its user, for the audit log, or null if there was none. */
  async revoke(token: string): Promise<{ userId: number; name: string } | null> {
    if (!TOKEN_RE.test(token)) return null;
    const row = await this.db.deleteFrom("sessions").where("token_hash", "=", tokenHash(token))
      .returning((eb) => ["user_id", eb.selectFrom("users").select("users.name").whereRef("users.id", "=", "sessions.user_id").as("name")])
      .executeTakeFirst();
    return row ? { userId: row.user_id, name: row.name ?? "" } : null;
  }

  /** Ends every session of a user (disabled, roles or password changed). Returns how many ended. */
  async revokeUser(userId: number, tx?: Kysely<AuthTables>): Promise<number> {
    return revokeUserSessions(tx ?? this.db, userId);
  }

  /** Deletes sessions past either expiry (housekeeping; validate refuses them anyway). */
  async purgeExpired(now: number = this.clock()): Promise<number> {
    const r = await this.db.deleteFrom("sessions")
      .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<=", now - this.limits.idleMs)])).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Live sessions of a user (for an admin screen). */
  async countForUser(userId: number, now: number = this.clock()): Promise<number> {
    const r = await this.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId).where("expires_at", ">", now).where("last_seen_at", ">", now - this.limits.idleMs)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
