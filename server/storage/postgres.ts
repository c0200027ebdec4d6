import type pg from "pg";
import type { Logger } from "pino";
import { checkHistory, checkMigrations } from "./migrate";
import type { Migration } from "./migrate";

export type PgPool = pg.Pool;

/** pg's OID for int8 (BIGINT), the type every integer column has on PostgreSQL. */
const INT8_OID = 20;
/** Every step of every server's migration run holds this advisory lock ("dmc" + "migr" as one 64-bit key). */
const MIGRATION_LOCK_KEY = "7164870312546838386";

/**
 * int8 arrives from PostgreSQL as text: pg leaves it a string, because not every 64-bit value fits a JS number.
 * Ours are ids, counts and epoch milliseconds, all far below 2^53, and the stores read them as numbers on both
 * engines; a value that does not fit is refused loudly rather than rounded.
 */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`PostgreSQL returned the integer ${text}, beyond what a JavaScript number holds exactly`);
  return n;
}

function typesOf(driver: typeof pg): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === INT8_OID && format !== "binary" ? parseInt8 : driver.types.getTypeParser(oid, format ?? "text")) as pg.CustomTypesConfig["getTypeParser"],
  };
}

export interface PostgresOptions {
  /** Connections held open at most (default 10). */
  max?: number;
  /** A query waiting this long for a connection fails (default 10 s): a dead database raises an error, never a hang. */
  connectionTimeoutMs?: number;
  /** The server's name in pg_stat_activity, so an operator can tell the processes sharing the database apart. */
  applicationName?: string;
}

/**
 * A pool of connections to the PostgreSQL database several servers share (`postgres://user:pass@host:port/db`).
 * Integers come back as numbers, as from SQLite. Connection errors of idle clients are logged, not thrown: the
 * pool replaces the client, and the next query reports the outage to its caller. The driver is loaded here, on
 * first use: a server on the embedded SQLite never holds it (about 7 MiB).
 */
export async function openPostgres(url: string, log: Logger, opts: PostgresOptions = {}): Promise<PgPool> {
  const { default: driver } = await import("pg");
  const types = typesOf(driver);
  const pool = new driver.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 10_000,
    application_name: opts.applicationName ?? "dmc",
    types,
  });
  pool.on("error", (err) => log.warn({ err }, "idle PostgreSQL connection failed"));
  return pool;
}

interface AppliedRow {
  version: number;
  name: string;
}

/**
 * Brings a PostgreSQL database up to the newest migration: the same list, checks and refusals as `migrate` on
 * SQLite. Several servers may start at once against one database: each run holds an advisory lock for its whole
 * length, so the steps are applied once, in order, by whichever server comes first, and the others find them done.
 * Each step runs in a transaction together with its schema_migrations row.
 */
export async function migratePostgres(pool: PgPool, migrations: readonly Migration[], log: Logger, now: () => number = Date.now): Promise<{ from: number; to: number }> {
  checkMigrations(migrations);
  const client = await pool.connect();
  let unlocked = false;
  try {
    await client.query("SELECT pg_advisory_lock($1::bigint)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version BIGINT PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`);
      const applied = (await client.query<AppliedRow>("SELECT version, name FROM schema_migrations ORDER BY version")).rows;
      const known = migrations.length;
      const current = checkHistory(applied, migrations, "database");
      for (const m of migrations.slice(current)) {
        await client.query("BEGIN");
        try {
          await client.query(m.postgres);
          await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            [m.version, m.name, new Date(now()).toISOString()]);
          await client.query("COMMIT");
        } catch (err) {
          await client.query("ROLLBACK");
          throw new Error(`schema migration ${m.version} "${m.name}" failed on PostgreSQL: ${(err as Error).message}`, { cause: err });
        }
        log.info({ version: m.version, name: m.name }, "schema migration applied");
      }
      return { from: current, to: known };
    } finally {
      // A connection that broke mid-run has lost its lock with it: it is thrown away, not returned to the pool.
      unlocked = await client.query("SELECT pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_KEY]).then(() => true, () => false);
    }
  } finally {
    client.release(!unlocked);
  }
}
