import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import type { Command } from "commander";
import pino from "pino";
import type { Logger } from "pino";
import { AuditLog } from "../audit";
import { resolveDataDir } from "../config";
import { MIGRATIONS } from "../migrations";
import { DATABASE_FILE, DataDirInUseError, DataDirLock, describeHolder, liveHolder, openAppDatabase } from "../storage";
import { AppSql } from "../storage";
import type { Db } from "../storage";

/** What every CLI command works with: the application database in the data directory and its audit log. */
export interface CliContext {
  db: Db;
  /** The same database behind the query builder (the stores moved onto it). */
  sql: AppSql;
  audit: AuditLog;
  log: Logger;
  /** The audit actor: "cli:<os user>". */
  actor: string;
  dataDir: string;
  /** Held while an "exclusive" command runs; released by run(). */
  lock: DataDirLock | null;
}

/**
 * What a command does while a server holds the data directory: "share" (small writes the server expects, like
 * adding a user), "readonly" (reads only, the database opened read-only, no migration), or exclusive (refused
 * while a server runs, and no server can start meanwhile: the command, named here, holds the lock).
 */
export type ServerPresence = "share" | "readonly" | { exclusive: string };

export function cliActor(): string {
  try {
    return `cli:${os.userInfo().username}`;
  } catch {
    return "cli:unknown";
  }
}

export function openCli(dataDirFlag: string | undefined, env: NodeJS.ProcessEnv, presence: ServerPresence = "share"): CliContext {
  // Warnings and errors only, on stderr: stdout is the command's answer.
  const log = pino({ level: "warn", base: { app: "dmc-cli" } }, pino.destination(2));
  const dataDir = resolveDataDir(dataDirFlag, env);
  let lock: DataDirLock | null = null;
  let db: Db;
  const server = presence === "readonly" ? liveHolder(dataDir) : null;
  if (typeof presence === "object") {
    try {
      lock = DataDirLock.acquire(dataDir, { by: presence.exclusive });
    } catch (e) {
      if (e instanceof DataDirInUseError) throw new Error(`${e.message}: stop it first`);
      throw e;
    }
    try {
      db = openAppDatabase(dataDir, log, MIGRATIONS);
    } catch (e) {
      lock.release();
      throw e;
    }
  } else if (server !== null) {
    // The server owns the schema and the writes: no migration, nothing written.
    err(`note: ${describeHolder(dataDir, server)}: reading it read-only`);
    db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
  } else {
    db = openAppDatabase(dataDir, log, MIGRATIONS);
  }
  const sql = AppSql.sqlite(db);
  return { db, sql, audit: new AuditLog(sql, log), log, actor: cliActor(), dataDir, lock };
}

export const out = (text: string): void => { process.stdout.write(`${text}\n`); };
export const err = (text: string): void => { process.stderr.write(`${text}\n`); };

/** Runs a CLI action, closing the database and turning a thrown error into a message and exit code 1. */
export async function run(ctx: () => CliContext, action: (c: CliContext) => Promise<number> | number): Promise<void> {
  let c: CliContext | null = null;
  try {
    c = ctx();
    process.exitCode = await action(c);
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    // Entries recorded without waiting are written before the database closes.
    await c?.audit.flush();
    c?.db.close();
    c?.lock?.release();
  }
}

/** Runs a command-line program: help and version end quietly, a usage error exits with 2 (commander printed it). */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.help" || code === "commander.version") return;
    process.exitCode = 2;
  }
}
