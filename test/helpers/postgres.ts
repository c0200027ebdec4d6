import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ChildServer } from "./child-server";
import { freeTcpPorts } from "./ports";

/**
 * A throw-away PostgreSQL server (Debian's postgresql package) for tests: its own cluster in a temp dir, a free
 * loopback port, trust authentication for the `postgres` user, stopped with a fast shutdown. PostgreSQL refuses
 * to run as root, so under root (CI) the cluster belongs to, and the server runs as, the `postgres` system user
 * the Debian package creates. A missing PostgreSQL is an error, never a skip: CI installs it, and a skipped
 * suite proves nothing. Durability is off (fsync, full-page writes): this cluster is thrown away after the test.
 */
export class Postgres {
  private readonly process: ChildServer;
  private databases = 0;

  private constructor(readonly dir: string, readonly port: number, private readonly bin: string, owner: Owner | null) {
    this.process = new ChildServer("postgres", path.join(dir, "postgres.log"), owner);
  }

  /** The maintenance database's URL. */
  get url(): string {
    return this.urlOf("postgres");
  }

  urlOf(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** initdb on a fresh temp dir, then start; resolves when the server accepts a query. */
  static async create(): Promise<Postgres> {
    const bin = findBin();
    const owner = process.getuid?.() === 0 ? postgresUser() : null;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-postgres-"));
    if (owner) fs.chownSync(dir, owner.uid, owner.gid);
    const [port] = await freeTcpPorts(1);
    const server = new Postgres(dir, port!, bin, owner);
    try {
      const init = spawnSync(path.join(bin, "initdb"), ["-D", server.dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"],
        { encoding: "utf8", ...(owner ?? {}) });
      if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.signal}):\n${init.stderr}${init.error?.message ?? ""}`);
      await server.start();
    } catch (err) {
      await server.dispose();
      throw err;
    }
    return server;
  }

  private get dataDir(): string {
    return path.join(this.dir, "data");
  }

  get running(): boolean {
    return this.process.running;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const args = ["-D", this.dataDir, "-p", String(this.port), "-k", this.dir, "-c", "listen_addresses=127.0.0.1",
      "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off", "-c", "max_connections=200"];
    await this.process.start(path.join(this.bin, "postgres"), args, () => this.ready(), timeoutMs, "accept a query");
  }

  /** Fast shutdown (SIGINT: clients are disconnected) and wait for the exit; SIGKILL after 10 s. Data stays. */
  async stop(): Promise<void> {
    await this.process.stop("SIGINT");
  }

  /** A new, empty database; returns its URL. */
  async createDatabase(prefix = "dmc_test"): Promise<string> {
    this.databases += 1;
    const name = `${prefix}_${this.databases}`;
    await this.query(`CREATE DATABASE ${name}`);
    return this.urlOf(name);
  }

  /** Runs SQL on the maintenance database with a connection of its own. */
  async query(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  /** Stops it and removes its dirs. */
  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  logTail(lines = 30): string {
    return this.process.logTail(lines);
  }

  private async ready(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

interface Owner {
  uid: number;
  gid: number;
}

/** The directory holding initdb and postgres: $POSTGRES_BIN, else Debian's newest /usr/lib/postgresql/N/bin. */
function findBin(): string {
  const fromEnv = process.env.POSTGRES_BIN;
  if (fromEnv) return fromEnv;
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = path.join(root, v, "bin");
    if (fs.existsSync(path.join(bin, "postgres")) && fs.existsSync(path.join(bin, "initdb"))) return bin;
  }
  throw new Error("PostgreSQL not found: install it (Debian: apt-get install postgresql) or set POSTGRES_BIN to the folder holding initdb and postgres");
}

function postgresUser(): Owner {
  const r = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const g = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (r.status !== 0 || g.status !== 0) {
    throw new Error("running as root, and there is no `postgres` user to run PostgreSQL as (Debian's postgresql package creates it)");
  }
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}
