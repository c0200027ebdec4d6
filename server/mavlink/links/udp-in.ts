/**
 * udpin://HOST:PORT: listen; every sender is a peer with its own framer; send() replies to every sender heard
 * in the last 30 s (a vehicle or a MAVProxy/mavlink-router forwarding to us).
 */
import type { RemoteInfo, Socket } from "node:dgram";
import type { PeerId } from "../types";
import { LinkBase, type LinkOptions } from "./base";
import { describeSocketError, hostPort } from "./errors";
import { boundAddress, bindUdp, closeUdp, createUdpSocket, udpPeer } from "./udp";

const DEFAULT_PEER_TIMEOUT_MS = 30_000;

interface Sender {
  address: string;
  port: number;
  lastHeard: number;
}

export class UdpInLink extends LinkBase {
  readonly kind = "udpin" as const;
  private socket: Socket | null = null;
  private readonly senders = new Map<PeerId, Sender>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly peerTimeoutMs: number;

  constructor(url: string, private readonly host: string, private readonly port: number, opts: LinkOptions) {
    super(url, opts);
    this.peerTimeoutMs = opts.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS;
  }

  async start(): Promise<void> {
    if (this.socket !== null) return;
    const socket = createUdpSocket(this.host);
    this.socket = socket;
    this.setConnection("connecting");
    try {
      await bindUdp(socket, this.host, this.port);
    } catch (err) {
      this.socket = null;
      this.setError(err instanceof Error ? err.message : String(err));
      this.setConnection("error");
      throw err;
    }
    socket.on("error", (err) => this.setError(describeSocketError(err, hostPort(this.host, this.port))));
    socket.on("message", (msg, rinfo) => this.receive(msg, rinfo));
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(10, Math.min(5_000, this.peerTimeoutMs / 2)));
    this.sweepTimer.unref();
    this.setConnection("open");
  }

  send(packet: Buffer): void {
    const socket = this.socket;
    if (socket === null) return;
    const now = this.now();
    for (const sender of this.senders.values()) {
      if (now - sender.lastHeard > this.peerTimeoutMs) continue;
      this.countSent(packet.length);
      socket.send(packet, sender.port, sender.address, (err) => {
        if (err) this.setError(describeSocketError(err, hostPort(sender.address, sender.port)));
      });
    }
  }

  async close(): Promise<void> {
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    const socket = this.socket;
    this.socket = null;
    for (const peer of [...this.senders.keys()]) this.forget(peer, "link closed");
    if (socket !== null) await closeUdp(socket);
    this.setConnection("closed");
  }

  localAddress(): { host: string; port: number } | null {
    return boundAddress(this.socket);
  }

  protected peerCount(): number {
    return this.senders.size;
  }

  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    const peer = udpPeer(rinfo);
    const now = this.now();
    const sender = this.senders.get(peer);
    if (sender !== undefined && now - sender.lastHeard > this.peerTimeoutMs) {
      // Back after a silence the sweep has not noticed yet: a new appearance (streams must be asked for again).
      this.forget(peer, `silent for ${Math.round((now - sender.lastHeard) / 1000)} s`);
    }
    const current = this.senders.get(peer);
    if (current === undefined) {
      this.senders.set(peer, { address: rinfo.address, port: rinfo.port, lastHeard: now });
      this.peerUp(peer);
    } else {
      current.lastHeard = now;
    }
    this.ingest(peer, msg);
  }

  private sweep(): void {
    const now = this.now();
    for (const [peer, sender] of this.senders) {
      if (now - sender.lastHeard > this.peerTimeoutMs) {
        this.forget(peer, `silent for ${Math.round((now - sender.lastHeard) / 1000)} s`);
      }
    }
  }

  private forget(peer: PeerId, reason: string): void {
    this.senders.delete(peer);
    this.peerDown(peer, reason);
  }
}
