import pino from "pino";
import { expect, it } from "vitest";
import { describeOnEngines } from "../../test/support/storage/engines";
import type { AppSql } from "../storage";
import type { AuditInput } from "./entry";
import { AuditLog } from "./log";

const log = pino({ level: "silent" });

describeOnEngines("AuditLog", (ctx) => {
  let sql: AppSql;
  let audit: AuditLog;
  let t: number;
  const exec = (statement: string) => ctx.exec(sql, statement);
  const entry = (i: number, action: AuditInput["action"] = "command"): AuditInput =>
    ({ actor: "alice", address: "10.0.0.5", action, target: "vehicle:1", result: "ok", detail: { step: i } });

  async function fiveEntries(): Promise<void> {
    sql = await ctx.open();
    t = Date.parse("2025-06-01T10:00:00Z");
    audit = new AuditLog(sql, log, () => t);
    for (const [i, action] of (["login", "control_taken", "command", "control_released", "logout"] as const).entries()) {
      t += 1000;
      await audit.append({ actor: "alice", address: "10.0.0.5", action, target: "vehicle:1", result: "ok", detail: { step: i, z: true, a: [1, "x"] } });
    }
  }

  // Someone with the database does not go through our triggers.
  async function dropTriggers(): Promise<void> {
    for (const [name, table] of [["audit_log_no_update", "audit_log"], ["audit_log_no_delete", "audit_log"], ["audit_head_forward", "audit_head"]]) {
      await exec(ctx.engine === "sqlite" ? `DROP TRIGGER ${name}` : `DROP TRIGGER ${name} ON ${table}`);
    }
  }

  it("chains entries and verifies an intact log", async () => {
    await fiveEntries();
    const entries = await audit.list(10);
    expect(entries.map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    expect(entries[4]?.prev_hash).toBe("0".repeat(64));
    expect(entries[0]?.prev_hash).toBe(entries[1]?.hash);
    expect(entries[0]).toMatchObject({ time: "2025-06-01T10:00:05.000Z", action: "logout", detail: '{"a":[1,"x"],"step":4,"z":true}' });
    expect(await audit.verify()).toEqual({ ok: true, entries: 5, headHash: entries[0]?.hash, checkpoints: 0, keyFingerprint: null, problems: [] });
    expect((await audit.range(2, 3)).map((e) => e.id)).toEqual([2, 3]);
    expect((await audit.forTargets(["vehicle:1", "vehicle:9"], 2)).map((e) => e.id)).toEqual([1, 2]);
  });

  it("writes entries in call order, stamped when they were made, whether awaited or recorded", async () => {
    sql = await ctx.open();
    t = Date.parse("2025-06-01T10:00:00Z");
    audit = new AuditLog(sql, log, () => t);
    const awaited: Promise<unknown>[] = [];
    for (let i = 0; i < 450; i++) {
      t += 1;
      if (i % 3 === 0) audit.record(entry(i));
      else awaited.push(audit.append(entry(i)));
    }
    await Promise.all(awaited);
    await audit.flush();
    const all = await audit.range(1, 1000);
    expect(all.map((e) => JSON.parse(e.detail) as { step: number }).map((d) => d.step)).toEqual([...Array(450).keys()]);
    expect(all.map((e) => e.time)).toEqual([...Array(450).keys()].map((i) => new Date(Date.parse("2025-06-01T10:00:00Z") + i + 1).toISOString()));
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 450 });
  });

  it("keeps one chain when several servers append to one database at once", async () => {
    sql = await ctx.open();
    // Each log stands for a server: its own queue, the database in common (on PostgreSQL, its own connections too).
    const servers = [new AuditLog(sql, log), new AuditLog(sql, log), new AuditLog(sql, log)];
    const writes = servers.flatMap((s, n) => [...Array(60).keys()].map((i) => s.append({ ...entry(i), actor: `server${n}` })));
    const entries = await Promise.all(writes);
    expect(new Set(entries.map((e) => e.id)).size).toBe(180);
    expect(Math.max(...entries.map((e) => e.id))).toBe(180);
    // Each server's own entries stay in its call order.
    for (let n = 0; n < 3; n++) {
      const ids = entries.filter((e) => e.actor === `server${n}`).map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    expect(await servers[0]!.verify()).toMatchObject({ ok: true, entries: 180 });
  });

  it("loses no id when an append fails: the next entry follows the last one written", async () => {
    await fiveEntries();
    // The database refuses one entry (a full disk, a constraint): the transaction rolls back whole.
    await exec(ctx.engine === "sqlite"
      ? `CREATE TRIGGER refuse_logout BEFORE INSERT ON audit_log WHEN NEW.action = 'logout' BEGIN SELECT RAISE(ABORT, 'disk full'); END;`
      : `CREATE FUNCTION refuse_logout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
           IF NEW.action = 'logout' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$;
         CREATE TRIGGER refuse_logout BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_logout();`);
    await expect(audit.append(entry(6, "logout"))).rejects.toThrow(/disk full/);
    audit.record(entry(7, "logout"));
    await audit.flush();
    const next = await audit.append(entry(8));
    expect(next.id).toBe(6);
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 6 });
  });

  it("refuses UPDATE and DELETE from the application, an entry out of order, and a head moved back", async () => {
    await fiveEntries();
    await expect(exec("UPDATE audit_log SET result = 'ok' WHERE id = 2")).rejects.toThrow(/append-only/);
    await expect(exec("DELETE FROM audit_log WHERE id = 2")).rejects.toThrow(/append-only/);
    const row = (id: number) => `INSERT INTO audit_log (id, time, actor, address, action, target, result, detail, prev_hash, hash)
      VALUES (${id}, 't', 'a', '', 'command', '', 'ok', '{}', 'p', 'h')`;
    await expect(exec(row(9))).rejects.toThrow(/appended in order/);
    await expect(exec(row(5))).rejects.toThrow(/appended in order/);
    await expect(exec("UPDATE audit_head SET last_id = 3")).rejects.toThrow(/one entry at a time/);
    await expect(exec("DELETE FROM audit_head")).rejects.toThrow(/cannot be deleted/);
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 5 });
  });

  it("detects an edited entry", async () => {
    await fiveEntries();
    await dropTriggers();
    await exec("UPDATE audit_log SET actor = 'mallory' WHERE id = 3");
    const r = await audit.verify();
    expect(r).toMatchObject({ ok: false, entries: 2, problems: [{ id: 3, kind: "edited" }] });
    expect(r.problems[0]?.message).toMatch(/audit entry 3 .*command.* was edited/);
  });

  it("detects an edited entry whose hash was recomputed, at the next one", async () => {
    await fiveEntries();
    await dropTriggers();
    await exec(`UPDATE audit_log SET result = 'refused', hash = '${"f".repeat(64)}' WHERE id = 2`);
    expect(await audit.verify()).toMatchObject({ ok: false, problems: [{ id: 2, kind: "edited" }] });
  });

  it("detects a deleted entry in the middle, and at the start", async () => {
    await fiveEntries();
    await dropTriggers();
    await exec("DELETE FROM audit_log WHERE id = 3");
    const r = await audit.verify();
    expect(r).toMatchObject({ ok: false, problems: [{ id: 4, kind: "deleted" }] });
    expect(r.problems[0]?.message).toMatch(/entry 4 .*deleted.*ids jump from 2 to 4/);
    await exec("DELETE FROM audit_log WHERE id IN (1, 2)");
    expect(await audit.verify()).toMatchObject({ ok: false, problems: [{ id: 4, kind: "deleted" }] });
  });

  it("detects deleted newest entries, and keeps chaining after them", async () => {
    await fiveEntries();
    await dropTriggers();
    await exec("DELETE FROM audit_log WHERE id = 5");
    expect(await audit.verify()).toMatchObject({ ok: false, problems: [{ id: 5, kind: "sequence" }] });
    await audit.append({ actor: "system", address: "", action: "command", target: "", result: "ok" });
    expect(await audit.verify()).toMatchObject({ ok: false, problems: [{ id: 6, kind: "deleted" }] });
  });

  it("without signed checkpoints, cannot detect newest entries deleted with the head rewound", async () => {
    await fiveEntries();
    await dropTriggers();
    await exec("DELETE FROM audit_log WHERE id = 5");
    await exec("UPDATE audit_head SET last_id = 4");
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 4 });
    // What the checkpoints are for: see checkpoint.test.ts.
  });
});
