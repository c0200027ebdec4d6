import { spawn, spawnSync } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/server";

const ROOT = path.resolve(__dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const run = (...args: (string | { input: string })[]) => spawnSync(TSX, args.filter((a) => typeof a === "string"), {
  cwd: ROOT, encoding: "utf8", timeout: 20_000, env: { ...process.env, DMC_LOG_LEVEL: "silent", DMC_DATA_DIR: "" },
  input: args.find((a) => typeof a !== "string")?.input ?? "",
});
const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-cli-it-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => { for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true }); });

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
    // The problems, then one line to the full list: not the whole --help under them.
    expect(r.stderr.trimEnd().split("\n").at(-1)).toBe("Every option and its environment variable: npm start -- --help");
    expect(r.stderr).not.toContain("--signing-key");
  });

  it("the server names a busy web server port in one line, exit code 1, no stack trace", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const r = run("server/main.ts", "--link", "udpin://127.0.0.1:0", "--http-port", String(port), "--data-dir", tempDir());
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`could not start: port ${port} (127.0.0.1:${port}) is already in use, perhaps by another copy `
        + "of this server: stop it, or choose another port with --http-port (DMC_HTTP_PORT)\n");
    } finally {
      holder.close();
    }
  });

  it("the server names a busy MAVLink address in one line, exit code 1", async () => {
    const holder = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => holder.bind(0, "127.0.0.1", resolve));
    const port = holder.address().port;
    try {
      const r = run("server/main.ts", "--link", `udpin://127.0.0.1:${port}`, "--http-port", "0", "--data-dir", tempDir());
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^could not start: MAVLink link address 127\\.0\\.0\\.1:${port} is already in use .*--link \\(DMC_LINKS\\)\n$`));
    } finally {
      holder.close();
    }
  });

  it("the server refuses a local tile source it cannot serve, naming the file", () => {
    const dir = tempDir();
    const r = run("server/main.ts", "--tile-url", `file://${dir}/none.mbtiles`, "--data-dir", dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--tile-url: ${dir}/none.mbtiles does not exist`);
  });

  it("without an admin the server prints the command for its own data directory, and that command works", async () => {
    const dataDir = path.join(tempDir(), "unit data");
    const server = spawn(TSX, ["server/main.ts", "--link", "udpin://127.0.0.1:0", "--http-port", "0", "--data-dir", dataDir],
      { cwd: ROOT, env: { ...process.env, DMC_LOG_LEVEL: "silent", DMC_ADMIN_USER: "", DMC_ADMIN_PASSWORD: "" } });
    let stdout = "";
    server.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
    const closed = new Promise<number | null>((resolve) => server.once("close", resolve));
    await waitFor("the first-admin hint", () => stdout.includes("Live map:"), 20_000);
    server.kill("SIGTERM");
    expect(await closed).toBe(0);
    const command = `npm run user -- --data-dir '${dataDir}' add NAME --role admin --role pilot --role reviewer`;
    expect(stdout).toContain(`Create one with\n  ${command}\n`);
    // What the operator would type (npm run user -- ... is tsx server/cli/user.ts ...), and the account is there.
    const add = run("server/cli/user.ts", "--data-dir", dataDir, "add", "chief", "--role", "admin", "--role", "pilot",
      "--role", "reviewer", { input: "a long enough phrase\n" });
    expect(add).toMatchObject({ status: 0, stdout: "created chief (admin, pilot, reviewer)\n" });
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
