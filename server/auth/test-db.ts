import pino from "pino";
import { AuditLog } from "../audit";
import { migrate, MIGRATIONS, openDatabase } from "../storage";
import type { Db } from "../storage";
import { LoginAttempts } from "./attempts";
import type { RateLimits } from "./attempts";
import { SessionStore } from "./sessions";
import type { SessionLimits } from "./sessions";
import { UserStore } from "./users";

/** Test helper: a migrated in-memory database and the auth stores on a settable clock. */
export function authFixture(opts: { sessionLimits?: SessionLimits; rateLimits?: RateLimits } = {}) {
  const log = pino({ level: "silent" });
  const db: Db = openDatabase(":memory:", log);
  migrate(db, MIGRATIONS, log);
  const clock = { now: Date.parse("2025-06-01T08:00:00Z") };
  const now = () => clock.now;
  const sessions = new SessionStore(db, now, opts.sessionLimits);
  const users = new UserStore(db, sessions, now);
  const attempts = new LoginAttempts(db, opts.rateLimits);
  const audit = new AuditLog(db, log, now);
  return { db, log, clock, now, sessions, users, attempts, audit };
}
