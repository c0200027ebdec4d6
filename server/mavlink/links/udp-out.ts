/**
 * udpout://HOST:PORT: send to a fixed address (e.g. a vehicle or router listening with udpin). Only datagrams
 * from that address and port are read; any other source is dropped and counted, so nobody else can inject
 * frames or make us keep state for them.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIPv6 } from "node:net";
import type { PeerId } from "../types";
import { LinkBase, type LinkOptions } from "./base";
import { describeSocketError, hostPort } from "./errors";
import { nodeUdpSocket, type UdpSocket, type UdpSocketFactory } from "./udp";

interface Target {
  address: string;
  /** Matches the address however it is spelled (an IPv6 address has several spellings). */
  match: BlockList;
  family: "ipv4" | "ipv6";
}

export class UdpOutLink extends LinkBase {
  readonly kind = "udpout" as const;
  private socket: UdpSocket | null = null;
  private readonly createSocket: UdpSocketFactory;
  /** The configured host resolved once at start (the datagram source filter compares against it). */
  private resolved: Target | null = null;
  private readonly target: string;
  private readonly peer: PeerId;

  constructor(url: string, private readonly host: string, private readonly port: number, opts: LinkOptions) {
    super(url, opts);
    this.target = hostPort(host, port);
    this.peer = `udp:${this.target}`;
    this.createSocket = opts.udpSocket ?? nodeUdpSocket;
  }

  async start(): Promise<void> {
    if (this.socket !== null) return;
    const socket = this.createSocket(this.host);
    this.socket = socket;
    this.setConnection("connecting");
    const any = isIPv6(this.host) ? "::" : "0.0.0.0";
    socket.onError((message) => this.setError(message));
    socket.onMessage((msg, address, port) => this.receive(msg, address, port));
    socket.onDropped((count) => this.countDroppedDatagram(count));
    try {
      this.resolved = await resolve(this.host);
      await socket.bind(any, 0);
    } catch (err) {
      this.socket = null;
      this.resolved = null;
      await socket.close();
      const message = err instanceof Error && !("code" in err) ? err.message : describeSocketError(err, this.target);
      this.setError(message);
      this.setConnection("error");
      throw new Error(message);
    }
    this.setConnection("open");
    // UDP has no connection: the configured address is the one peer, from the start.
    this.peerUp(this.peer);
  }

  send(packet: Buffer): void {
    const socket = this.socket;
    const resolved = this.resolved;
    if (socket === null || resolved === null) return;
    this.countSent(packet.length);
    socket.send(packet, this.port, resolved.address);
  }

  sendTo(peer: PeerId, packet: Buffer): void {
    if (peer === this.peer) this.send(packet);
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    this.resolved = null;
    if (socket !== null) {
      await socket.close();
      this.peerDown(this.peer, "link closed");
    }
    this.setConnection("closed");
  }

  localAddress(): { host: string; port: number } | null {
    return this.socket?.address() ?? null;
  }

  protected peerCount(): number {
    return this.socket === null ? 0 : 1;
  }

  private receive(msg: Buffer, address: string, port: number): void {
    const target = this.resolved;
    const fromTarget = target !== null && port === this.port
      && (address === target.address || target.match.check(address, target.family));
    if (!fromTarget) {
      this.countDroppedDatagram();
      return;
    }
    this.ingest(this.peer, msg);
  }
}

/**
 * Once, at start: the socket is udp4 unless the host is an IPv6 literal, so a name is resolved to IPv4 as the
 * socket itself would resolve it for each send.
 */
async function resolve(host: string): Promise<Target> {
  const family = isIPv6(host) ? 6 : 4;
  const { address } = await lookup(host, { family });
  const kind = family === 6 ? "ipv6" : "ipv4";
  const match = new BlockList();
  match.addAddress(address, kind);
  return { address, match, family: kind };
}
