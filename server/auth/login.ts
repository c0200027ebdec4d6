import type { Logger } from "pino";
import type { AuditLog } from "../audit";
import type { UserSummary } from "../protocol";
import type { LoginAttempts } from "./attempts";
import { hashPassword, needsRehash, verifyPassword } from "./passwords";
import type { SessionMeta, SessionStore } from "./sessions";
import type { UserStore } from "./users";

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
}

/** Longest name kept as typed in the attempts table and the audit log (a typed name can be anything). */
const MAX_NAME_KEPT = 64;

/**
 * Password login. An unknown name and a wrong password give the same answer after the same work (a dummy
 * hash is verified), so names cannot be probed; a disabled account is only revealed to its password holder.
 */
export class LoginService {
  private readonly clock: () => number;
  private readonly log: Logger;
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly deps: LoginDeps) {
    this.clock = deps.clock ?? Date.now;
    this.log = deps.log.child({ module: "login" });
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword("not a password: only spends the time of a real verification");
    return this.dummyHash;
  }

  async login(name: string, password: string, meta: SessionMeta): Promise<LoginResult> {
    const { users, sessions, attempts, audit } = this.deps;
    const typed = name.trim().toLowerCase().slice(0, MAX_NAME_KEPT);
    const now = this.clock();
    const refuse = (code: "bad_credentials" | "disabled" | "rate_limited", retryAfterMs?: number): LoginResult => {
      audit.append({ actor: typed, address: meta.address, action: "login_failed", target: typed, result: code,
        detail: retryAfterMs === undefined ? { userAgent: meta.userAgent } : { userAgent: meta.userAgent, retryAfterMs } });
      this.log.info({ user: typed, address: meta.address, code }, "login refused");
      return retryAfterMs === undefined ? { ok: false, code } : { ok: false, code, retryAfterMs };
    };

    const wait = attempts.retryAfter(typed, meta.address, now);
    if (wait > 0) return refuse("rate_limited", wait);

    const user = users.findByName(typed);
    const good = await verifyPassword(password, user?.passwordHash ?? (await this.dummy()));
    if (!user || !good) {
      attempts.recordFailure(typed, meta.address, now);
      return refuse("bad_credentials");
    }
    if (user.disabled) return refuse("disabled");

    attempts.clearName(user.name);
    if (needsRehash(user.passwordHash)) users.replaceHash(user.id, await hashPassword(password));
    users.recordLogin(user.id);
    const session = sessions.create(user.id, meta);
    audit.append({ actor: user.name, address: meta.address, action: "login", target: user.name, result: "ok",
      detail: { sessionId: session.sessionId, userAgent: meta.userAgent } });
    this.log.info({ user: user.name, address: meta.address }, "login");
    const { passwordHash: _hash, ...summary } = users.findById(user.id) ?? user;
    return { ok: true, session: { token: session.token, expiresAt: session.expiresAt }, user: summary };
  }

  /** Ends the session behind `token`; audited when there was one. */
  logout(token: string, meta: SessionMeta): boolean {
    const ended = this.deps.sessions.revoke(token);
    if (!ended) return false;
    this.deps.audit.append({ actor: ended.name, address: meta.address, action: "logout", target: ended.name, result: "ok" });
    return true;
  }
}
