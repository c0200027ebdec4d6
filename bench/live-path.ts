/**
 * The live path as the server runs it, for the ingest benchmark: a link's frames -> GroundStation (admission,
 * signature check, decode, vehicle state, stream requests) -> and every tick (the server's default, DEFAULT_TICK_MS)
 * of the stream's own clock, the registry's tick (lost vehicles swept, the states that changed taken) and, with
 * `frames`, the frame of changes for the screens encoded once (FrameDeltas + JSON), as RealtimeServer.tick does. The
 * stream's clock runs at the live rate: PACKETS_PER_VEHICLE_PER_SECOND per vehicle. Left out: the sockets (UDP read,
 * WebSocket writes), the .tlog writes and series (their own threads), alerts.
 */
import pino from "pino";
import { DEFAULT_TICK_MS } from "../server/config";
import { MavlinkFramer } from "../server/mavlink";
import type { Frame, LinkEvents, MavLink, PeerId } from "../server/mavlink";
import type { LinkStatus, VehicleFrame, VehicleState } from "../server/protocol";
import { FrameDeltas } from "../server/realtime";
import { GroundStation, VehicleRegistry } from "../server/vehicles";
import { PACKETS_PER_VEHICLE_PER_SECOND } from "./stream";
import type { GeneratedStream } from "./stream";

/** The server's default tick: the benchmark ticks at the live rate. */
const TICK_MS = DEFAULT_TICK_MS;
const T0 = Date.UTC(2026, 11, 6, 9, 0, 0);

/**
 * A link without a socket: one peer's bytes framed as a real link frames them, sends counted and dropped. `onFrame`
 * is told of each frame before the ground station is, and gives the frame's time (the stream's clock, per packet).
 */
class BenchLink implements MavLink {
  readonly id = "bench";
  readonly url = "udpin://bench";
  readonly kind = "udpin" as const;
  sentPackets = 0;
  private readonly frameListeners: LinkEvents["frame"][] = [];
  private readonly peerListeners: LinkEvents["peerConnected"][] = [];
  private readonly framer: MavlinkFramer;
  private time = 0;
  private peerSeen = false;

  constructor(private readonly peer: PeerId, private readonly onFrame: (f: Frame) => number) {
    this.framer = new MavlinkFramer((frame) => {
      this.time = this.onFrame(frame);
      if (!this.peerSeen) {
        this.peerSeen = true;
        for (const l of this.peerListeners) l(this.peer);
      }
      for (const l of this.frameListeners) l(frame, this.peer, this.time);
    });
  }

  push(chunk: Buffer): void {
    this.framer.push(chunk);
  }

  async start(): Promise<void> {}
  send(): void { this.sentPackets++; }
  sendTo(): void { this.sentPackets++; }
  async close(): Promise<void> {}
  status(): LinkStatus {
    throw new Error("not used by the benchmark");
  }
  on<E extends keyof LinkEvents>(event: E, listener: LinkEvents[E]): void {
    if (event === "frame") this.frameListeners.push(listener as LinkEvents["frame"]);
    if (event === "peerConnected") this.peerListeners.push(listener as LinkEvents["peerConnected"]);
  }
  off(): void {}
  localAddress(): null { return null; }
  countDecodeError(): void {}
  countSignatureRejected(): void {}
}

export interface LivePathResult {
  packets: number;
  /** Frames for the screens, and what they weighed as JSON. */
  frames: number;
  frameBytes: number;
  /** Packets the ground station sent (stream requests; heartbeats are a timer's, not run here). */
  sent: number;
  vehiclesShown: number;
}

/**
 * `frames: false` leaves the screens' frames out (the registry still ticks), to see what the link, the ground station
 * and the state cost; `onFrame` is handed each frame (bench/encoding.ts keeps them).
 */
export function livePath(stream: GeneratedStream, opts: { frames: boolean; onFrame?: (frame: VehicleFrame) => void } = { frames: true }): LivePathResult {
  const registry = new VehicleRegistry({ lostAfterMs: 5000 });
  const msPerPacket = 1000 / (stream.vehicles * PACKETS_PER_VEHICLE_PER_SECOND);
  let packets = 0;
  let time = T0;
  const gs = new GroundStation(registry, { sysid: 255, compid: 190, passive: false, heartbeatIntervalMs: 1000, now: () => time },
    pino({ level: "silent" }));
  const deltas = new FrameDeltas(10_000);
  let nextTick = T0 + TICK_MS;
  let frames = 0;
  let frameBytes = 0;
  let seq = 0;
  const frameAt = (at: number, changed: VehicleState[]) => {
    const { vehicles, fleet } = deltas.frame(changed, at);
    if (vehicles.length === 0 && fleet === undefined) return;
    frames += 1;
    const frame: VehicleFrame = { time: at, seq: ++seq, vehicles, ...(fleet ? { fleet } : {}) };
    frameBytes += JSON.stringify(frame).length;
    opts.onFrame?.(frame);
  };
  const tick = () => {
    while (time >= nextTick) {
      registry.sweep(nextTick);
      const changed = registry.takeChanged(nextTick);
      if (opts.frames) frameAt(nextTick, changed);
      nextTick += TICK_MS;
    }
  };
  // The ticks come between packets, as the server's timer comes between datagrams (a chunk of the stream spans
  // several ticks).
  const link = new BenchLink("127.0.0.1:14550", () => {
    packets += 1;
    time = T0 + packets * msPerPacket;
    if (time >= nextTick) tick();
    return time;
  });
  gs.attach(link);
  for (const chunk of stream.chunks) link.push(chunk);
  gs.stop();
  return { packets, frames, frameBytes, sent: link.sentPackets, vehiclesShown: registry.snapshot(time).length };
}
