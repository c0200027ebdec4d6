/**
 * Child processes of the launchers (SITL binaries, docker, the demo's server). Spawning goes through a function
 * the caller passes, so tests can check exactly what would run without running it.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

/** The part of a ChildProcess the launchers use. */
export interface ChildLike {
  readonly pid?: number | undefined;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: "exit", listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: "error", listener: (err: Error) => void): unknown;
}

export interface SpawnRequest {
  command: string;
  args: string[];
  cwd: string;
  /** stdout and stderr go to this file (SITL is chatty; the user reads it only when something is wrong). */
  logFile: string;
}

export type SpawnFn = (req: SpawnRequest) => ChildLike;

export const spawnToLogFile: SpawnFn = (req) => {
  const fd = openSync(req.logFile, "a");
  try {
    return spawn(req.command, req.args, { cwd: req.cwd, stdio: ["ignore", fd, fd] });
  } finally {
    closeSync(fd); // the child has its own copy
  }
};

export function hasExited(child: ChildLike): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child exits (at once if it already has). */
export function exited(child: ChildLike): Promise<void> {
  if (hasExited(child)) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
}

/** SIGTERM, then SIGKILL for whatever is still running after `graceMs`. */
export async function stopChildren(children: ChildLike[], graceMs = 3000): Promise<void> {
  const running = children.filter((c) => !hasExited(c));
  for (const child of running) child.kill("SIGTERM");
  const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), graceMs).unref());
  const all = Promise.all(running.map(exited)).then(() => "done" as const);
  if ((await Promise.race([all, timer])) === "timeout") {
    for (const child of running) if (!hasExited(child)) child.kill("SIGKILL");
    await all;
  }
}

/** The last lines of a log file, for an error message; empty if it cannot be read. */
export function tailOf(file: string, lines = 8): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
