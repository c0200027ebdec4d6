import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrate, openDatabase } from "../storage";
import { MIGRATIONS } from "../migrations";
import type { Db } from "../storage";
import { AuditLog } from "./log";

const log = pino({ level: "silent" });

describe("AuditLog", () => {
  let db: Db;
  let audit: AuditLog;
  let t: number;

  beforeEach(() => {
    db = openDatabase(":memory:", log);
    migrate(db, MIGRATIONS, log);
    t = Date.parse("2025-06-01T10:00:00Z");
    audit = new AuditLog(db, log, () => t);
    for (const [i, action] of (["login", "control_taken", "command", "control_released", "logout"] as const).entries()) {
      t += 1000;
      audit.append({ actor: "alice", address: "10.0.0.5", action, target: "vehicle:1", result: "ok", detail: { step: i, z: true, a: [1, "x"] } });
    }
  });
  afterEach(() => db.close());

  // An attacker with the file does not go through our triggers.
  const dropTriggers = () => db.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");

  it("chains entries and verifies an intact log", () => {
    const entries = audit.list(10);
    expect(entries.map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    expect(entries[4]?.prev_hash).toBe("0".repeat(64));
    expect(entries[0]?.prev_hash).toBe(entries[1]?.hash);
    expect(entries[0]).toMatchObject({ time: "2025-06-01T10:00:05.000Z", action: "logout", detail: '{"a":[1,"x"],"step":4,"z":true}' });
    expect(audit.verify()).toEqual({ ok: true, entries: 5, headHash: entries[0]?.hash, checkpoints: 0, keyFingerprint: null, problems: [] });
  });

  it("refuses UPDATE and DELETE from the application", () => {
    expect(() => db.prepare("UPDATE audit_log SET result = 'ok' WHERE id = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit_log WHERE id = 2").run()).toThrow(/append-only/);
  });

  it("detects an edited entry", () => {
    dropTriggers();
    db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = 3").run();
    expect(audit.verify()).toMatchObject({ ok: false, entries: 2, problems: [{ id: 3, kind: "edited" }] });
    expect(audit.verify().problems[0]?.message).toMatch(/audit entry 3 .*command.* was edited/);
  });

  it("detects an edited entry whose hash was recomputed, at the next one", () => {
    dropTriggers();
    db.prepare("UPDATE audit_log SET result = 'refused', hash = ? WHERE id = 2").run("f".repeat(64));
    expect(audit.verify()).toMatchObject({ ok: false, problems: [{ id: 2, kind: "edited" }] });
  });

  it("detects a deleted entry in the middle, and at the start", () => {
    dropTriggers();
    db.prepare("DELETE FROM audit_log WHERE id = 3").run();
    const r = audit.verify();
    expect(r).toMatchObject({ ok: false, problems: [{ id: 4, kind: "deleted" }] });
    expect(r.problems[0]?.message).toMatch(/entry 4 .*deleted.*ids jump from 2 to 4/);
    db.prepare("DELETE FROM audit_log WHERE id IN (1, 2)").run();
    expect(audit.verify()).toMatchObject({ ok: false, problems: [{ id: 4, kind: "deleted" }] });
  });

  it("detects deleted newest entries, and keeps chaining after them", () => {
    dropTriggers();
    db.prepare("DELETE FROM audit_log WHERE id = 5").run();
    expect(audit.verify()).toMatchObject({ ok: false, problems: [{ id: 5, kind: "sequence" }] });
    audit.append({ actor: "system", address: "", action: "command", target: "", result: "ok" });
    expect(audit.verify()).toMatchObject({ ok: false, problems: [{ id: 6, kind: "deleted" }] });
  });

  it("without signed checkpoints, cannot detect newest entries deleted with the counter rewound", () => {
    dropTriggers();
    db.prepare("DELETE FROM audit_log WHERE id = 5").run();
    db.prepare("UPDATE sqlite_sequence SET seq = 4 WHERE name = 'audit_log'").run();
    expect(audit.verify()).toMatchObject({ ok: true, entries: 4 });
    // What the checkpoints are for: see checkpoint.test.ts.
  });
});
