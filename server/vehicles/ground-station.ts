import type { Logger } from "pino";
import type { LinkStatus, PacketSource, VehicleKey } from "../protocol";
import type { Frame, MavLink, OutgoingMessage, PeerId, SignatureCheck } from "../mavlink";
import { MavlinkEncoder, MavlinkSigner, SignatureVerifier } from "../mavlink";
import type { VehicleRegistry } from "./registry";
import { StreamRequester } from "./streams";
import { TelemetryIngest } from "./ingest";
import type { MessageListener } from "./ingest";
import { VehicleAdmission } from "./admission";
import type { AdmissionEvents, AdmissionOptions } from "./admission-options";

export interface GroundStationOptions {
  sysid: number;
  compid: number;
  /**
   * Send nothing: no heartbeat, no requests. A listener beside the pilot's own ground station must not send
   * heartbeats as a GCS, or the vehicle would not notice that the pilot's GCS died (GCS failsafe).
   */
  passive: boolean;
  heartbeatIntervalMs: number;
  /**
   * MAVLink 2 signing keys (32 bytes) by vehicle sysid. A keyed vehicle must sign all it sends (anything else from
   * it is dropped), and all we send it is signed. Vehicles without a key are unaffected. None by default.
   */
  signingKeys?: ReadonlyMap<number, Buffer>;
  /** Time stamped on the packets we send (ms since epoch), as the links stamp what they receive. Default Date.now. */
  now?: () => number;
  /** Bounds on new vehicles, candidates and second sources (see VehicleAdmission); defaults otherwise. */
  admission?: Partial<AdmissionOptions>;
  /** Told when vehicles are admitted, evicted, change source, or another source sends as them. */
  admissionEvents?: AdmissionEvents;
}

/** A frame for a bound vehicle from another source: recorded apart (quarantine), never in its state or flight. */
export interface ForeignPacket {
  key: VehicleKey;
  source: PacketSource;
  bytes: Buffer;
  time: number;
}

/**
 * One raw packet through the ground station, for the flight recorder. "in": a checked frame from a vehicle (after
 * the signature check; our own echoes excluded), sysid/compid its sender. "out": a packet we sent, sysid/compid
 * its target (0/0 for a broadcast such as the GCS HEARTBEAT). `bytes` is a view that is reused: copy to keep.
 */
export type PacketEvent =
  | { direction: "in"; linkId: string; sysid: number; compid: number; bytes: Buffer; time: number; frame: Frame }
  | { direction: "out"; linkId: string; sysid: number; compid: number; bytes: Buffer; time: number };

export type PacketListener = (packet: PacketEvent) => void;

/** A rejected-signature warning is logged at most this often per link. */
const SIGNATURE_WARN_INTERVAL_MS = 60_000;

interface Port {
  link: MavLink;
  /** The link's index in attach order: our signing link id on it. */
  index: number;
  encoder: MavlinkEncoder;
  /** One signer per keyed vehicle sysid on this link (created on first use). */
  signers: Map<number, MavlinkSigner>;
  /** Keyed vehicles heard (with a good signature) on this link: each gets its own signed copy of a broadcast. */
  keyedHeard: Set<number>;
  /** Whether a system without a key was heard on this link: broadcasts then also go unsigned. */
  unkeyedHeard: boolean;
  lastSignatureWarn: number;
  /**
   * Peers the link has announced and not yet lost: a packet counts as sent (and is recorded) only when it was
   * handed to one of them. Before the first peer (udpin waiting for a vehicle, tcpout still connecting) the link
   * drops what it is given, and a record claiming we sent it would be false.
   */
  livePeers: Set<PeerId>;
  onFrame: (frame: Frame, peer: PeerId, time: number) => void;
  onPeer: (peer: PeerId) => void;
  onPeerGone: (peer: PeerId) => void;
}

/** Links where several peers share the link: a broadcast goes only to the peers of admitted vehicles. */
const MULTI_PEER = new Set(["udpin", "tcpin"]);

