import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ChildServer } from "./child-server";
import { freeTcpPorts } from "./ports";

/**
 * A throw-away Redis server (Debian's redis-server package) for tests: a free loopback port, a temp dir, no
 * persistence. A missing redis-server is an error, never a skip: CI installs it, and a skipped suite proves nothing.
 */
export class Redis {
  private readonly process: ChildServer;

  private constructor(readonly dir: string, readonly port: number) {
    this.process = new ChildServer("redis-server", path.join(dir, "redis.log"));
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async create(): Promise<Redis> {
    const bin = process.env.REDIS_SERVER ?? "/usr/bin/redis-server";
    if (!fs.existsSync(bin)) {
      throw new Error(`redis-server not found at ${bin}: install it (Debian: apt-get install redis-server) or set REDIS_SERVER`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-redis-"));
    const [port] = await freeTcpPorts(1);
    const server = new Redis(dir, port!);
    try {
      await server.process.start(bin, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no",
        "--daemonize", "no", "--protected-mode", "yes"], () => server.ready(), 20_000, "answer PING");
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return server;
  }

  async dispose(): Promise<void> {
    await this.process.stop("SIGTERM");
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  logTail(lines = 30): string {
    return this.process.logTail(lines);
  }

  /** PING over a plain socket (no client library needed to tell it is up). */
  private ready(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect(this.port, "127.0.0.1");
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(1000, () => done(false));
      socket.once("error", () => done(false));
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (d) => done(d.toString().startsWith("+PONG")));
    });
  }
}
