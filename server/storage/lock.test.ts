import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DataDirInUseError, DataDirLock, LOCK_FILE, liveHolder, localProbe } from "./lock";
import type { LockHolder } from "./lock";

const dirs: string[] = [];
const locks: DataDirLock[] = [];
afterEach(() => {
  for (const l of locks.splice(0)) l.release();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-lock-"));
  dirs.push(dir);
  return dir;
}

function take(dir: string, ...rest: Parameters<typeof DataDirLock.acquire> extends [string, ...infer R] ? R : never): DataDirLock {
  const lock = DataDirLock.acquire(dir, ...rest);
  locks.push(lock);
  return lock;
}

const read = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")) as LockHolder;

/** A pid that existed and is gone: a child that ran and exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  return r.pid!;
}

function plant(dir: string, holder: Partial<LockHolder>): void {
  const probe = localProbe();
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({
    pid: probe.pid, host: probe.host, by: "server", httpHost: null, httpPort: null, links: [], startedAt: "2026-01-01T00:00:00.000Z",
    boot: probe.boot, processStart: probe.processStart, ...holder,
  }));
}

describe("the data directory lock", () => {
  it("is taken once: a second taker gets one line naming the holder's pid and ports, until it is released", () => {
    const dir = tempDir();
    const lock = take(dir, { by: "server", links: ["udpin://0.0.0.0:14550"] }, localProbe(), () => Date.parse("2026-03-01T10:00:00Z"));
    lock.update({ httpHost: "127.0.0.1", httpPort: 8080 });
    expect(read(dir)).toMatchObject({ pid: process.pid, host: os.hostname(), httpPort: 8080, links: ["udpin://0.0.0.0:14550"] });
    let error: unknown;
    try {
      take(dir, { by: "server" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect((error as Error).message).toBe(`data directory ${dir} is in use by the server pid ${process.pid} `
      + "(http 127.0.0.1:8080, links udpin://0.0.0.0:14550) since 2026-03-01T10:00:00.000Z");
    expect((error as Error).message).not.toContain("\n");
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    expect(() => take(dir, { by: "server" })).not.toThrow();
  });

  it("creates the data directory, and leaves no temporary files beside the lock", () => {
    const dir = path.join(tempDir(), "nested", "data");
    take(dir, { by: "flights rebuild" });
    expect(fs.readdirSync(dir)).toEqual([LOCK_FILE]);
    expect(liveHolder(dir)).toMatchObject({ pid: process.pid, by: "flights rebuild" });
  });

  it("is stale after a crash: the pid is gone, the host rebooted, or the pid now names a newer process", () => {
    const dir = tempDir();
    // pid 1 runs, but not since this boot (where the boot can be read).
    const rebooted = localProbe().boot === "" ? [] : [{ pid: 1, boot: "another-boot" }];
    for (const stale of [{ pid: deadPid() }, ...rebooted, { processStart: 1 }]) {
      plant(dir, stale);
      expect(liveHolder(dir)).toBeNull();
      const lock = take(dir, { by: "server" });
      expect(read(dir).pid).toBe(process.pid);
      lock.release();
    }
  });

  it("counts a lock from another host as held: its process cannot be checked from here", () => {
    const dir = tempDir();
    plant(dir, { host: "other-host", pid: deadPid() });
    expect(() => take(dir, { by: "server" })).toThrow(/in use by the server pid \d+ on host other-host since/);
  });

  it("release removes only its own lock, and stops listening for the process's exit", () => {
    const dir = tempDir();
    const before = process.listenerCount("exit");
    const lock = take(dir, { by: "server" });
    expect(process.listenerCount("exit")).toBe(before + 1);
    // Someone removed it by hand and another process took it since.
    plant(dir, { pid: 4_000_000 });
    lock.release();
    lock.release();
    expect(process.listenerCount("exit")).toBe(before);
    expect(read(dir).pid).toBe(4_000_000);
  });

  it("is released when the process exits without closing", () => {
    const dir = tempDir();
    const script = `import("${path.resolve(__dirname, "lock.ts").replace(/\\/g, "/")}")`
      + `.then((m) => { m.DataDirLock.acquire(${JSON.stringify(dir)}, { by: "server" }); process.exit(0); })`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
