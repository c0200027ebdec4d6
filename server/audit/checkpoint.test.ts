import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppSql, openAppDatabase } from "../storage";
import { MIGRATIONS } from "../migrations";
import type { Db } from "../storage";
import { CHECKPOINT_FILE, checkpointExportSchema, signCheckpoint } from "./checkpoint";
import type { Checkpoint } from "./checkpoint";
import { entryHash } from "./entry";
import type { AuditEntry } from "./entry";
import { keyPaths, loadOrCreateAuditKey } from "./keys";
import { AuditLog } from "./log";

const log = pino({ level: "silent" });

describe("signed checkpoints of the audit chain", () => {
  let dataDir: string;
  let db: Db;
  let t: number;

  /** The server's log, as it starts (main.ts): a checkpoint of what was appended while it was stopped. */
  const open = async (every = 4) => {
    const audit = new AuditLog(AppSql.sqlite(db), log, () => t, { dataDir, key: loadOrCreateAuditKey(dataDir, log), checkpointEvery: every });
    await audit.checkpoint();
    return audit;
  };
  const add = async (audit: AuditLog, n: number) => {
    for (let i = 0; i < n; i++) {
      t += 1000;
      await audit.append({ actor: "alice", address: "10.0.0.5", action: "command", target: "vehicle:1", result: "ok", detail: { i } });
    }
  };
  const fileLines = () => fs.readFileSync(path.join(dataDir, CHECKPOINT_FILE), "utf8").trim().split("\n");
  /** Verifies as `npm run audit -- verify` does: a separate log with no key, reading the public key file. */
  const cliVerify = (exported?: Parameters<AuditLog["verify"]>[0]) => new AuditLog(AppSql.sqlite(db), log, Date.now, { dataDir }).verify(exported);

  /** An attacker with the database file: no triggers, SQL straight on the file, as they would with sqlite3. */
  function attacker(): Database.Database {
    const raw = new Database(db.name);
    raw.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
      DROP TRIGGER IF EXISTS audit_checkpoints_no_update; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;
      DROP TRIGGER IF EXISTS audit_head_forward;`);
    return raw;
  }

  /** Edits entry `id`, recomputes every hash after it, deletes entries after `keep` and rewinds the head. */
  function rewrite(raw: Database.Database, id: number, keep: number): void {
    raw.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = ?").run(id);
    raw.prepare("DELETE FROM audit_log WHERE id > ?").run(keep);
    raw.prepare("UPDATE audit_head SET last_id = ?").run(keep);
    let prev = raw.prepare<[number], { hash: string }>("SELECT hash FROM audit_log WHERE id = ?").get(id - 1)?.hash ?? "0".repeat(64);
    for (const e of raw.prepare<[number], AuditEntry>("SELECT * FROM audit_log WHERE id >= ? ORDER BY id").all(id)) {
      const hash = entryHash({ ...e, prev_hash: prev });
      raw.prepare("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?").run(prev, hash, e.id);
      prev = hash;
    }
  }

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-audit-"));
    db = openAppDatabase(dataDir, log, MIGRATIONS);
    t = Date.parse("2025-06-01T10:00:00Z");
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates the key once, owner-readable only, and reuses it across restarts", () => {
    const first = loadOrCreateAuditKey(dataDir, log);
    const { privateFile, publicFile } = keyPaths(dataDir);
    expect(fs.statSync(privateFile).mode & 0o777).toBe(0o600);
    const pem = fs.readFileSync(privateFile, "utf8");
    expect(fs.readFileSync(publicFile, "utf8")).toBe(first.publicPem);
    const again = loadOrCreateAuditKey(dataDir, log);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(fs.readFileSync(privateFile, "utf8")).toBe(pem);
    expect(fs.readdirSync(path.dirname(privateFile)).sort()).toEqual(["audit-ed25519.pem", "audit-ed25519.pub.pem"]);
    expect(first.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("signs every N entries and at close, into the database and the file copy; an intact log verifies", async () => {
    const audit = await open(4);
    await add(audit, 9);
    expect(db.prepare("SELECT entry_id FROM audit_checkpoints ORDER BY id").pluck().all()).toEqual([4, 8]);
    await audit.close();
    expect(db.prepare("SELECT entry_id FROM audit_checkpoints ORDER BY id").pluck().all()).toEqual([4, 8, 9]);
    await audit.close();
    expect(fileLines()).toHaveLength(3);
    expect(JSON.parse(fileLines()[2]!)).toEqual(await audit.checkpoint());
    const key = loadOrCreateAuditKey(dataDir, log);
    expect((await cliVerify())).toEqual({ ok: true, entries: 9, headHash: (await audit.list(1))[0]!.hash, checkpoints: 3, keyFingerprint: key.fingerprint, problems: [] });
    // A restart signs nothing new when nothing happened, and signs what a CLI appended meanwhile.
    await open(4);
    expect(fileLines()).toHaveLength(3);
    await add(new AuditLog(AppSql.sqlite(db), log, () => t), 1);
    await open(4);
    expect(fileLines()).toHaveLength(4);
    expect((await cliVerify()).ok).toBe(true);
  });

  it("detects an entry edited with the whole chain recomputed and the newest entries deleted", async () => {
    const audit = await open(4);
    await add(audit, 10);
    await audit.close();
    const raw = attacker();
    rewrite(raw, 3, 6);
    raw.close();
    // The hole as it was: the chain alone links perfectly.
    expect((await cliVerify())).toMatchObject({ entries: 6, ok: false });
    const r = (await cliVerify());
    expect(r.problems.map((p) => p.kind)).toEqual(["rewritten", "truncated"]);
    expect(r.problems[0]!.message).toMatch(/^entries from the first one up to 4 were rewritten: the checkpoint of 2025-06-01T10:00:04.000Z \(entry 4\) says entry 4 had hash [0-9a-f]{12}…, it now has [0-9a-f]{12}…$/);
    expect(r.problems[1]!.message).toBe("the log ends at entry 6 but the checkpoint of 2025-06-01T10:00:10.000Z (entry 10) says entry 10 existed: the newest entries were deleted");
  });

  it("detects newest entries deleted after the last periodic checkpoint, by the one written at close", async () => {
    const audit = await open(100);
    await add(audit, 5);
    await audit.close();
    const raw = attacker();
    raw.exec("DELETE FROM audit_log WHERE id = 5; UPDATE audit_head SET last_id = 4;");
    raw.close();
    expect((await cliVerify())).toMatchObject({ ok: false, entries: 4, problems: [{ kind: "truncated", id: 5 }] });
  });

  it("names the last checkpoint that still matches, and refuses to sign a chain broken since", async () => {
    const audit = await open(4);
    await add(audit, 12);
    const raw = attacker();
    rewrite(raw, 6, 12);
    raw.close();
    expect((await cliVerify()).problems).toEqual([{ kind: "rewritten", id: 8,
      message: expect.stringMatching(/^entries after 4 \(the last one the checkpoint of .* \(entry 4\) still vouches for\) up to 8 were rewritten: .* \(1 later checkpoints no longer match either\)$/) }]);
    await add(audit, 4);
    await audit.close();
    expect(db.prepare("SELECT max(entry_id) FROM audit_checkpoints").pluck().get()).toBe(12);
  });

  it("detects checkpoints deleted from the database, from the file copy kept beside it", async () => {
    const audit = await open(4);
    await add(audit, 8);
    const raw = attacker();
    rewrite(raw, 2, 6);
    raw.exec("DELETE FROM audit_checkpoints WHERE entry_id > 0");
    raw.close();
    const kinds = (await cliVerify()).problems.map((p) => p.kind);
    expect(kinds).toEqual(["rewritten", "truncated", "copy"]);
    expect((await cliVerify()).problems[2]!.message).toMatch(/and 1 more in .*audit-checkpoints\.jsonl but not in the database/);
    // With both copies gone, only a checkpoint exported earlier and kept elsewhere shows the rewrite (see below).
    fs.truncateSync(path.join(dataDir, CHECKPOINT_FILE), 0);
    expect((await cliVerify())).toMatchObject({ ok: true, checkpoints: 0 });
  });

  it("reports an altered or forged checkpoint, and one signed by another key", async () => {
    const audit = await open(4);
    await add(audit, 4);
    const [line] = fileLines();
    const forged: Checkpoint = { ...JSON.parse(line!) as Checkpoint, entries: 5, entryId: 5 };
    const other = loadOrCreateAuditKey(fs.mkdtempSync(path.join(os.tmpdir(), "dmc-other-")), log);
    const foreign = signCheckpoint({ ...forged, entryId: 3, keyFingerprint: other.fingerprint }, other.privateKey);
    fs.appendFileSync(path.join(dataDir, CHECKPOINT_FILE), `${JSON.stringify(forged)}\n${JSON.stringify(foreign)}\nnot json\n`);
    const messages = (await cliVerify()).problems.map((p) => `${p.kind}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringMatching(/^key: the checkpoint of .* \(entry 3\) was signed by key sha256:\w+, not by this data directory's key/),
      expect.stringMatching(/^signature: the checkpoint of .* \(entry 5\): signature invalid/),
      expect.stringMatching(/^copy: .*audit-checkpoints\.jsonl line 4 is not a checkpoint/),
      expect.stringMatching(/^copy: the checkpoint of .* \(entry 5\) and 1 more in .* but not in the database/),
    ]);
  });

  it("checks an exported checkpoint, which catches a rewrite that re-signed both copies with the stolen key", async () => {
    const audit = await open(4);
    await add(audit, 6);
    const exported = checkpointExportSchema.parse(await audit.exportCheckpoint());
    expect(exported.checkpoint.entryId).toBe(6);
    expect((await cliVerify({ exported }))).toMatchObject({ ok: true, checkpoints: 3 });
    await audit.close();

    const raw = attacker();
    rewrite(raw, 5, 5);
    raw.exec("DELETE FROM audit_checkpoints");
    raw.close();
    const key = loadOrCreateAuditKey(dataDir, log);
    fs.writeFileSync(path.join(dataDir, CHECKPOINT_FILE), "");
    const head = (await audit.list(1))[0]!;
    const resigned = signCheckpoint({ entryId: head.id, entryHash: head.hash, entries: head.id, time: "2025-06-01T11:00:00.000Z", keyFingerprint: key.fingerprint }, key.privateKey);
    db.prepare("INSERT INTO audit_checkpoints (entry_id, entry_hash, entries, time, key_fingerprint, signature) VALUES (?, ?, ?, ?, ?, ?)")
      .run(resigned.entryId, resigned.entryHash, resigned.entries, resigned.time, resigned.keyFingerprint, resigned.signature);
    fs.writeFileSync(path.join(dataDir, CHECKPOINT_FILE), `${JSON.stringify(resigned)}\n`);
    expect((await cliVerify())).toMatchObject({ ok: true });
    expect((await cliVerify({ exported })).problems.map((p) => p.message)).toEqual([
      "the log ends at entry 5 but the exported checkpoint of 2025-06-01T10:00:06.000Z (entry 6) says entry 6 existed: the newest entries were deleted",
      "the exported checkpoint of 2025-06-01T10:00:06.000Z (entry 6) is not among the log's checkpoints: they were removed or replaced",
    ]);
    // A bare checkpoint line kept elsewhere works the same way, with this data directory's key.
    expect((await cliVerify({ exported: exported.checkpoint })).problems.map((p) => p.kind)).toEqual(["truncated", "copy"]);
  });

  it("reports a replaced key against an exported checkpoint", async () => {
    const audit = await open(4);
    await add(audit, 2);
    const exported = (await audit.exportCheckpoint())!;
    fs.rmSync(path.join(dataDir, "keys"), { recursive: true });
    loadOrCreateAuditKey(dataDir, log);
    const r = (await cliVerify({ exported }));
    expect(r.problems.map((p) => p.kind)).toEqual(["key", "key"]);
    expect(r.problems[1]!.message).toMatch(/exported checkpoint .* was signed by key sha256:\w+, but this data directory's key is sha256:\w+: the key was replaced/);
  });
});
