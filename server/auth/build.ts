import type { Logger } from "pino";
import type { AuditLog } from "../audit";
import type { AppSql } from "../storage";
import { DEFAULT_RATE_LIMITS, LoginAttempts } from "./attempts";
import type { RateLimits } from "./attempts";
import { ensureFirstAdmin } from "./first-admin";
import type { FirstAdminEnv, FirstAdminOutcome } from "./first-admin";
import { LoginService } from "./login";
import { DEFAULT_SESSION_LIMITS, SessionStore } from "./sessions";
import type { SessionLimits } from "./sessions";
import { UserStore } from "./users";

export interface AuthBuildDeps {
  sql: AppSql;
  audit: AuditLog;
  log: Logger;
  clock: () => number;
  dataDir: string;
  /** Where DMC_ADMIN_USER / DMC_ADMIN_PASSWORD are read. */
  env: FirstAdminEnv;
  sessionLimits?: SessionLimits;
  rateLimits?: RateLimits;
}

/** Sessions held elsewhere (vehicle control) that housekeeping checks, and who is told when one ended. */
export interface HeldSessions {
  sessions(): Iterable<string>;
  ended(match: { sessionHash: string }, reason: string): void;
}

export interface AuthParts {
  users: UserStore;
  sessions: SessionStore;
  login: LoginService;
  /** What happened about the first administrator at start (main() tells the operator). */
  firstAdmin: FirstAdminOutcome;
  /** Starts the periodic purge of ended sessions and old failures; returns what stops it. */
  startHousekeeping(everyMs: number, held: HeldSessions): () => void;
}

/** Users, sessions and logins, with the first administrator created from the environment if asked. */
export async function buildAuth(deps: AuthBuildDeps): Promise<AuthParts> {
  const { sql, audit, clock: now } = deps;
  const sessions = new SessionStore(sql, now, deps.sessionLimits ?? DEFAULT_SESSION_LIMITS);
  const users = new UserStore(sql, sessions, now);
  const attempts = new LoginAttempts(sql, deps.rateLimits ?? DEFAULT_RATE_LIMITS);
  const login = new LoginService({ users, sessions, attempts, audit, log: deps.log, clock: now });
  const firstAdmin = await ensureFirstAdmin(users, deps.env, audit, deps.dataDir);
  return {
    users, sessions, login, firstAdmin,
    startHousekeeping(everyMs, held) {
      // Ended sessions and old failures go; control held in a session that ended unseen is released.
      let running = false;
      const sweep = async (t: number) => {
        for (const hash of held.sessions()) {
          if (!(await sessions.validateHash(hash, t, false)).ok) held.ended({ sessionHash: hash }, "session expired");
        }
        await sessions.purgeExpired(t);
        await login.auditRefusals(t);
        await attempts.purge(t);
      };
      const timer = setInterval(() => {
        // One sweep at a time: a slow database must not stack them up.
        if (running) return;
        running = true;
        sweep(now()).catch((err: unknown) => deps.log.error({ err }, "auth housekeeping failed: retried at the next round"))
          .finally(() => { running = false; });
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
