export { openDatabase } from "./database";
export type { Db } from "./database";
export { migrate, checkMigrations, SchemaTooNewError } from "./migrate";
export type { Migration } from "./migrate";
export { openAppDatabase, DATABASE_FILE } from "./app-database";
export { DataDirInUseError, DataDirLock, LOCK_FILE, describeHolder, holderAlive, liveHolder, localProbe } from "./lock";
export type { LockHolder, LockProbe } from "./lock";
export { migratePostgres, openPostgres, parseInt8 } from "./postgres";
export type { PgPool, PostgresOptions } from "./postgres";
