import pino from "pino";
import { AuditLog } from "../../../server/audit";
import type { AppSql, SqlEngine } from "../../../server/storage";
import { LoginAttempts, SessionStore, UserStore } from "../../../server/auth";
import type { RateLimits, SessionLimits } from "../../../server/auth";
import type { EngineContext } from "../storage/engines";

export interface AuthFixture {
  engine: SqlEngine;
  sql: AppSql;
  log: pino.Logger;
  clock: { now: number };
  now: () => number;
  sessions: SessionStore;
  users: UserStore;
  attempts: LoginAttempts;
  /** The audit log, on the same database. */
  audit: AuditLog;
  /** Rows of a query run straight on the auth stores' database. */
  rows<R = Record<string, unknown>>(statement: string): Promise<R[]>;
}

/**
 * Test helper: the auth stores on a fresh database of the engine under test (describeOnEngines) and a settable
 * clock, with the audit log on the same database.
 */
export async function authFixture(ctx: EngineContext, opts: { sessionLimits?: SessionLimits; rateLimits?: RateLimits } = {}): Promise<AuthFixture> {
  const log = pino({ level: "silent" });
  const sql = await ctx.open();
  const clock = { now: Date.parse("2025-06-01T08:00:00Z") };
  const now = () => clock.now;
  const sessions = new SessionStore(sql, now, opts.sessionLimits);
  const users = new UserStore(sql, sessions, now);
  const attempts = new LoginAttempts(sql, opts.rateLimits);
  const audit = new AuditLog(sql, log, now);
  return { engine: ctx.engine, sql, log, clock, now, sessions, users, attempts, audit, rows: (statement) => sql.run(statement) };
}