/**
 * The ground station's side of every link: decodes what arrives into the registry, sends a GCS HEARTBEAT
 * at 1 Hz from the start (ArduPilot sends STATUSTEXT only to a link it has heard from), and asks the
 * vehicles for their streams. One encoder per link, so each link has its own MAVLink sequence.
 */
export class GroundStation {
  private readonly ports = new Map<string, Port>();
  private readonly requester: StreamRequester | null;
  private readonly ingest: TelemetryIngest;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  readonly admission: VehicleAdmission;
  private readonly foreignListeners = new Set<(p: ForeignPacket) => void>();
  private readonly keys: ReadonlyMap<number, Buffer>;
  private readonly verifier: SignatureVerifier;
  private nextIndex = 0;
  private readonly packetListeners = new Set<PacketListener>();
  private readonly now: () => number;

  constructor(
    private readonly registry: VehicleRegistry,
    private readonly opts: GroundStationOptions,
    private readonly log: Logger,
  ) {
    this.requester = !opts.passive
      ? new StreamRequester((linkId, messages) => this.sendOn(linkId, messages), log.child({ part: "streams" }))
      : null;
    this.ingest = new TelemetryIngest(registry, this.requester, { sysid: opts.sysid, compid: opts.compid }, log);
    this.keys = opts.signingKeys ?? new Map<number, Buffer>();
    this.now = opts.now ?? Date.now;
    const outside = opts.admissionEvents ?? {};
    this.admission = new VehicleAdmission(opts.admission ?? {}, {
      ...outside,
      evicted: (key, source, reason) => {
        this.registry.remove(key);
        this.requester?.forgetVehicle(key);
        this.log.warn({ vehicle: key, link: source.linkId, peer: source.peer, reason }, "vehicle dropped");
        outside.evicted?.(key, source, reason);
      },
      peerBound: (source, bound) => {
        this.ports.get(source.linkId)?.link.retainPeer?.(source.peer, bound);
        outside.peerBound?.(source, bound);
      },
    }, (frame) => frame.signed && this.keys.has(frame.sysid));
    // One verifier for all links: a vehicle's streams are (sysid, compid, its link id), so a frame heard on one of
    // our links cannot be replayed on another.
    this.verifier = new SignatureVerifier({
      keys: (sysid) => this.keys.get(sysid) ?? null,
      requireSigned: (sysid) => this.keys.has(sysid),
    });
  }

  /** Called by the registry's `heartbeat` listener. */
  vehicleHeartbeat(key: string, info: { regained: boolean }): void {
    if (info.regained) this.requester?.forgetVehicle(key);
  }

  /** Every decoded message from the vehicles, after the registry saw it; returns the removal. */
  onMessage(listener: MessageListener): () => void {
    return this.ingest.onMessage(listener);
  }

  /** Every raw packet received from a vehicle or sent by us (the flight recorder); returns the removal. */
  onPacket(listener: PacketListener): () => void {
    this.packetListeners.add(listener);
    return () => this.packetListeners.delete(listener);
  }

  attach(link: MavLink): void {
    const port: Port = {
      link,
      index: this.nextIndex++ & 0xff,
      encoder: new MavlinkEncoder({ sysid: this.opts.sysid, compid: this.opts.compid }),
      signers: new Map(),
      keyedHeard: new Set(),
      unkeyedHeard: false,
      lastSignatureWarn: -Infinity,
      livePeers: new Set(),
      onFrame: (frame, peer, time) => this.onFrame(port, frame, peer, time),
      onPeerGone: (peer) => {
        port.livePeers.delete(peer);
        // Its vehicles are asked for their streams again when they are heard again (a reconnection, a reboot).
        for (const key of this.admission.peerGone(link.id, peer)) this.requester?.forgetVehicle(key);
      },
      onPeer: (peer) => {
        port.livePeers.add(peer);
        this.log.info({ link: link.id, peer }, "peer connected");
        // Greet only the newcomer, so that new peers cannot make us send to everyone.
        if (!this.opts.passive) {
          for (const packet of this.packets(port, { kind: "gcsHeartbeat" })) {
            link.sendTo(peer, packet);
            this.sent(port, { kind: "gcsHeartbeat" }, packet);
          }
        }
      },
    };
    link.on("frame", port.onFrame);
    link.on("peerConnected", port.onPeer);
    link.on("peerDisconnected", port.onPeerGone);
    this.ports.set(link.id, port);
  }

