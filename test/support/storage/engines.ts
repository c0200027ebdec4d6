import pino from "pino";
import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { MIGRATIONS } from "../../../server/migrations";
import { AppSql, migrate, migratePostgres, openDatabase, openPostgres } from "../../../server/storage";
import type { SqlEngine } from "../../../server/storage";
import { Postgres } from "../../helpers/postgres";

/** What a store suite gets on each engine. */
export interface EngineContext {
  readonly engine: SqlEngine;
  /** A fresh application database at the newest schema, on this engine; closed after the test. */
  open(): Promise<AppSql>;
  /** Runs a statement straight on the database (what a store never does: tests of the triggers). */
  exec(sql: AppSql, statement: string): Promise<void>;
  /** Something else to close after the test (after the databases). */
  onClose(close: () => void): void;
}

const ENGINES: readonly SqlEngine[] = ["sqlite", "postgres"];

/**
 * Runs a store's suite once on the embedded SQLite and once on a real PostgreSQL (Debian's, started for this file
 * in a temp dir; missing, the suite fails). Each `open()` is a new database at the newest schema: on PostgreSQL a
 * copy of a template migrated once per file, so a test costs a CREATE DATABASE, not the whole migration list.
 */
export function describeOnEngines(name: string, body: (ctx: EngineContext) => void): void {
  for (const engine of ENGINES) {
    describe(`${name} (${engine})`, () => {
      const log = pino({ level: "silent" });
      let server: Postgres | null = null;
      let count = 0;
      const opened: AppSql[] = [];
      const closers: (() => void)[] = [];

      beforeAll(async () => {
        if (engine !== "postgres") return;
        server = await Postgres.create();
        await server.query("CREATE DATABASE dmc_template");
        const pool = await openPostgres(server.urlOf("dmc_template"), log);
        try {
          await migratePostgres(pool, MIGRATIONS, log);
        } finally {
          await pool.end();
        }
      }, 120_000);
      afterEach(async () => {
        await Promise.all(opened.splice(0).map((s) => s.close()));
        closers.splice(0).forEach((close) => close());
      });
      afterAll(async () => {
        await server?.dispose();
      });

      body({
        engine,
        async open() {
          if (engine === "sqlite") {
            const db = openDatabase(":memory:", log);
            migrate(db, MIGRATIONS, log);
            closers.push(() => db.close());
            const sql = AppSql.sqlite(db);
            opened.push(sql);
            return sql;
          }
          const name = `dmc_test_${++count}`;
          await server!.query(`CREATE DATABASE ${name} TEMPLATE dmc_template`);
          const sql = AppSql.postgres(await openPostgres(server!.urlOf(name), log));
          opened.push(sql);
          return sql;
        },
        async exec(sql, statement) {
          await sql.run(statement);
        },
        onClose(close) {
          closers.push(close);
        },
      });
    });
  }
}
