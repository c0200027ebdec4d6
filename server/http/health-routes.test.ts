import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WRITABLE_CACHE_MS, writableCheck } from "./health-routes";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("whether the data directory can be written", () => {
  it("writes and removes a tiny file; a directory that cannot take one is not writable", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-healthz-"));
    dirs.push(dir);
    expect(await writableCheck(dir)()).toBe(true);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(await writableCheck(path.join(dir, "missing"))()).toBe(false);
    fs.writeFileSync(path.join(dir, "file"), "");
    expect(await writableCheck(path.join(dir, "file"))()).toBe(false);
  });

  it("answers from one check for a few seconds, then checks again", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-healthz-"));
    dirs.push(dir);
    let time = 0;
    const check = writableCheck(dir, () => time);
    expect(await check()).toBe(true);
    fs.rmSync(dir, { recursive: true });
    time += WRITABLE_CACHE_MS - 1;
    expect(await check()).toBe(true);
    time += 1;
    expect(await check()).toBe(false);
  });
});