  /**
   * Stops using a link (closed, or handed to another server): its peers are let go, as if they had disconnected,
   * so its vehicles are asked for their streams again when heard again.
   */
  detach(linkId: string): void {
    const port = this.ports.get(linkId);
    if (!port) return;
    for (const peer of new Set([...port.livePeers, ...this.admission.boundPeers(linkId)])) port.onPeerGone(peer);
    port.link.off("frame", port.onFrame);
    port.link.off("peerConnected", port.onPeer);
    port.link.off("peerDisconnected", port.onPeerGone);
    this.ports.delete(linkId);
  }

  start(): void {
    this.sweepTimer ??= setInterval(() => this.admission.sweep(this.now()), 1000);
    this.sweepTimer.unref();
    if (this.opts.passive) return;
    this.heartbeatTimer ??= setInterval(() => {
      for (const id of this.ports.keys()) this.sendOn(id, [{ kind: "gcsHeartbeat" }]);
    }, this.opts.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  stop(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const port of this.ports.values()) {
      port.link.off("frame", port.onFrame);
      port.link.off("peerConnected", port.onPeer);
      port.link.off("peerDisconnected", port.onPeerGone);
    }
    this.ports.clear();
  }

  linkStatuses(): LinkStatus[] {
    return [...this.ports.values()].map((p) => ({ ...p.link.status(), admission: this.admission.status(p.link.id) }));
  }

  /** Frames of bound vehicles from another source, for the quarantine log; returns the removal. */
  onForeign(listener: (p: ForeignPacket) => void): () => void {
    this.foreignListeners.add(listener);
    return () => this.foreignListeners.delete(listener);
  }

  sendOn(linkId: string, messages: OutgoingMessage[]): void {
    const port = this.ports.get(linkId);
    if (!port || this.opts.passive) return;
    for (const message of messages) {
      const target = message.kind === "gcsHeartbeat" ? null : message.target;
      // A message for one vehicle goes to the peer it is bound to, never to every peer of the link.
      const peer = target === null || target.sysid === 0 ? null : this.admission.peerOf(linkId, target.sysid, target.compid);
      if (target !== null && target.sysid !== 0 && peer === null) continue;
      for (const packet of this.packets(port, message)) {
        if (this.handOver(port, peer, packet)) this.sent(port, message, packet);
      }
    }
  }

  /** Gives a packet to the link for `peer` (null: every admitted peer); whether a live peer was among them. */
  private handOver(port: Port, peer: PeerId | null, packet: Buffer): boolean {
    if (peer !== null) {
      port.link.sendTo(peer, packet);
      return port.livePeers.has(peer);
    }
    if (MULTI_PEER.has(port.link.kind)) {
      let delivered = false;
      for (const p of this.admission.boundPeers(port.link.id)) {
        port.link.sendTo(p, packet);
        delivered ||= port.livePeers.has(p);
      }
      return delivered;
    }
    port.link.send(packet);
    return port.livePeers.size > 0;
  }

  private sent(port: Port, message: OutgoingMessage, bytes: Buffer): void {
    if (this.packetListeners.size === 0) return;
    const target = message.kind === "gcsHeartbeat" ? { sysid: 0, compid: 0 } : message.target;
    const event: PacketEvent = {
      direction: "out", linkId: port.link.id, sysid: target.sysid, compid: target.compid, bytes, time: this.now(),
    };
    for (const listener of this.packetListeners) listener(event);
  }

  /** Why nothing can be sent to a vehicle last heard on `linkId` now, or null when it can. */
  unreachable(linkId: string | undefined): string | null {
    if (this.opts.passive) return "the server is passive (--passive): it sends nothing to vehicles";
    if (linkId === undefined || !this.ports.has(linkId)) return "no link to the vehicle";
    return null;
  }

  /**
   * The packets that carry one message on a port. A message for one vehicle is signed with its key if it has one.
   * A broadcast (target 0, GCS HEARTBEAT) goes once signed for each keyed vehicle heard on the link (a vehicle
   * that requires signing ignores unsigned packets and those signed with another key), and unsigned only when a
   * vehicle without a key was heard there, or none yet. All copies share one sequence number.
   */
  private packets(port: Port, message: OutgoingMessage): Buffer[] {
    const packet = port.encoder.encode(message);
    const target = message.kind === "gcsHeartbeat" ? 0 : message.target.sysid;
    if (target !== 0) {
      const signer = this.signer(port, target);
      return [signer ? signer.sign(packet) : packet];
    }
    const out: Buffer[] = [];
    for (const sysid of port.keyedHeard) {
      const signer = this.signer(port, sysid);
      if (signer) out.push(signer.sign(packet));
    }
    if (port.unkeyedHeard || port.keyedHeard.size === 0) out.push(packet);
    return out;
  }

  private signer(port: Port, sysid: number): MavlinkSigner | null {
    const existing = port.signers.get(sysid);
    if (existing) return existing;
    const key = this.keys.get(sysid);
    if (!key) return null;
    const signer = new MavlinkSigner({ key, linkId: port.index });
    port.signers.set(sysid, signer);
    return signer;
  }

  private onFrame(port: Port, frame: Frame, peer: PeerId, time: number): void {
    // Our own packets echoed back (e.g. a UDP broadcast) are not telemetry, and not signed with any key we check.
    if (frame.sysid === this.opts.sysid && frame.compid === this.opts.compid) return;
    const check = this.verifier.check(frame);
    if (check !== "ok") {
      this.rejected(port, frame, check, time);
      return;
    }
    switch (this.admission.check(port.link.id, peer, frame, time)) {
      case "pass":
        this.deliver(port, frame, time);
        return;
      case "admitted":
        for (const h of this.admission.takeReleased()) this.deliver(port, h.frame, h.time);
        this.deliver(port, frame, time);
        return;
      case "foreign":
        this.foreignFrame(port, frame, peer, time);
        return;
      case "held":
      case "dropped":
        return;
    }
  }

  private foreignFrame(port: Port, frame: Frame, peer: PeerId, time: number): void {
    if (this.foreignListeners.size === 0) return;
    const p: ForeignPacket = {
      key: `${frame.sysid}:${frame.compid}`, source: { linkId: port.link.id, peer }, bytes: frame.bytes, time,
    };
    for (const listener of this.foreignListeners) listener(p);
  }

  /** A frame of an admitted vehicle (or of a component beside one): to the recorder and the vehicle state. */
  private deliver(port: Port, frame: Frame, time: number): void {
    if (this.keys.has(frame.sysid)) port.keyedHeard.add(frame.sysid);
    else port.unkeyedHeard = true;
    if (this.packetListeners.size > 0) {
      const event: PacketEvent = {
        direction: "in", linkId: port.link.id, sysid: frame.sysid, compid: frame.compid, bytes: frame.bytes, time, frame,
      };
      for (const listener of this.packetListeners) listener(event);
    }
    this.ingest.frame(port.link, frame, time);
  }

  private rejected(port: Port, frame: Frame, result: SignatureCheck, time: number): void {
    port.link.countSignatureRejected();
    if (time - port.lastSignatureWarn < SIGNATURE_WARN_INTERVAL_MS) return;
    port.lastSignatureWarn = time;
    this.log.warn({ link: port.link.id, sysid: frame.sysid, compid: frame.compid, msgid: frame.msgid, result },
      "MAVLink frame rejected by signing (further rejections on this link counted, logged at most once a minute)");
  }
}
