/**
 * udpout://HOST:PORT: send to a fixed address (e.g. a vehicle or router listening with udpin); datagrams from
 * any address are accepted, each sender with its own framer.
 */
import type { Socket } from "node:dgram";
import { isIPv6 } from "node:net";
import type { PeerId } from "../types";
import { LinkBase, type LinkOptions } from "./base";
import { describeSocketError, hostPort } from "./errors";
import { boundAddress, bindUdp, closeUdp, createUdpSocket, udpPeer } from "./udp";

export class UdpOutLink extends LinkBase {
  readonly kind = "udpout" as const;
  private socket: Socket | null = null;
  private readonly target: string;
  private readonly peer: PeerId;

  constructor(url: string, private readonly host: string, private readonly port: number, opts: LinkOptions) {
    super(url, opts);
    this.target = hostPort(host, port);
    this.peer = `udp:${this.target}`;
  }

  async start(): Promise<void> {
    if (this.socket !== null) return;
    const socket = createUdpSocket(this.host);
    this.socket = socket;
    this.setConnection("connecting");
    const any = isIPv6(this.host) ? "::" : "0.0.0.0";
    try {
      await bindUdp(socket, any, 0);
    } catch (err) {
      this.socket = null;
      this.setError(err instanceof Error ? err.message : String(err));
      this.setConnection("error");
      throw err;
    }
    socket.on("error", (err) => this.setError(describeSocketError(err, this.target)));
    socket.on("message", (msg, rinfo) => this.ingest(udpPeer(rinfo), msg));
    this.setConnection("open");
    // UDP has no connection: the configured address is the one peer, from the start.
    this.peerUp(this.peer);
  }

  send(packet: Buffer): void {
    const socket = this.socket;
    if (socket === null) return;
    this.countSent(packet.length);
    socket.send(packet, this.port, this.host, (err) => {
      if (err) this.setError(describeSocketError(err, this.target));
    });
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) {
      await closeUdp(socket);
      this.peerDown(this.peer, "link closed");
    }
    this.setConnection("closed");
  }

  localAddress(): { host: string; port: number } | null {
    return boundAddress(this.socket);
  }

  protected peerCount(): number {
    return this.socket === null ? 0 : 1;
  }
}
