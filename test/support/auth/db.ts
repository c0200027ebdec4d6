import pino from "pino";
import { AuditLog } from "../../../server/audit";
import { migrate, openDatabase } from "../../../server/storage";
import { MIGRATIONS } from "../../../server/migrations";
import type { Db } from "../../../server/storage";
import { LoginAttempts, SessionStore, UserStore } from "../../../server/auth";
import type { RateLimits, SessionLimits } from "../../../server/auth";

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
