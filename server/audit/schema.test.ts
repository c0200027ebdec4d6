import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../migrations";
import { AppSql, migrate, openDatabase } from "../storage";
import type { Db } from "../storage";
import { entryHash, GENESIS_HASH } from "./entry";
import { AuditLog } from "./log";

const log = pino({ level: "silent" });
const HEAD_VERSION = 21;

/** A log written before the head table (version 20 and older): ids from SQLite's AUTOINCREMENT. */
function oldLog(db: Db, n: number): void {
  let prev = GENESIS_HASH;
  for (let id = 1; id <= n; id++) {
    const base = { id, time: `2025-06-01T10:00:0${id}.000Z`, actor: "alice", address: "", action: "login", target: "", result: "ok", detail: "{}", prev_hash: prev };
    prev = entryHash(base);
    db.prepare(`INSERT INTO audit_log (time, actor, address, action, target, result, detail, prev_hash, hash)
      VALUES (@time, @actor, @address, @action, @target, @result, @detail, @prev_hash, @hash)`).run({ ...base, hash: prev });
  }
}

describe("audit_head (migration 21) on a log written before it", () => {
  let db: Db;
  beforeEach(() => {
    db = openDatabase(":memory:", log);
    expect(MIGRATIONS[HEAD_VERSION - 1]?.name).toBe("audit_head");
    migrate(db, MIGRATIONS.slice(0, HEAD_VERSION - 1), log);
  });
  afterEach(() => db.close());

  it("starts the head at the last entry written, and the chain carries on from it", async () => {
    oldLog(db, 4);
    migrate(db, MIGRATIONS, log);
    expect(db.prepare("SELECT last_id FROM audit_head").pluck().get()).toBe(4);
    const audit = new AuditLog(AppSql.sqlite(db), log);
    expect((await audit.append({ actor: "bob", address: "", action: "logout", target: "", result: "ok" })).id).toBe(5);
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 5 });
  });

  it("keeps newest entries deleted before the upgrade detectable: the head comes from SQLite's counter, not the last row", async () => {
    oldLog(db, 4);
    db.exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 4;");
    migrate(db, MIGRATIONS, log);
    expect(db.prepare("SELECT last_id FROM audit_head").pluck().get()).toBe(4);
    expect(await new AuditLog(AppSql.sqlite(db), log).verify()).toMatchObject({ ok: false, entries: 3, problems: [{ kind: "sequence", id: 4 }] });
  });

  it("starts at 0 on an empty log", async () => {
    migrate(db, MIGRATIONS, log);
    const audit = new AuditLog(AppSql.sqlite(db), log);
    expect((await audit.append({ actor: "bob", address: "", action: "login", target: "", result: "ok" })).id).toBe(1);
  });
});
