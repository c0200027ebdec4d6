import path from "node:path";
import type { Logger } from "pino";
import { openDatabase } from "./database";
import type { Db } from "./database";
import { migrate } from "./migrate";
import type { Migration } from "./migrate";

export const DATABASE_FILE = "dmc.sqlite";

/**
 * The application database in the data directory, migrated to the newest schema (server and CLIs). The caller
 * hands the migrations (the application's list, server/migrations.ts): storage knows no capability's schema.
 */
export function openAppDatabase(dataDir: string, log: Logger, migrations: readonly Migration[]): Db {
  const db = openDatabase(path.join(dataDir, DATABASE_FILE), log);
  try {
    migrate(db, migrations, log);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
