import type { Logger } from "pino";
import type { AuditLog } from "../audit";
import type { UserSummary } from "../protocol";
import { ANY_NAME } from "./attempts";
import type { LoginAttempts } from "./attempts";
import { hashPassword, needsRehash, verifyPassword } from "./passwords";
import type { SessionMeta, SessionStore } from "./sessions";
import type { RefusalCount } from "./refusals";
import type { UserRecord, UserStore } from "./users";

export type LoginResult =
  | { ok: true; session: { token: string; expiresAt: number }; user: UserSummary }
  | { ok: false; code: "bad_credentials" | "disabled" | "rate_limited"; retryAfterMs?: number };

export interface LoginDeps {
  users: UserStore;
  sessions: SessionStore;
  attempts: LoginAttempts;
  audit: AuditLog;
  log: Logger;
  clock?: () => number;
  /** Waits before verifying a password for a name under attack (tests pass one that only records). */
  sleep?: (ms: number) => Promise<void>;
  /** Checks a password against a stored hash (tests count the verifications through it). */
  verify?: (password: string, encoded: string) => Promise<boolean>;
}

/** Longest name kept as typed in the attempts table and the audit log (a typed name can be anything). */
const MAX_NAME_KEPT = 64;

type Refusal = "bad_credentials" | "disabled";

/**
 * Password login. An unknown name and a wrong password give the same answer after the same work (a dummy
 * hash is verified), so names cannot be probed; a disabled account is only revealed to its password holder.
 * Each try is reserved before its password is hashed (see LoginAttempts), and tries refused by the limits are
 * audited as counts, at most one entry a minute per name and address.
 */
export class LoginService {
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly verify: (password: string, encoded: string) => Promise<boolean>;
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: LoginDeps) {
    this.clock = deps.clock ?? Date.now;
    this.log = deps.log.child({ module: "login" });
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.verify = deps.verify ?? verifyPassword;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword("not a password: only spends the time of a real verification");
    return this.dummyHash;
  }

  async login(name: string, password: string, meta: SessionMeta): Promise<LoginResult> {
    const { users, sessions, attempts, audit } = this.deps;
    const typed = name.trim().toLowerCase().slice(0, MAX_NAME_KEPT);
    const now = this.clock();
    await this.auditRefusals(now);
    const refuse = async (code: Refusal): Promise<LoginResult> => {
      await audit.append({ actor: typed, address: meta.address, action: "login_failed", target: typed, result: code, detail: { userAgent: meta.userAgent } });
      this.log.info({ user: typed, address: meta.address, code }, "login refused");
      return { ok: false, code };
    };

    // The check and the reservation are one transaction: a gap between them is what concurrent guesses raced through.
    const reservation = await attempts.reserve(typed, meta.address, now);
    if (!reservation.ok) {
      const count = await attempts.noteRefusal(typed, meta.address, reservation.by, now);
      if (count) await this.auditRefusal(count);
      this.log.debug({ user: typed, address: meta.address, by: reservation.by }, "login throttled");
      return { ok: false, code: "rate_limited", retryAfterMs: reservation.retryAfterMs };
    }

    let user: UserRecord | null;
    let good: boolean;
    try {
      if (reservation.slowdownMs > 0) await this.sleep(reservation.slowdownMs);
      user = await users.findByName(typed);
      good = await this.verify(password, user?.passwordHash ?? (await this.dummy()));
    } catch (err) {
      await attempts.fail(reservation.id, this.clock());
      throw err;
    }
    if (!user || !good) {
      await attempts.fail(reservation.id, this.clock());
      return refuse("bad_credentials");
    }
    if (user.disabled) {
      await attempts.release(reservation.id);
      return refuse("disabled");
    }

    await attempts.succeed(reservation.id, typed, meta.address);
    if (needsRehash(user.passwordHash)) await users.replaceHash(user.id, await hashPassword(password));
    await users.recordLogin(user.id);
    const session = await sessions.create(user.id, meta);
    await audit.append({ actor: user.name, address: meta.address, action: "login", target: user.name, result: "ok",
      detail: { sessionId: session.sessionId, userAgent: meta.userAgent } });
    this.log.info({ user: user.name, address: meta.address }, "login");
    const { passwordHash: _hash, ...summary } = (await users.findById(user.id)) ?? user;
    return { ok: true, session: { token: session.token, expiresAt: session.expiresAt }, user: summary };
  }

  /** Writes the refusal counts of minutes that have ended (housekeeping; a login does it too). */
  async auditRefusals(now: number = this.clock()): Promise<number> {
    const due = await this.deps.attempts.dueRefusals(now);
    for (const count of due) await this.auditRefusal(count);
    return due.length;
  }

  private async auditRefusal(c: RefusalCount): Promise<void> {
    const by = c.name === ANY_NAME ? "address" : "name_address";
    await this.deps.audit.append({ actor: c.name, address: c.address, action: "login_failed", target: c.name, result: "rate_limited",
      detail: { count: c.count, since: new Date(c.since).toISOString(), until: new Date(c.until).toISOString(), by } });
    this.log.info({ user: c.name, address: c.address, count: c.count, by }, "logins throttled");
  }

  /** Ends the session behind `token`; audited when there was one. */
  async logout(token: string, meta: SessionMeta): Promise<boolean> {
    const ended = await this.deps.sessions.revoke(token);
    if (!ended) return false;
    await this.deps.audit.append({ actor: ended.name, address: meta.address, action: "logout", target: ended.name, result: "ok" });
    return true;
  }
}
