import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ChildServer } from "./child-server";
import { freeTcpPorts } from "./ports";

/**
 * A throw-away InfluxDB 1.x (Debian's `influxd`) for tests: its own temp dirs, free loopback ports, stopped with
 * SIGTERM. It can be stopped and started again on the same dirs and port (an outage in the middle of a test).
 * A missing influxd is an error, never a skip: CI installs it, and a skipped store suite proves nothing.
 */
export class Influxd {
  private readonly process: ChildServer;

  private constructor(readonly dir: string, readonly port: number, private readonly binary: string) {
    this.process = new ChildServer("influxd", path.join(dir, "influxd.log"));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.process.running;
  }

  /**
   * Starts influxd on fresh temp dirs and free ports; resolves when GET /ping answers 204. `maxRowLimit` sets
   * [http] max-row-limit (0, the default, is unlimited), to see how a store copes with a cut answer; `admin`
   * turns authentication on with that user (all privileges) created.
   */
  static async create(opts: { maxRowLimit?: number; admin?: { user: string; password: string } } = {}): Promise<Influxd> {
    const binary = findInfluxd();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-influxd-"));
    const [httpPort, rpcPort] = await freeTcpPorts(2);
    fs.writeFileSync(path.join(dir, "influxdb.conf"), config(dir, httpPort!, rpcPort!, opts.maxRowLimit ?? 0, opts.admin !== undefined));
    const server = new Influxd(dir, httpPort!, binary);
    try {
      await server.start();
      // With authentication on, the first user may be created without credentials, and must be an admin.
      if (opts.admin) await server.exec(`CREATE USER "${opts.admin.user}" WITH PASSWORD '${opts.admin.password}' WITH ALL PRIVILEGES`);
    } catch (err) {
      await server.dispose();
      throw err;
    }
    return server;
  }

  async start(timeoutMs = 20_000): Promise<void> {
    await this.process.start(this.binary, ["-config", path.join(this.dir, "influxdb.conf")], () => ping(this.port), timeoutMs, "answer /ping");
  }

  /** SIGTERM and wait for the exit (SIGKILL after 10 s). The data stays for a later start(). */
  async stop(): Promise<void> {
    await this.process.stop("SIGTERM");
  }

  /** Runs an InfluxQL statement (POST /query), throwing on an error. */
  async exec(statement: string, auth?: { user: string; password: string }): Promise<void> {
    const headers: Record<string, string> = auth
      ? { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString("base64")}` } : {};
    const res = await fetch(`${this.url}/query`, { method: "POST", headers, body: new URLSearchParams({ q: statement }) });
    const text = await res.text();
    if (!res.ok || text.includes('"error"')) throw new Error(`influxd: ${statement}: ${res.status} ${text}`);
  }

  /** Stops it and removes its dirs. */
  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  logTail(lines = 30): string {
    return this.process.logTail(lines);
  }
}

function findInfluxd(): string {
  const fromEnv = process.env.INFLUXD;
  if (fromEnv) return fromEnv;
  const found = spawnSync("sh", ["-c", "command -v influxd"], { encoding: "utf8" }).stdout.trim();
  if (found === "") {
    throw new Error("influxd not found: install InfluxDB 1.x (Debian: apt-get install influxdb) or set INFLUXD=/path/to/influxd");
  }
  return found;
}

function config(dir: string, httpPort: number, rpcPort: number, maxRowLimit: number, auth: boolean): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${path.join(dir, "meta")}"
  logging-enabled = false

[data]
  dir = "${path.join(dir, "data")}"
  wal-dir = "${path.join(dir, "wal")}"
  query-log-enabled = false

[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
  max-row-limit = ${Math.trunc(maxRowLimit)}
  auth-enabled = ${auth}

[monitor]
  store-enabled = false

[continuous_queries]
  enabled = false
`;
}

async function ping(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(1000) });
    return res.status === 204;
  } catch {
    return false;
  }
}

