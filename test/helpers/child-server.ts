import { spawn } from "node:child_process";
import type { ChildProcess, SpawnOptions } from "node:child_process";
import fs from "node:fs";

/**
 * A server program the tests start and stop themselves (influxd, postgres): its output to a log file, started until
 * `ready` says so (or it exits, or time runs out, each an error with the log's tail), stopped with a signal and
 * killed if it does not go. It can be started again after a stop (an outage in the middle of a test).
 */
export class ChildServer {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly name: string, private readonly logFile: string, private readonly owner: { uid: number; gid: number } | null = null) {}

  get running(): boolean {
    return this.child !== null;
  }

  async start(command: string, args: readonly string[], ready: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    if (this.child !== null) return;
    const log = fs.openSync(this.logFile, "a");
    if (this.owner) fs.fchownSync(log, this.owner.uid, this.owner.gid);
    const options: SpawnOptions = { stdio: ["ignore", log, log], ...(this.owner ?? {}) };
    const child = spawn(command, args, options);
    fs.closeSync(log);
    this.child = child;
    let exitCode: number | null | undefined;
    this.exited = new Promise((resolve) => child.once("exit", (code) => {
      exitCode = code;
      if (this.child === child) this.child = null;
      resolve();
    }));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exitCode !== undefined) throw new Error(`${this.name} exited (${exitCode}) while starting:\n${this.logTail()}`);
      if (await ready()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop("SIGTERM");
    throw new Error(`${this.name} did not ${what} within ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /** Sends `signal` and waits for the exit (SIGKILL after 10 s). */
  async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === null) return;
    child.kill(signal);
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(killer);
  }

  logTail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }
}
