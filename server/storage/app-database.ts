import path from "node:path";
import type { Logger } from "pino";
import { openDatabase } from "./database";
import type { Db } from "./database";
import { migrate } from "./migrate";
import { MIGRATIONS } from "./migrations";

export const DATABASE_FILE = "dmc.sqlite";

/** The application database in the data directory, migrated to the newest schema (server and CLIs). */
export function openAppDatabase(dataDir: string, log: Logger): Db {
  const db = openDatabase(path.join(dataDir, DATABASE_FILE), log);
  try {
    migrate(db, MIGRATIONS, log);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
