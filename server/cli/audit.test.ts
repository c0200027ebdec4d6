import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog, loadOrCreateAuditKey } from "../audit";
import { AppSql, openAppDatabase } from "../storage";
import { MIGRATIONS } from "../migrations";

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-cli-audit-"));
const exportFile = path.join(dataDir, "..", `${path.basename(dataDir)}-kept.json`);
const log = pino({ level: "silent" });

function audit(args: string[]) {
  const r = spawnSync(tsx, ["server/cli/audit.ts", ...args, "--data-dir", dataDir], {
    cwd: root, encoding: "utf8", env: { ...process.env, DMC_DATA_DIR: "" }, timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run audit -- key / verify with signed checkpoints", () => {
  let fingerprint = "";

  beforeAll(async () => {
    // As the server leaves it: a key, entries, periodic checkpoints, one exported, one at close.
    const db = openAppDatabase(dataDir, log, MIGRATIONS);
    const key = loadOrCreateAuditKey(dataDir, log);
    fingerprint = key.fingerprint;
    const log1 = new AuditLog(AppSql.sqlite(db), log, Date.now, { dataDir, key, checkpointEvery: 3 });
    for (let i = 0; i < 7; i++) await log1.append({ actor: "alice", address: "", action: "login", target: "", result: "ok" });
    fs.writeFileSync(exportFile, JSON.stringify(await log1.exportCheckpoint()));
    await log1.append({ actor: "alice", address: "", action: "logout", target: "", result: "ok" });
    await log1.close();
    db.close();
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(exportFile, { force: true });
  });

  it("prints the public key and its fingerprint", () => {
    const r = audit(["key"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n.+\n-----END PUBLIC KEY-----\nfingerprint sha256:[0-9a-f]{64}\nfile .*audit-ed25519\.pub\.pem\n$/);
    expect(r.stdout).toContain(fingerprint);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-cli-nokey-"));
    const none = spawnSync(tsx, ["server/cli/audit.ts", "key", "--data-dir", empty], { cwd: root, encoding: "utf8", timeout: 20_000 });
    fs.rmSync(empty, { recursive: true, force: true });
    expect(none).toMatchObject({ status: 1, stderr: expect.stringMatching(/no audit signing key .*creates one at its first start/) });
  });

  it("verifies the checkpoints of an intact log, and an exported one", () => {
    expect(audit(["verify"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit chain intact: 8 entries .*\n4 signed checkpoints verified, key sha256:/) });
    expect(audit(["verify", "--checkpoint", exportFile])).toMatchObject({ code: 0, stdout: expect.stringMatching(/5 signed checkpoints verified, including /) });
    expect(audit(["verify", "--checkpoint", path.join(dataDir, "dmc.sqlite")])).toMatchObject({ code: 2, stderr: expect.stringMatching(/not JSON/) });
  });

  it("exits 1 and says what happened when the newest entries and their checkpoints were deleted, the head rewound", () => {
    const db = new Database(path.join(dataDir, "dmc.sqlite"));
    db.exec(`DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_head_forward;
      DROP TRIGGER audit_checkpoints_no_delete; DELETE FROM audit_checkpoints WHERE entry_id > 6;
      DELETE FROM audit_log WHERE id > 6; UPDATE audit_head SET last_id = 6;`);
    db.close();
    const r = audit(["verify"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^audit log REWRITTEN OR CUT SHORT: the chain links \(6 entries\) but its signed checkpoints disagree:\n/);
    expect(r.stderr).toMatch(/\n {2}- the log ends at entry 6 but the checkpoint of .* \(entry 8\) says entry 8 existed: the newest entries were deleted\n/);
    expect(r.stderr).toMatch(/in the database but not in|in .*audit-checkpoints\.jsonl but not in the database/);
  });
});
