import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const run = (...args: string[]) => spawnSync(TSX, args, { cwd: ROOT, encoding: "utf8", timeout: 20_000, env: { ...process.env, DMC_LOG_LEVEL: "silent" } });

describe("the command lines", () => {
  it("server --help lists every option with its environment variable", () => {
    const r = run("server/main.ts", "--help");
    expect(r.status).toBe(0);
    for (const flag of ["--link", "--http-host", "--http-port", "--gcs-sysid", "--gcs-compid", "--passive", "--tick-ms",
      "--lost-after-ms", "--tile-url", "--log-level", "DMC_LINKS", "DMC_HTTP_PORT"]) expect(r.stdout).toContain(flag);
  });

  it("the server refuses a bad configuration before starting, listing every problem, exit code 2", () => {
    const r = run("server/main.ts", "--link", "udp://0.0.0.0:14550", "--http-port", "-1", "--tick-ms", "1");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Configuration problems:/);
    expect(r.stderr).toMatch(/--link: .*udp:\/\/0\.0\.0\.0:14550/);
    expect(r.stderr).toMatch(/--http-port: must be at least 0/);
    expect(r.stderr).toMatch(/--tick-ms: must be at least 20/);
  });

  it("sitl replay --help explains the player", () => {
    const r = run("sitl/main.ts", "replay", "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--to <url>/);
    expect(r.stdout).toMatch(/--speed/);
  });

  it("sitl replay names a missing file clearly", () => {
    const r = run("sitl/main.ts", "replay", "no-such-flight.tlog", "--to", "udpout://127.0.0.1:14550");
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/no-such-flight\.tlog/);
  });
});
