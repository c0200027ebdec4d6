import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Logger } from "pino";

export type Db = Database.Database;

/**
 * Opens (or creates) a SQLite database with the settings every store relies on: WAL so readers do not block the
 * writer (the server and a CLI may share the file), foreign keys enforced, and a busy timeout so a second
 * process waits for a lock instead of failing at once. `:memory:` gives a private database (tests).
 */
export function openDatabase(file: string, log: Logger, opts: { busyTimeoutMs?: number } = {}): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    if (file !== ":memory:") db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs ?? 5000)}`);
    db.pragma("synchronous = NORMAL");
  } catch (err) {
    db.close();
    throw err;
  }
  log.debug({ file }, "database open");
  return db;
}
