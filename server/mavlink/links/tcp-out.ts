/**
 * tcpout://HOST:PORT: connect (e.g. to ArduPilot SITL on 5760) and stay connected: reconnect with exponential
 * backoff when refused or dropped. node:net directly, because node-mavlink's MavTCP turns a refused connection
 * into an uncaught exception.
 *
 * A connection through a mobile network can die without a FIN or RST (the carrier's NAT forgets it): writes
 * still succeed locally and the socket would stay "open" until TCP gives up retransmitting, ~15 min. A vehicle
 * sends several messages a second, so receiving nothing for idleTimeoutMs means the connection is gone.
 */
import { connect, type Socket } from "node:net";
import type { PeerId } from "../types";
import { Backoff } from "./backoff";
import { LinkBase, type LinkOptions } from "./base";
import { describeSocketError, hostPort } from "./errors";

const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
/** Keepalive probes start after this much idle time (the kernel's default is 2 h). */
const KEEPALIVE_DELAY_MS = 5_000;

export class TcpOutLink extends LinkBase {
  readonly kind = "tcpout" as const;
  private socket: Socket | null = null;
  private connected = false;
  private running = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Fires after idleTimeoutMs without received bytes; refreshed on every chunk (no allocation). */
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly idleTimeoutMs: number;
  private readonly backoff: Backoff;
  private readonly target: string;
  private readonly peer: PeerId;

  constructor(url: string, private readonly host: string, private readonly port: number, opts: LinkOptions) {
    super(url, opts);
    this.backoff = new Backoff(opts.backoff);
    this.idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
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

  sendTo(peer: PeerId, packet: Buffer): void {
    if (peer === this.peer) this.send(packet);
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
    // Also lets the kernel notice a dead peer when nothing is being written.
    socket.setKeepAlive(true, KEEPALIVE_DELAY_MS);
    socket.on("connect", () => {
      this.connected = true;
      this.backoff.reset();
      this.setError(null);
      this.setConnection("open");
      this.idleTimer = setTimeout(() => this.idle(socket), this.idleTimeoutMs);
      this.peerUp(this.peer);
    });
    socket.on("data", (chunk: Buffer) => {
      this.idleTimer?.refresh();
      this.ingest(this.peer, chunk);
    });
    socket.on("error", (err) => this.setError(describeSocketError(err, this.target)));
    socket.on("end", () => this.setError(`connection closed by ${this.target}`));
    socket.on("close", () => this.closed());
  }

  private idle(socket: Socket): void {
    this.idleTimer = null;
    if (socket !== this.socket) return;
    this.setError(`no data for ${this.idleTimeoutMs / 1000} s`);
    socket.destroy(); // "close" follows: peerDown with that reason, then reconnect with backoff
  }

  private closed(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
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
