/**
 * What every transport shares: identity, status, running counter totals, events, and one framer per peer
 * (interleaved peers must not corrupt each other's framing).
 */
import type { Logger } from "pino";
import type { LinkConnection, LinkKind, LinkStatus } from "../../protocol";
import { MavlinkFramer, emptyCounters } from "../framer";
import type { FramerCounters, LinkEvents, MavLink, PeerId } from "../types";
import type { BackoffOptions } from "./backoff";
import { TypedEmitter } from "./emitter";
import type { UdpSocketFactory } from "./udp";

export interface LinkOptions {
  /** Defaults to the URL. */
  id?: string;
  logger: Logger;
  /** Receive-time clock, ms since epoch (tests pass their own). */
  now?: () => number;
  /** Reconnect delays of tcpout / serial. */
  backoff?: BackoffOptions;
  /** UDP senders silent for longer than this are dropped (ms, default 30 s). */
  peerTimeoutMs?: number;
  /**
   * udpin: most senders tracked at once, peers and senders not yet proven (default 256). Datagrams from new
   * addresses beyond it are dropped and counted, so a flood of spoofed sources cannot exhaust memory.
   */
  maxPeers?: number;
  /**
   * udpin / udpout: the sockets (default: Node's own, read on the event loop). The server passes sockets read in a
   * thread of their own (threadedUdpSockets), which keep reading while the event loop is busy.
   */
  udpSocket?: UdpSocketFactory;
  /** tcpout: a connection that received nothing for this long is dropped and reconnected (ms, default 10 s). */
  idleTimeoutMs?: number;
}

export abstract class LinkBase extends TypedEmitter<LinkEvents> implements MavLink {
  abstract readonly kind: LinkKind;
  readonly id: string;
  protected readonly log: Logger;
  protected readonly now: () => number;
  private connection: LinkConnection = "closed";
  private lastError: string | null = null;
  private readonly framers = new Map<PeerId, MavlinkFramer>();
  /** Shared by all the framers, present and gone: status() reads totals instead of summing over peers. */
  private readonly framed: FramerCounters = emptyCounters();
  private bytesIn = 0;
  private bytesOut = 0;
  private decodeErrors = 0;
  private signatureRejected = 0;
  private droppedDatagrams = 0;
  /** Receive time of the chunk being framed: one clock read per chunk, not per frame. */
  private chunkTime = 0;

  constructor(readonly url: string, opts: LinkOptions) {
    super((err, event) => this.log.error({ err, event }, "link listener threw"));
    this.id = opts.id ?? url;
    this.log = opts.logger;
    this.now = opts.now ?? Date.now;
  }

  abstract start(): Promise<void>;
  abstract send(packet: Buffer): void;
  abstract sendTo(peer: PeerId, packet: Buffer): void;
  abstract close(): Promise<void>;
  abstract localAddress(): { host: string; port: number } | null;
  /** Peers attached now (TCP clients, UDP senders heard recently, an open port). */
  protected abstract peerCount(): number;

  status(): LinkStatus {
    return {
      id: this.id,
      url: this.url,
      kind: this.kind,
      connection: this.connection,
      lastError: this.lastError,
      peers: this.peerCount(),
      counters: {
        ...this.framed,
        bytesIn: this.bytesIn,
        bytesOut: this.bytesOut,
        decodeErrors: this.decodeErrors,
        droppedDatagrams: this.droppedDatagrams,
        signatureRejected: this.signatureRejected,
      },
    };
  }

  countDecodeError(): void {
    this.decodeErrors++;
  }

  countSignatureRejected(): void {
    this.signatureRejected++;
  }

  protected setConnection(connection: LinkConnection): void {
    if (connection === this.connection) return;
    this.connection = connection;
    this.log.debug({ connection }, "link state");
    this.emit("status", this.status());
  }

  /** Records a problem (null clears it). Logged once per distinct message, so a retry loop does not flood. */
  protected setError(message: string | null): void {
    if (message === this.lastError) return;
    this.lastError = message;
    if (message !== null) this.log.warn({ problem: message }, "link problem");
    this.emit("status", this.status());
  }

  protected get error(): string | null {
    return this.lastError;
  }

  /** Bytes from one peer: framed by that peer's own framer, frames emitted synchronously. */
  protected ingest(peer: PeerId, chunk: Buffer): void {
    this.bytesIn += chunk.length;
    let framer = this.framers.get(peer);
    if (framer === undefined) {
      framer = new MavlinkFramer((frame) => {
        this.frameArrived(peer);
        this.emit("frame", frame, peer, this.chunkTime);
      }, this.framed);
      this.framers.set(peer, framer);
    }
    this.chunkTime = this.now();
    framer.push(chunk);
  }

  /**
   * Called for every checked frame just before it is emitted. udpin turns a sender into a peer here, so that
   * peerConnected comes before its first frame.
   */
  protected frameArrived(_peer: PeerId): void {}

  protected countSent(bytes: number): void {
    this.bytesOut += bytes;
  }

  /** Datagrams not read at all (not in bytesIn). */
  protected countDroppedDatagram(count = 1): void {
    this.droppedDatagrams += count;
  }

  protected peerUp(peer: PeerId): void {
    this.log.info({ peer }, "peer connected");
    this.emit("peerConnected", peer);
    this.emit("status", this.status());
  }

  /** Forgets the peer's framer (a reconnection starts clean) and tells listeners. */
  protected peerDown(peer: PeerId, reason: string): void {
    this.dropFramer(peer);
    this.log.info({ peer, reason }, "peer disconnected");
    this.emit("peerDisconnected", peer, reason);
    this.emit("status", this.status());
  }

  /** Its counts stay in the totals; bytes it held back waiting for the rest of a frame are discarded. */
  protected dropFramer(peer: PeerId): void {
    this.framers.delete(peer);
  }
}
