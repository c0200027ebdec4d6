import type { Logger } from "pino";
import type { Db } from "./database";

/**
 * One schema step, for both engines. `up` is the step on SQLite (the embedded default) and `postgres` the same step
 * on PostgreSQL (several servers sharing one database); each runs inside a transaction together with its row in
 * schema_migrations. The two must reach the same schema: test/integration/schema-engines.test.ts runs the whole list
 * on both and compares tables, columns, keys, indexes and triggers.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
  /** PostgreSQL statements (several, separated by semicolons; plpgsql bodies in $$ quotes), run as one script. */
  postgres: string;
}

interface AppliedRow {
  version: number;
  name: string;
  applied_at: string;
}

export class SchemaTooNewError extends Error {
  readonly code = "schema_too_new";
}

/** Checks a migration list is usable: versions 1, 2, 3... in order, without gaps, each named. */
export function checkMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}: versions must be 1, 2, 3... in order`);
    if (m.name.trim() === "") throw new Error(`migration ${m.version} has no name`);
  });
}

/**
 * The schema version a database's history (its schema_migrations rows, in order) says it is at, after checking that
 * this program can carry on from there: not a newer program's schema, not another branch's steps.
 */
export function checkHistory(applied: readonly { version: number; name: string }[], migrations: readonly Migration[], elsewhere: string): number {
  const known = migrations.length;
  const current = applied.at(-1)?.version ?? 0;
  if (current > known) {
    throw new SchemaTooNewError(`the database is at schema version ${current} but this program knows only up to ${known}: `
      + `it was written by a newer version. Upgrade this program, or use another ${elsewhere}.`);
  }
  for (const row of applied) {
    const ours = migrations[row.version - 1];
    if (ours?.name !== row.name) {
      throw new Error(`schema version ${row.version} in the database is "${row.name}" but this program's is "${ours?.name ?? "(none)"}": `
        + "the database comes from a different branch of the program.");
    }
  }
  return current;
}

/**
 * Brings the database up to the newest migration. Refuses a database written by a newer program (its
 * schema may mean things this code does not know) and one whose history names differ from ours (a
 * diverged branch), rather than guessing.
 */
export function migrate(db: Db, migrations: readonly Migration[], log: Logger, now: () => number = Date.now): { from: number; to: number } {
  checkMigrations(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = db.prepare<[], AppliedRow>("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").all();
  const known = migrations.length;
  const current = checkHistory(applied, migrations, "data directory");
  const insert = db.prepare<[number, string, string]>("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      // Another process (server and CLI share the file) may have applied it since we looked.
      if (db.prepare<[number], { version: number }>("SELECT version FROM schema_migrations WHERE version = ?").get(m.version)) return;
      m.up(db);
      insert.run(m.version, m.name, new Date(now()).toISOString());
    }).immediate();
    log.info({ version: m.version, name: m.name }, "schema migration applied");
  }
  return { from: current, to: known };
}
