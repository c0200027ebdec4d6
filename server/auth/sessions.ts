import { createHash, randomBytes } from "node:crypto";
import type { Role } from "../protocol";
import { ROLES } from "../protocol";
import type { Db } from "../storage";

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

interface SessionRow {
  id: number;
  user_id: number;
  last_seen_at: number;
  expires_at: number;
  name: string;
  disabled: number;
}

/** The token is only ever held by the client; the database keeps its SHA-256, so a leaked file yields no sessions. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Login sessions behind an opaque random token. Times are epoch ms from the injected clock. An ended session is
 * deleted; the audit log keeps the history.
 */
export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {}

  /** Starts a session and returns its token (32 random bytes, base64url): give it to the client, it is not kept. */
  create(userId: number, meta: SessionMeta): { token: string; sessionId: number; expiresAt: number } {
    const token = randomBytes(32).toString("base64url");
    const now = this.clock();
    const expiresAt = now + this.limits.absoluteMs;
    const r = this.db.prepare<[string, number, number, number, number, string, string]>(`INSERT INTO sessions
      (token_hash, user_id, created_at, last_seen_at, expires_at, address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(tokenHash(token), userId, now, now, expiresAt, meta.address, meta.userAgent.slice(0, 512));
    return { token, sessionId: Number(r.lastInsertRowid), expiresAt };
  }

  /** The session's user and roles if the token is live; ends it when idle or past its absolute expiry. */
  validate(token: string, now: number = this.clock()): ValidateResult {
    if (!TOKEN_RE.test(token)) return { ok: false, reason: "unknown" };
    return this.validateHash(tokenHash(token), now);
  }

  /**
   * As validate, by the token's hash: for a server that keeps only the hash of a session it serves (sockets).
   * `touch: false` checks without counting as use (a periodic check must not keep an idle session alive).
   */
  validateHash(hash: string, now: number = this.clock(), touch = true): ValidateResult {
    const row = this.db.prepare<[string], SessionRow>(`SELECT s.id, s.user_id, s.last_seen_at, s.expires_at, u.name, u.disabled
      FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`).get(hash);
    if (!row) return { ok: false, reason: "unknown" };
    const ended = row.disabled ? "disabled" : now >= row.expires_at ? "expired" : now - row.last_seen_at >= this.limits.idleMs ? "idle" : null;
    if (ended) {
      this.db.prepare<[number]>("DELETE FROM sessions WHERE id = ?").run(row.id);
      return { ok: false, reason: ended };
    }
    if (touch && now - row.last_seen_at >= TOUCH_EVERY_MS) {
      this.db.prepare<[number, number]>("UPDATE sessions SET last_seen_at = ? WHERE id = ?").run(now, row.id);
    }
    const have = this.db.prepare<[number], { role: string }>("SELECT role FROM user_roles WHERE user_id = ?").all(row.user_id).map((r) => r.role);
    const roles = ROLES.filter((r) => have.includes(r));
    return { ok: true, session: { sessionId: row.id, userId: row.user_id, name: row.name, roles, expiresAt: row.expires_at } };
  }

  /** Ends one session (logout). Returns its user, for the audit log, or null if there was none. */
  revoke(token: string): { userId: number; name: string } | null {
    if (!TOKEN_RE.test(token)) return null;
    const row = this.db.prepare<[string], { user_id: number; name: string }>(`DELETE FROM sessions WHERE token_hash = ?
      RETURNING user_id, (SELECT name FROM users WHERE id = sessions.user_id) AS name`).get(tokenHash(token));
    return row ? { userId: row.user_id, name: row.name } : null;
  }

  /** Ends every session of a user (disabled, roles or password changed). Returns how many ended. */
  revokeUser(userId: number): number {
    return this.db.prepare<[number]>("DELETE FROM sessions WHERE user_id = ?").run(userId).changes;
  }

  /** Deletes sessions past either expiry (housekeeping; validate refuses them anyway). */
  purgeExpired(now: number = this.clock()): number {
    return this.db.prepare<[number, number]>("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?")
      .run(now, now - this.limits.idleMs).changes;
  }

  /** Live sessions of a user (for an admin screen). */
  countForUser(userId: number, now: number = this.clock()): number {
    return this.db.prepare<[number, number, number], { n: number }>(
      "SELECT count(*) AS n FROM sessions WHERE user_id = ? AND expires_at > ? AND last_seen_at > ?",
    ).get(userId, now, now - this.limits.idleMs)?.n ?? 0;
  }
}
