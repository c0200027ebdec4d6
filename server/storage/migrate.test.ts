import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "./database";
import { migrate, SchemaTooNewError } from "./migrate";
import type { Migration } from "./migrate";
import { openAppDatabase } from "./app-database";

const log = pino({ level: "silent" });
const step = (version: number, name: string, sql: string): Migration => ({ version, name, up: (db) => db.exec(sql), postgres: sql });
const m1 = step(1, "things", "CREATE TABLE things (id INTEGER PRIMARY KEY)");
const m2 = step(2, "more", "ALTER TABLE things ADD COLUMN label TEXT");

describe("migrate", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("applies pending migrations in order, once, and records them", () => {
    const db = openDatabase(":memory:", log);
    expect(migrate(db, [m1], log, () => 0)).toEqual({ from: 0, to: 1 });
    expect(migrate(db, [m1, m2], log)).toEqual({ from: 1, to: 2 });
    expect(migrate(db, [m1, m2], log)).toEqual({ from: 2, to: 2 });
    db.prepare("INSERT INTO things (label) VALUES ('x')").run();
    expect(db.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").all())
      .toMatchObject([{ version: 1, name: "things", applied_at: "1970-01-01T00:00:00.000Z" }, { version: 2, name: "more" }]);
  });

  it("rolls a failing migration back entirely", () => {
    const db = openDatabase(":memory:", log);
    const bad = step(1, "bad", "CREATE TABLE a (x); CREATE TABLE a (y);");
    expect(() => migrate(db, [bad], log)).toThrow(/already exists/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'a'").get()).toBeUndefined();
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({ n: 0 });
  });

  it("refuses a database newer than the code, and one from another branch", () => {
    const db = openDatabase(":memory:", log);
    migrate(db, [m1, m2], log);
    expect(() => migrate(db, [m1], log)).toThrow(SchemaTooNewError);
    expect(() => migrate(db, [m1], log)).toThrow(/schema version 2 .* knows only up to 1/);
    expect(() => migrate(db, [m1, step(2, "other", "")], log)).toThrow(/"more" but this program's is "other"/);
  });

  it("refuses a list with gaps or out of order", () => {
    const db = openDatabase(":memory:", log);
    expect(() => migrate(db, [m2], log)).toThrow(/expected 1/);
    expect(() => migrate(db, [m1, step(3, "x", "")], log)).toThrow(/expected 2/);
  });

  it("opens the application database in a data directory, WAL and foreign keys on", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-db-"));
    dirs.push(dir);
    // The caller's migrations, not a list storage knows of (the application's is server/migrations.ts).
    const db = openAppDatabase(path.join(dir, "nested"), log, [m1, m2]);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.prepare("SELECT max(version) AS v FROM schema_migrations").get()).toEqual({ v: 2 });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'things'").get()).toEqual({ name: "things" });
    db.close();
    openAppDatabase(path.join(dir, "nested"), log, [m1, m2]).close();
    expect(fs.existsSync(path.join(dir, "nested", "dmc.sqlite"))).toBe(true);
  });

  it("refuses to open the application database when the caller's migrations fail", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-db-"));
    dirs.push(dir);
    expect(() => openAppDatabase(dir, log, [step(1, "bad", "CREATE TABLE a (x); CREATE TABLE a (y);")])).toThrow(/already exists/);
    // Nothing of the failed step stays: the same file then starts from version 1 with another list.
    const db = openAppDatabase(dir, log, [m1]);
    expect(db.prepare("SELECT version, name FROM schema_migrations").all()).toEqual([{ version: 1, name: "things" }]);
    db.close();
  });
});
