import type { MavMessage } from "../mavlink";
import type { FlightStats } from "./catalogue";
import type { PacketDirection } from "./stats";
import { StatsAccumulator } from "./stats";

/** One packet of a vehicle's stream: its .tlog timestamp, raw bytes, and the decoded message if the vehicle sent it. */
export interface SegPacket {
  /** Microseconds since the epoch, as written in the .tlog. */
  timeUs: number;
  bytes: Buffer;
  /** Sent by the vehicle ("in"), or by a ground station to it ("out"). */
  direction: PacketDirection;
  /** Decoded content of the vehicle's own packets (only the kinds the statistics read), else null. */
  message: MavMessage | null;
}

export interface SegmenterOptions {
  /** Kept before arming, ms. */
  preRollMs: number;
  /** Kept after disarming, ms; re-arming within it continues the same flight. */
  postRollMs: number;
}

export const DEFAULT_SEGMENTER: SegmenterOptions = Object.freeze({ preRollMs: 30_000, postRollMs: 10_000 });

export interface FlightStart {
  armedAt: number;
  /** The packets of the last preRollMs before arming, oldest first: the start of the flight record. */
  preRoll: SegPacket[];
  /** The vehicle was armed the first time it was heard (a restart mid-flight, a file starting in the air). */
  firstSight: boolean;
  /** VehicleClass of its heartbeat, e.g. "copter". */
  vehicleClass: string;
}

export interface Step {
  /** The flight that ended before this packet (its post-roll was over), with its final statistics. */
  ended: FlightStats | null;
  /** A flight that starts with this packet (after its pre-roll). */
  started: FlightStart | null;
  /** Where this packet belongs: the current flight, or outside any (the session log). */
  into: "flight" | "outside";
}

export const packetTime = (timeUs: number): number => Math.floor(timeUs / 1000);

/**
 * Cuts one vehicle's stream into flights: one starts at arming (with the preceding pre-roll) and ends postRollMs
 * after disarming. Pure and clock-free (time comes from the packets, or from expire()), so the live recorder and
 * an import of the same packets cut the same flights with the same statistics.
 */
export class FlightSegmenter {
  private phase: "idle" | "armed" | "postRoll" = "idle";
  private disarmedAt = 0;
  private ring: SegPacket[] = [];
  private ringHead = 0;
  private stats: StatsAccumulator | null = null;
  private heard = false;
  private vehicleClass = "unknown";

  constructor(private readonly opts: SegmenterOptions = DEFAULT_SEGMENTER) {}

  get inFlight(): boolean {
    return this.phase !== "idle";
  }

  push(p: SegPacket): Step {
    const time = packetTime(p.timeUs);
    const ended = this.phase === "postRoll" && time > this.disarmedAt + this.opts.postRollMs ? this.end() : null;
    let started: FlightStart | null = null;
    const m = p.message;
    if (m?.kind === "heartbeat" && m.isVehicle) {
      this.vehicleClass = m.vehicleClass;
      if (m.armed && this.phase === "idle") started = this.begin(time, !this.heard);
      else if (m.armed) this.phase = "armed";
      else if (this.phase === "armed") {
        this.phase = "postRoll";
        this.disarmedAt = time;
      }
      this.heard = true;
    }
    if (this.stats !== null) {
      this.stats.add(time, m, p.direction);
      return { ended, started, into: "flight" };
    }
    this.remember(p, time);
    return { ended, started, into: "outside" };
  }

  /** Ends the flight if its post-roll is over at `now` (the vehicle fell silent after landing). */
  expire(now: number): FlightStats | null {
    return this.phase === "postRoll" && now > this.disarmedAt + this.opts.postRollMs ? this.end() : null;
  }

  /** Ends the current flight whatever its phase (end of file, shutdown). */
  finish(): FlightStats | null {
    return this.phase === "idle" ? null : this.end();
  }

  /** Statistics of the flight so far, or null outside a flight. */
  current(): FlightStats | null {
    return this.stats?.snapshot() ?? null;
  }

  private begin(armedAt: number, firstSight: boolean): FlightStart {
    this.phase = "armed";
    const from = armedAt - this.opts.preRollMs;
    const preRoll = this.ring.slice(this.ringHead).filter((q) => packetTime(q.timeUs) >= from);
    this.ring = [];
    this.ringHead = 0;
    this.stats = new StatsAccumulator();
    for (const q of preRoll) this.stats.add(packetTime(q.timeUs), q.message, q.direction);
    return { armedAt, preRoll, firstSight, vehicleClass: this.vehicleClass };
  }

  private end(): FlightStats {
    const stats = this.stats!.snapshot();
    this.stats = null;
    this.phase = "idle";
    return stats;
  }

  private remember(p: SegPacket, time: number): void {
    this.ring.push(p);
    const oldest = time - this.opts.preRollMs;
    while (this.ringHead < this.ring.length && packetTime(this.ring[this.ringHead]!.timeUs) < oldest) this.ringHead++;
    // Compact now and then rather than shift() per packet.
    if (this.ringHead > 1024 && this.ringHead * 2 > this.ring.length) {
      this.ring = this.ring.slice(this.ringHead);
      this.ringHead = 0;
    }
  }
}
