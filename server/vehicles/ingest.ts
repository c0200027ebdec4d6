import type { Logger } from "pino";
import type { Decoded, Frame } from "../mavlink";
import { decodeFrame } from "../mavlink";
import type { VehicleRegistry } from "./registry";
import type { StreamRequester } from "./streams";

/** The link-side facts ingest needs: where a frame came from, and where to count one that would not decode. */
export interface IngestLink {
  readonly id: string;
  countDecodeError(): void;
}

/** Sees every decoded message from a vehicle (after the registry), with the link it came on. */
export type MessageListener = (decoded: Decoded, linkId: string, time: number) => void;

/**
 * The per-packet path from a checked frame to vehicle state: decode, drop our own echoes, reduce, and let the
 * stream requester see heartbeats and positions. This is the hot path (every packet of every vehicle):
 * no logging, no allocation beyond the decoded message and the reduced state.
 */
export class TelemetryIngest {
  private readonly listeners = new Set<MessageListener>();

  constructor(
    private readonly registry: VehicleRegistry,
    private readonly requester: StreamRequester | null,
    private readonly own: { sysid: number; compid: number },
    private readonly log: Logger,
  ) {}

  frame(link: IngestLink, frame: Frame, time: number): void {
    let decoded;
    try {
      decoded = decodeFrame(frame);
    } catch (err) {
      link.countDecodeError();
      this.log.debug({ link: link.id, msgid: frame.msgid, err }, "frame failed to decode");
      return;
    }
    // Our own packets echoed back (e.g. a UDP broadcast) are not telemetry.
    if (decoded.sysid === this.own.sysid && decoded.compid === this.own.compid) return;
    this.registry.ingest(decoded, link.id, frame.length, time);
    this.requester?.observe(decoded, link.id, time);
    for (const listener of this.listeners) listener(decoded, link.id, time);
  }

  /** Adds a listener (e.g. the command client waiting for acks); returns its removal. */
  onMessage(listener: MessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
