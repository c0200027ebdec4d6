/**
 * udpin://HOST:PORT: listen; every sender has its own framer; send() replies to every peer heard in the last
 * 30 s (a vehicle or a MAVProxy/mavlink-router forwarding to us).
 *
 * A sender becomes a peer only once it sent a frame with a good checksum. UDP sources can be spoofed: if any
 * datagram made its source a peer, one forged byte would make us send telemetry requests and heartbeats to a
 * victim for 30 s (amplification). The senders tracked at once are capped for the same reason; when the table is
 * full a new sender takes the place of the oldest unproven sender, else of the least recently heard peer that the
 * consumer has not vouched for (retainPeer: it hosts no admitted vehicle), so strangers cannot lock a drone out.
 */
import type { PeerId } from "../types";
import { LinkBase, type LinkOptions } from "./base";
import { nodeUdpSocket, udpPeer, type UdpSocket, type UdpSocketFactory } from "./udp";

const DEFAULT_PEER_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_PEERS = 256;

interface Sender {
  address: string;
  port: number;
  lastHeard: number;
}

export class UdpInLink extends LinkBase {
  readonly kind = "udpin" as const;
  private socket: UdpSocket | null = null;
  private readonly createSocket: UdpSocketFactory;
  /** Senders that sent a checked frame: they get send() traffic. */
  private readonly peers = new Map<PeerId, Sender>();
  /** Senders not proven yet: framed, never answered. In order of first datagram, oldest first. */
  private readonly unproven = new Map<PeerId, Sender>();
  /** Peers the consumer vouched for: never evicted to make room. */
  private readonly retained = new Set<PeerId>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly peerTimeoutMs: number;
  private readonly maxPeers: number;

  constructor(url: string, private readonly host: string, private readonly port: number, opts: LinkOptions) {
    super(url, opts);
    this.peerTimeoutMs = opts.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS;
    this.maxPeers = Math.max(1, opts.maxPeers ?? DEFAULT_MAX_PEERS);
    this.createSocket = opts.udpSocket ?? nodeUdpSocket;
  }

  async start(): Promise<void> {
    if (this.socket !== null) return;
    const socket = this.createSocket(this.host);
    this.socket = socket;
    this.setConnection("connecting");
    socket.onError((message) => this.setError(message));
    socket.onMessage((msg, address, port) => this.receive(msg, address, port));
    socket.onDropped((count) => this.countDroppedDatagram(count));
    try {
      await socket.bind(this.host, this.port);
    } catch (err) {
      this.socket = null;
      await socket.close();
      this.setError(err instanceof Error ? err.message : String(err));
      this.setConnection("error");
      throw err;
    }
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(10, Math.min(5_000, this.peerTimeoutMs / 2)));
    this.sweepTimer.unref();
    this.setConnection("open");
  }

  send(packet: Buffer): void {
    const now = this.now();
    for (const sender of this.peers.values()) {
      if (now - sender.lastHeard <= this.peerTimeoutMs) this.sendToSender(sender, packet);
    }
  }

  sendTo(peer: PeerId, packet: Buffer): void {
    const sender = this.peers.get(peer);
    if (sender !== undefined && this.now() - sender.lastHeard <= this.peerTimeoutMs) this.sendToSender(sender, packet);
  }

  async close(): Promise<void> {
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    const socket = this.socket;
    this.socket = null;
    for (const peer of [...this.peers.keys(), ...this.unproven.keys()]) this.forget(peer, "link closed");
    if (socket !== null) await socket.close();
    this.setConnection("closed");
  }

  retainPeer(peer: PeerId, retained: boolean): void {
    if (retained) this.retained.add(peer);
    else this.retained.delete(peer);
  }

  localAddress(): { host: string; port: number } | null {
    return this.socket?.address() ?? null;
  }

  protected peerCount(): number {
    return this.peers.size;
  }

  /** The first checked frame of an unproven sender makes it a peer, announced before the frame is emitted. */
  protected override frameArrived(peer: PeerId): void {
    const sender = this.unproven.get(peer);
    if (sender === undefined) return;
    this.unproven.delete(peer);
    this.peers.set(peer, sender);
    this.peerUp(peer);
  }

  private sendToSender(sender: Sender, packet: Buffer): void {
    const socket = this.socket;
    if (socket === null) return;
    this.countSent(packet.length);
    socket.send(packet, sender.port, sender.address);
  }

  private receive(msg: Buffer, address: string, port: number): void {
    const peer = udpPeer(address, port);
    const now = this.now();
    let sender = this.peers.get(peer) ?? this.unproven.get(peer);
    if (sender !== undefined && now - sender.lastHeard > this.peerTimeoutMs) {
      // Back after a silence the sweep has not noticed yet: a new appearance (streams must be asked for again).
      this.forget(peer, silence(now - sender.lastHeard));
      sender = undefined;
    }
    if (sender === undefined) {
      if (this.peers.size + this.unproven.size >= this.maxPeers && !this.evictUnproven() && !this.evictUnvouched()) {
        this.countDroppedDatagram();
        return;
      }
      this.unproven.set(peer, { address, port, lastHeard: now });
    } else {
      sender.lastHeard = now;
    }
    this.ingest(peer, msg);
  }

  /**
   * Makes room by forgetting the oldest unproven sender. Without it, junk from spoofed addresses could fill the
   * table and lock a real vehicle out until the junk senders time out; a real vehicle sends whole frames, so
   * it is proven by its first datagram and cannot be evicted in turn.
   */
  private evictUnproven(): boolean {
    const oldest = this.unproven.keys().next();
    if (oldest.done === true) return false;
    this.forget(oldest.value, "evicted");
    return true;
  }

  /** Makes room by forgetting the least recently heard peer that hosts no admitted vehicle. */
  private evictUnvouched(): boolean {
    let oldest: [PeerId, Sender] | null = null;
    for (const entry of this.peers) {
      if (this.retained.has(entry[0])) continue;
      if (oldest === null || entry[1].lastHeard < oldest[1].lastHeard) oldest = entry;
    }
    if (oldest === null) return false;
    this.forget(oldest[0], "evicted: hosts no admitted vehicle and the peer table is full");
    return true;
  }

  private sweep(): void {
    const now = this.now();
    for (const senders of [this.peers, this.unproven]) {
      for (const [peer, sender] of senders) {
        if (now - sender.lastHeard > this.peerTimeoutMs) this.forget(peer, silence(now - sender.lastHeard));
      }
    }
  }

  /** Drops the sender and its framer; only a peer was ever announced, so only a peer is announced gone. */
  private forget(peer: PeerId, reason: string): void {
    if (this.peers.delete(peer)) {
      this.peerDown(peer, reason);
    } else {
      this.unproven.delete(peer);
      this.dropFramer(peer);
    }
  }
}

function silence(ms: number): string {
  return `silent for ${Math.round(ms / 1000)} s`;
}
