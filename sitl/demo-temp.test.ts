import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_PREFIX, demoTempDir, removeLeftovers } from "./demo-temp";

const parent = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-demo-temp-test-"));

/** The id of a process that has ended (and was ours, so no other process can hold it yet for long). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("the demo's temporary directories", () => {
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  it("removes a directory whose demo is gone, and keeps a live demo's and anything not a demo's", () => {
    const gone = path.join(parent, `${DEMO_PREFIX}gone`);
    fs.mkdirSync(gone);
    fs.writeFileSync(path.join(gone, "demo-owner.pid"), String(deadPid()));
    fs.writeFileSync(path.join(gone, "dmc.sqlite"), "data");
    const live = path.join(parent, `${DEMO_PREFIX}live`);
    fs.mkdirSync(live);
    fs.writeFileSync(path.join(live, "demo-owner.pid"), String(process.pid));
    const unowned = path.join(parent, `${DEMO_PREFIX}unowned`);
    fs.mkdirSync(unowned);
    const other = path.join(parent, "other");
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, "demo-owner.pid"), String(deadPid()));

    expect(removeLeftovers(parent)).toEqual([gone]);
    expect(fs.readdirSync(parent).sort()).toEqual([`${DEMO_PREFIX}live`, `${DEMO_PREFIX}unowned`, "other"]);
  });

  it("makes a directory owned by this process and removes it on request", () => {
    const made = demoTempDir(parent);
    expect(path.basename(made.dir).startsWith(DEMO_PREFIX)).toBe(true);
    expect(fs.readFileSync(path.join(made.dir, "demo-owner.pid"), "utf8")).toBe(String(process.pid));
    expect(removeLeftovers(parent)).toEqual([]);
    made.remove();
    expect(fs.existsSync(made.dir)).toBe(false);
  });

  it("removes the directory when the process exits", () => {
    const tsx = path.resolve(__dirname, "../node_modules/.bin/tsx");
    const script = `import { demoTempDir } from "./sitl/demo-temp.ts";
      const { dir } = demoTempDir(${JSON.stringify(parent)});
      process.stdout.write(dir);`;
    const r = spawnSync(tsx, ["--eval", script], { cwd: path.resolve(__dirname, ".."), encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(path.join(parent, DEMO_PREFIX))).toBe(true);
    expect(fs.existsSync(r.stdout)).toBe(false);
  });
});
