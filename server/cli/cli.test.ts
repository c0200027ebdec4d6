import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-cli-"));
const PW = "a long enough phrase";

function cli(tool: "user" | "audit", args: string[], input = "") {
  const r = spawnSync(tsx, [`server/cli/${tool}.ts`, ...args, "--data-dir", dataDir], {
    cwd: root, input, encoding: "utf8", env: { ...process.env, DMC_DATA_DIR: "" }, timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run user / npm run audit", () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("adds users with the password from stdin, manages them, and audits every change", () => {
    expect(cli("user", ["add", "Chief", "--role", "admin", "--role", "reviewer"], `${PW}\nignored line\n`))
      .toMatchObject({ code: 0, stdout: "created chief (admin, reviewer)\n" });
    expect(cli("user", ["add", "pilot1", "--role", "pilot"], "short\n")).toMatchObject({ code: 1, stderr: expect.stringMatching(/at least 12 characters/) });
    expect(cli("user", ["add", "pilot1", "--role", "pilot"], `${PW}\r\n`).code).toBe(0);
    expect(cli("user", ["add", "CHIEF", "--role", "pilot"], `${PW}\n`)).toMatchObject({ code: 1, stderr: expect.stringMatching(/already exists/) });
    expect(cli("user", ["roles", "pilot1", "--role", "pilot", "observer"])).toMatchObject({ code: 0, stdout: "pilot1: pilot, observer\n" });
    expect(cli("user", ["disable", "pilot1"]).code).toBe(0);
    expect(cli("user", ["disable", "chief"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/last administrator/) });
    expect(cli("user", ["passwd", "pilot1"], "another long phrase\n").code).toBe(0);
    expect(cli("user", ["enable", "nobody"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/no user named "nobody"/) });
    const list = cli("user", ["list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^chief +admin,reviewer +enabled .*last login never\npilot1 +pilot,observer +disabled /);
    expect(cli("user", ["frobnicate"]).code).toBe(2);
    expect(cli("user", ["add", "x"]).code).toBe(2);

    const audit = cli("audit", ["list", "--limit", "10"]);
    expect(audit.stdout.trim().split("\n").map((l) => l.split("\t").slice(2, 6).join(" "))).toEqual([
      `cli:${os.userInfo().username} password_reset pilot1 ok`,
      `cli:${os.userInfo().username} user_disabled pilot1 ok`,
      `cli:${os.userInfo().username} roles_changed pilot1 ok`,
      `cli:${os.userInfo().username} user_created pilot1 ok`,
      `cli:${os.userInfo().username} user_created chief ok`,
    ]);
    expect(audit.stdout).not.toContain(PW);
    expect(cli("audit", ["verify"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit chain intact: 5 entries/) });
  }, 120_000); // fifteen CLI processes, each starting TypeScript (about 2.3 s apiece here)

  it("audit verify exits 1 at the first broken entry", () => {
    const db = new Database(path.join(dataDir, "dmc.sqlite"));
    db.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET result = 'refused' WHERE id = 3;");
    db.close();
    expect(cli("audit", ["verify"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/BROKEN after 2 good entries: audit entry 3 .* was edited/) });
  });
});
