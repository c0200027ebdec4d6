import { createRequire } from "node:module";
import type * as KyselyModule from "kysely";
import type { DatabaseConnection, Dialect, Kysely, RawBuilder, SqliteDatabase, SqliteDialectConfig, Transaction } from "kysely";

/*
 * Kysely's CommonJS build, not its ES-module one: under the TypeScript loader the server runs with, importing the
 * ES modules (some 600 files) took 23-28 MiB of RSS against 12 MiB for the CommonJS build (`process.memoryUsage()`
 * around each, Node 20). This file is the only one that loads Kysely at run time; the stores import its types only.
 */
const kysely = createRequire(import.meta.url)("kysely") as typeof KyselyModule;
const { CompiledQuery, PostgresDialect, sql, SqliteDialect, SqliteDriver } = kysely;
import type { Db } from "./database";
import type { PgPool } from "./postgres";

/** Which engine holds the application database: the embedded SQLite file, or PostgreSQL shared by several servers. */
export type SqlEngine = "sqlite" | "postgres";

/**
 * The application database behind one query builder (Kysely), on either engine: the stores written on it run
 * unchanged on the embedded SQLite and on PostgreSQL, and their suites run on both (test/support/storage).
 *
 * Each capability declares its own tables (`Kysely<IncidentTables>`) and takes `sql.kysely<IncidentTables>()`: one
 * instance underneath, so every store shares one connection (SQLite) or one pool (PostgreSQL).
 *
 * On SQLite the builder runs on the very connection the synchronous stores use, so its writes and theirs are one
 * file, one lock and one order. A transaction holds that connection from BEGIN IMMEDIATE to COMMIT; its body must
 * await nothing but its own queries, or a synchronous store's write made meanwhile would land inside it.
 */
export class AppSql {
  private constructor(readonly engine: SqlEngine, private readonly instance: Kysely<object>, private readonly owned: boolean) {}

  /** Over an open SQLite connection (better-sqlite3); closing this leaves the connection to its owner. */
  static sqlite(db: Db): AppSql {
    // Kysely's driver closes the database it is given on destroy; the connection belongs to whoever opened it.
    const database: SqliteDatabase = { prepare: (text) => db.prepare(text), close: () => undefined };
    return new AppSql("sqlite", new kysely.Kysely<object>({ dialect: immediateSqliteDialect({ database }) }), false);
  }

  /** Over a PostgreSQL pool (openPostgres); close() ends the pool. */
  static postgres(pool: PgPool): AppSql {
    return new AppSql("postgres", new kysely.Kysely<object>({ dialect: new PostgresDialect({ pool }) }), true);
  }

  /** The builder typed with a capability's own tables. */
  kysely<T>(): Kysely<T> {
    return this.instance as unknown as Kysely<T>;
  }

  /**
   * Runs `body` in a transaction that holds `lock` for its length. On PostgreSQL that is a transaction-scoped
   * advisory lock: writers on any server that name the same lock take turns, for rules no single row can hold
   * ("one administrator must remain", "a login is counted before its password is checked"). On SQLite the
   * transaction's BEGIN IMMEDIATE already makes every writer take turns.
   */
  async exclusive<T, R>(db: Kysely<T>, lock: string, body: (tx: Transaction<T>) => Promise<R>): Promise<R> {
    return db.transaction().execute(async (tx) => {
      if (this.engine === "postgres") await sql`SELECT pg_advisory_xact_lock(hashtext(${lock}))`.execute(tx);
      return body(tx);
    });
  }

  /** Runs one statement as written, with no parameters (a health check, maintenance; stores use the builder). */
  async run<R = Record<string, unknown>>(statement: string): Promise<R[]> {
    return (await sql.raw<R>(statement).execute(this.instance)).rows;
  }

  async close(): Promise<void> {
    if (this.owned) await this.instance.destroy();
  }

  /**
   * `column` contains `text`, case-insensitively for ASCII on both engines (SQLite's LIKE; PostgreSQL's ILIKE), with
   * %, _ and \ in `text` taken literally.
   */
  contains(column: string, text: string): RawBuilder<boolean> {
    const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return sql<boolean>`${sql.ref(column)} ${sql.raw(this.engine === "postgres" ? "ILIKE" : "LIKE")} ${pattern} ESCAPE '\\'`;
  }
}

/**
 * A uniqueness the schema enforces was hit (UNIQUE, PRIMARY KEY, a unique index): the engine's answer to two
 * servers, or two requests, racing to write the same thing. The store turns it into its own refusal.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null || !("code" in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/**
 * SQLite transactions start with BEGIN IMMEDIATE, as the synchronous stores' do: the write lock is taken at the
 * start, so a transaction that reads then writes never fails half-way because another process (a CLI) wrote first.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

function immediateSqliteDialect(config: SqliteDialectConfig): Dialect {
  const base = new SqliteDialect(config);
  return {
    createAdapter: () => base.createAdapter(),
    createDriver: () => new ImmediateSqliteDriver(config),
    createQueryCompiler: () => base.createQueryCompiler(),
    createIntrospector: (db) => base.createIntrospector(db),
  };
}
