/**
 * One server per data directory: a second start (in this process or another, any ports) is refused before it
 * reads or writes anything there, and the maintenance CLIs refuse or read only while a server holds it.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlightCatalogue } from "../../server/flights";
import type { RunningServer } from "../../server/main";
import { startServer } from "../../server/main";
import { DataDirInUseError, LOCK_FILE } from "../../server/storage";
import { FIXTURES, startTestServer, testConfig } from "../helpers/server";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
let server: RunningServer;
let dataDir: string;
let liveFlight: number;

beforeAll(async () => {
  server = await startTestServer();
  dataDir = path.dirname(server.db.name);
  // A flight being recorded by this server, as the recorder leaves it between flushes.
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, "copter_flight_1.tlog"), path.join(dataDir, "flights/1-1/live.tlog"));
  liveFlight = await new FlightCatalogue(server.sql).create({
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: Date.now(),
    tlogPath: "flights/1-1/live.tlog", status: "recording", pilot: null, previousId: null, source: "live",
  });
});
afterAll(async () => {
  await server?.close();
});

const statusOfLiveFlight = async () => (await new FlightCatalogue(server.sql).get(liveFlight))?.status;
const lockLine = () => new RegExp(`data directory ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is in use by the server `
  + `pid ${process.pid} \\(http 127\\.0\\.0\\.1:${server.httpPort}, links udpin://127\\.0\\.0\\.1:0\\) since \\d{4}-`);

/** `npm start` on the same data directory, other ports; resolves when it exits or says it is listening. */
function secondServer(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", "--data-dir", dataDir, "--http-port", "0",
      "--link", "udpin://127.0.0.1:0", "--log-level", "warn"], { cwd: ROOT, env: { ...process.env, DMC_ADMIN_USER: "", DMC_ADMIN_PASSWORD: "" } });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      // Running beside the first one: stop it (the test then fails on what it did at start).
      if (stdout.includes("Live map:")) child.kill("SIGTERM");
    });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function cli(args: string[]) {
  const r = spawnSync(TSX, [...args, "--data-dir", dataDir], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, DMC_DATA_DIR: "", DMC_SERIES: "", DMC_SERIES_RATE: "" }, timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the data directory belongs to one server", () => {
  it("records the holder's pid and real ports in the lock file", () => {
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), "utf8"))).toMatchObject({
      pid: process.pid, by: "server", httpHost: "127.0.0.1", httpPort: server.httpPort, links: ["udpin://127.0.0.1:0"],
    });
  });

  it("a second server process is refused in one line, and the first one's live flight is left alone", async () => {
    const second = await secondServer();
    expect(second.stdout).not.toContain("Live map:");
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(lockLine());
    expect(second.stderr.trim().split("\n")).toHaveLength(1);
    expect(await statusOfLiveFlight()).toBe("recording");
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);
  }, 30_000);

  it("a second server in the same process is refused too, before it opens anything", async () => {
    const start = startServer(testConfig({ dataDir }), pino({ level: "silent" }), { env: {} });
    await expect(start).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(start).rejects.toThrow(lockLine());
    expect(await statusOfLiveFlight()).toBe("recording");
  });

  it("`flights rebuild` refuses while the server runs; `audit verify` reads only", async () => {
    const rebuild = cli(["server/cli/flights.ts", "rebuild"]);
    expect(rebuild.code).toBe(1);
    expect(rebuild.stderr).toMatch(lockLine());
    expect(rebuild.stderr).toMatch(/: stop it first\n$/);
    expect(rebuild.stdout).toBe("");
    expect(await statusOfLiveFlight()).toBe("recording");

    await server.audit.append({ actor: "test", address: "", action: "login", target: "x", result: "ok" });
    const verify = cli(["server/cli/audit.ts", "verify"]);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit chain intact: 1 entries/) });
    expect(verify.stderr).toMatch(/^note: data directory .* is in use by the server pid \d+ .*: reading it read-only\n$/);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);
  }, 40_000);

  it("is free again once the server closes: the next start and the CLIs work", async () => {
    await server.close();
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    server = await startServer(testConfig({ dataDir }), pino({ level: "silent" }), { env: {} });
    // The flight the first server left recording is sealed by the next one, as after a crash.
    expect(await statusOfLiveFlight()).toBe("interrupted");
    await server.close();
    const verify = cli(["server/cli/audit.ts", "verify"]);
    expect(verify).toMatchObject({ code: 0, stderr: "" });
    // A rebuild holds the directory while it runs, and leaves it free.
    expect(cli(["server/cli/flights.ts", "rebuild"]).code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    server = await startServer(testConfig({ dataDir }), pino({ level: "silent" }), { env: {} });
  }, 40_000);
});
