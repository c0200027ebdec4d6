import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { waitFor } from "./server";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The real server as one process (`node --import tsx server/main.ts ARGS`), to be killed for real: the tsx CLI runs
 * the server in a child of its own, which a SIGKILL of the CLI would leave running, holding its ports. Resolves once
 * it says it is listening; `children` collects it, for the test's cleanup. Its output is kept in `output()`.
 * `built`: the bundle `npm run build:server` made instead (`node dist/server/main.mjs`, as `npm start` runs it).
 */
export async function startServerProcess(args: readonly string[], children: ChildProcess[], env: NodeJS.ProcessEnv = {}, opts: { built?: boolean } = {}): Promise<ChildProcess & { output(): string }> {
  const entry = opts.built ? ["--enable-source-maps", "dist/server/main.mjs"] : ["--import", "tsx", "server/main.ts"];
  const child = spawn(process.execPath, [...entry, "--http-port", "0", "--log-level", "warn", ...args], {
    cwd: ROOT, env: { ...process.env, DMC_ADMIN_USER: "", DMC_ADMIN_PASSWORD: "", ...env }, stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => { output += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { output += d.toString(); });
  await waitFor(`the server to start (${output})`, () => output.includes("Live map:") || child.exitCode !== null, 30_000);
  if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
  return Object.assign(child, { output: () => output });
}
