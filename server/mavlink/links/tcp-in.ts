/** tcpin://HOST:PORT: listen; every client is a peer with its own framer; send() writes to all of them. */
import { createServer, type Server, type Socket } from "node:net";
import type { PeerId } from "../types";
import { LinkBase, type LinkOptions } from "./base";
import { describeSocketError, hostPort } from "./errors";

export class TcpInLink extends LinkBase {
  readonly kind = "tcpin" as const;
  private server: Server | null = null;
  private readonly clients = new Map<PeerId, Socket>();

  constructor(url: string, private readonly host: string, private readonly port: number, opts: LinkOptions) {
    super(url, opts);
  }

  async start(): Promise<void> {
    if (this.server !== null) return;
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    this.setConnection("connecting");
    const where = hostPort(this.host, this.port);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(this.port, this.host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (err) {
      this.server = null;
      this.setError(describeSocketError(err, where));
      this.setConnection("error");
      throw new Error(describeSocketError(err, where));
    }
    server.on("error", (err) => this.setError(describeSocketError(err, where)));
    this.setConnection("open");
  }

  send(packet: Buffer): void {
    for (const socket of this.clients.values()) {
      this.countSent(packet.length);
      socket.write(packet);
    }
  }

  sendTo(peer: PeerId, packet: Buffer): void {
    const socket = this.clients.get(peer);
    if (socket === undefined) return;
    this.countSent(packet.length);
    socket.write(packet);
  }

  /** Drops every client and stops listening; resolves when the server is closed. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server !== null) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.clients.values()) socket.destroy();
      await closed;
    }
    this.setConnection("closed");
  }

  localAddress(): { host: string; port: number } | null {
    const a = this.server?.address();
    return a && typeof a === "object" ? { host: a.address, port: a.port } : null;
  }

  protected peerCount(): number {
    return this.clients.size;
  }

  private accept(socket: Socket): void {
    const peer: PeerId = `tcp:${hostPort(socket.remoteAddress ?? "?", socket.remotePort ?? 0)}`;
    socket.setNoDelay(true);
    this.clients.set(peer, socket);
    let reason = "connection closed by client";
    socket.on("data", (chunk: Buffer) => this.ingest(peer, chunk));
    // A client's error is its own problem, not the link's: it only ends that client.
    socket.on("error", (err) => {
      reason = describeSocketError(err, peer.slice(4));
    });
    socket.on("close", () => {
      this.clients.delete(peer);
      this.peerDown(peer, this.server === null ? "link closed" : reason);
    });
    this.peerUp(peer);
  }
}
