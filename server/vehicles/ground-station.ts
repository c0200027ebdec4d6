import type { Logger } from "pino";
import type { LinkStatus, VehicleKey } from "../protocol";
import type { Frame, MavLink, OutgoingMessage, PeerId } from "../mavlink";
import { MavlinkEncoder } from "../mavlink";
import type { VehicleRegistry } from "./registry";
import { StreamRequester } from "./streams";
import { TelemetryIngest } from "./ingest";

export interface GroundStationOptions {
  sysid: number;
  compid: number;
  /**
   * Send nothing: no heartbeat, no requests. A listener beside the pilot's own ground station must not send
   * heartbeats as a GCS, or the vehicle would not notice that the pilot's GCS died (GCS failsafe).
   */
  passive: boolean;
  heartbeatIntervalMs: number;
}

interface Port {
  link: MavLink;
  encoder: MavlinkEncoder;
  onFrame: (frame: Frame, peer: PeerId, time: number) => void;
  onPeer: (peer: PeerId) => void;
}

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

  constructor(
    private readonly registry: VehicleRegistry,
    private readonly opts: GroundStationOptions,
    private readonly log: Logger,
  ) {
    this.requester = !opts.passive
      ? new StreamRequester((linkId, messages) => this.sendOn(linkId, messages), log.child({ part: "streams" }))
      : null;
    this.ingest = new TelemetryIngest(registry, this.requester, { sysid: opts.sysid, compid: opts.compid }, log);
  }

  /** Called by the registry's `heartbeat` listener. */
  vehicleHeartbeat(key: string, info: { regained: boolean }): void {
    if (info.regained) this.requester?.forgetVehicle(key);
  }

  attach(link: MavLink): void {
    const port: Port = {
      link,
      encoder: new MavlinkEncoder({ sysid: this.opts.sysid, compid: this.opts.compid }),
      onFrame: (frame, _peer, time) => this.onFrame(link, frame, time),
      onPeer: (peer) => {
        this.log.info({ link: link.id, peer }, "peer connected");
        this.requester?.forgetLink(link.id);
        // Greet only the newcomer, so that new peers cannot make us send to everyone.
        if (!this.opts.passive) link.sendTo(peer, port.encoder.encode({ kind: "gcsHeartbeat" }));
      },
    };
    link.on("frame", port.onFrame);
    link.on("peerConnected", port.onPeer);
    this.ports.set(link.id, port);
  }

  start(): void {
    if (this.opts.passive) return;
    this.heartbeatTimer ??= setInterval(() => {
      for (const id of this.ports.keys()) this.sendOn(id, [{ kind: "gcsHeartbeat" }]);
    }, this.opts.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  stop(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    for (const port of this.ports.values()) {
      port.link.off("frame", port.onFrame);
      port.link.off("peerConnected", port.onPeer);
    }
    this.ports.clear();
  }

  linkStatuses(): LinkStatus[] {
    return [...this.ports.values()].map((p) => p.link.status());
  }

  sendOn(linkId: string, messages: OutgoingMessage[]): void {
    const port = this.ports.get(linkId);
    if (!port || this.opts.passive) return;
    for (const message of messages) port.link.send(port.encoder.encode(message));
  }

  /**
   * Sends one COMMAND_LONG to a vehicle, on the link it was last heard on. Returns that link's id, or why the
   * command could not be sent.
   */
  command(key: VehicleKey, command: number, params: readonly number[], time: number = Date.now()): { ok: true; linkId: string } | { ok: false; reason: string } {
    if (this.opts.passive) return { ok: false, reason: "the server is passive (--passive): it sends nothing to vehicles" };
    const vehicle = this.registry.get(key, time);
    if (!vehicle) return { ok: false, reason: `no vehicle ${key}` };
    const linkId = vehicle.link.links[vehicle.link.links.length - 1];
    if (linkId === undefined || !this.ports.has(linkId)) return { ok: false, reason: `no link to vehicle ${key}` };
    const p = [0, 0, 0, 0, 0, 0, 0].map((zero, i) => params[i] ?? zero) as [number, number, number, number, number, number, number];
    this.sendOn(linkId, [{ kind: "commandLong", target: { sysid: vehicle.sysid, compid: vehicle.compid }, command, confirmation: 0, params: p }]);
    return { ok: true, linkId };
  }

  private onFrame(link: MavLink, frame: Frame, time: number): void {
    this.ingest.frame(link, frame, time);
  }
}
