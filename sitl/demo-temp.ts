/**
 * The demo's throw-away directories: made under the system's temporary folder, removed when the demo ends
 * (normal exit, Ctrl-C, SIGTERM), and, for a demo that was killed outright (SIGKILL, power cut), removed by the
 * next demo: each holds the id of the process that made it, and one whose process is gone is left over.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const DEMO_PREFIX = "dmc-demo-";
const OWNER_FILE = "demo-owner.pid";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function remove(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Directories earlier demos left behind (their process is gone); returns what was removed. */
export function removeLeftovers(parent: string = os.tmpdir()): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(DEMO_PREFIX)) continue;
    const dir = path.join(parent, name);
    let pid: number;
    try {
      pid = Number(fs.readFileSync(path.join(dir, OWNER_FILE), "utf8"));
    } catch {
      // Not ours to judge (no owner file): an older demo's or another tool's.
      continue;
    }
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    remove(dir);
    removed.push(dir);
  }
  return removed;
}

/**
 * A new temporary directory removed when this process exits. A signal's default action kills a process without
 * its 'exit': the caller turns SIGINT and SIGTERM into an exit (see demo.ts), after stopping what uses the directory.
 */
export function demoTempDir(parent: string = os.tmpdir()): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(parent, DEMO_PREFIX));
  fs.writeFileSync(path.join(dir, OWNER_FILE), String(process.pid));
  const cleanup = () => remove(dir);
  process.once("exit", cleanup);
  return {
    dir,
    remove() {
      process.off("exit", cleanup);
      cleanup();
    },
  };
}
