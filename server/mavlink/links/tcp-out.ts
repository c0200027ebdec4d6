/**
 * tcpout://HOST:PORT: connect (e.g. to ArduPilot SITL on 5760) and stay connected: reconnect with exponential
 * backoff when refused or dropped. node:net directly, because node-mavlink's MavTCP turns a refused connection
 * into an uncaught exception.
 */
import { connect, type Socket } from "node:net";
import type { PeerId } from "../types";
import { Backoff } from "./backoff";
import { LinkBase, type LinkOptions } from "./base";
import { describeSocketError, hostPort } from "./errors";

export class TcpOutLink extends LinkBase {
  readonly kind = "tcpout" as const;
  private socket: Socket | null = null;
  private connected = false;
  private running = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private readonly target: string;
  private readonly peer: PeerId;

  constructor(url: string, private readonly host: string, private readonly port: number, opts: LinkOptions) {
    super(url, opts);
    this.backoff = new Backoff(opts.backoff);
    this.target = hostPort(host, port);
    this.peer = `tcp:${this.target}`;
  }

  /** Resolves at once; connecting (and reconnecting) goes on in the background. */
  start(): Promise<void> {
    if (!this.running) {
      this.running = true;
      this.connect();
    }
    return Promise.resolve();
  }

  send(packet: Buffer): void {
    if (this.socket === null || !this.connected) return;
    this.countSent(packet.length);
    this.socket.write(packet);
  }

  /** Stops reconnecting; resolves once the socket is closed. */
  close(): Promise<void> {
    this.running = false;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    if (socket === null) {
      this.setConnection("closed");
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      socket.once("close", () => resolve());
      socket.destroy();
    });
  }

  localAddress(): { host: string; port: number } | null {
    const s = this.socket;
    if (s === null || !this.connected || s.localAddress === undefined || s.localPort === undefined) return null;
    return { host: s.localAddress, port: s.localPort };
  }

  protected peerCount(): number {
    return this.connected ? 1 : 0;
  }

  private connect(): void {
    this.retryTimer = null;
    this.setConnection("connecting");
    const socket = connect({ host: this.host, port: this.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      this.connected = true;
      this.backoff.reset();
      this.setError(null);
      this.setConnection("open");
      this.peerUp(this.peer);
    });
    socket.on("data", (chunk: Buffer) => this.ingest(this.peer, chunk));
    socket.on("error", (err) => this.setError(describeSocketError(err, this.target)));
    socket.on("end", () => this.setError(`connection closed by ${this.target}`));
    socket.on("close", () => this.closed());
  }

  private closed(): void {
    this.socket = null;
    if (this.connected) {
      this.connected = false;
      this.peerDown(this.peer, this.error ?? "connection closed");
    }
    if (!this.running) {
      this.setConnection("closed");
      return;
    }
    this.setConnection("connecting");
    const delay = this.backoff.next();
    this.log.debug({ delay }, "reconnecting");
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
