/**
 * `npm run demo` leaves nothing behind: its throw-away data directory (accounts, recorded flights) is removed
 * when it is stopped with Ctrl-C (SIGINT) or SIGTERM.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { waitFor } from "../helpers/server";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("npm run demo", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("removes its temporary data directory when stopped by %s", async (signal) => {
    const httpPort = await freePort();
    const basePort = await freePort();
    const demo = spawn(TSX, ["sitl/demo.ts", "--no-build", "--vehicles", "1", "--http-port", String(httpPort), "--base-port", String(basePort)],
      { cwd: ROOT, env: { ...process.env, DMC_LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    demo.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
    const closed = new Promise<number | null>((resolve) => demo.once("close", resolve));
    try {
      const dataDir = await waitFor("the demo's data directory", () => /--data-dir (\S+)/.exec(stdout)?.[1], 60_000);
      // The server has started in it (its database and lock are there) before the demo is stopped.
      await waitFor("the server answering", async () => (await fetch(`http://127.0.0.1:${httpPort}/healthz`).catch(() => null))?.ok, 60_000);
      expect(fs.existsSync(path.join(dataDir, "dmc.sqlite"))).toBe(true);
      demo.kill(signal);
      expect(await closed).toBe(0);
      expect(stdout).toContain("Stopped.");
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      if (demo.exitCode === null) demo.kill("SIGKILL");
    }
  }, 120_000);
});
