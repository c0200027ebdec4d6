import type { VehicleLinkHealth } from "../protocol";

/** A gap larger than this is taken as a restart of the sender (reboot, reconnect), not as lost packets. */
const MAX_PLAUSIBLE_GAP = 128;
const RATE_WINDOW_MS = 1000;

/** ReceptionStats as plain data (a replay's seek checkpoint). */
export interface ReceptionDump {
  lastSeq: [string, number][];
  received: number;
  lost: number;
  windowStart: number;
  windowBytes: number;
  rate: number;
  links: string[];
}

/**
 * Per-vehicle reception statistics: packet loss from MAVLink sequence gaps, and bytes per second.
 * Kept per (vehicle, link) because every link carries its own sequence as seen by us; a vehicle heard
 * on two links (e.g. telemetry radio and LTE) would otherwise look like it drops half of its packets.
 */
export class ReceptionStats {
  private readonly lastSeq = new Map<string, number>();
  private received = 0;
  private lost = 0;
  private windowStart = 0;
  private windowBytes = 0;
  private rate = 0;
  /**
   * The links the vehicle was heard on, in order. Replaced, never changed in place: every state's link health holds
   * this array as it was then (a copy per vehicle per tick was most of what building link health cost).
   */
  private links: string[] = [];

  dump(): ReceptionDump {
    return { lastSeq: [...this.lastSeq], received: this.received, lost: this.lost, windowStart: this.windowStart,
      windowBytes: this.windowBytes, rate: this.rate, links: [...this.links] };
  }

  static restore(d: ReceptionDump): ReceptionStats {
    const s = new ReceptionStats();
    for (const [link, seq] of d.lastSeq) s.lastSeq.set(link, seq);
    Object.assign(s, { received: d.received, lost: d.lost, windowStart: d.windowStart, windowBytes: d.windowBytes, rate: d.rate });
    s.links = [...d.links];
    return s;
  }

  record(linkId: string, seq: number, bytes: number, time: number): void {
    const prev = this.lastSeq.get(linkId);
    if (prev === undefined) {
      this.links = [...this.links, linkId];
    } else {
      const gap = (seq - prev - 1 + 256) & 0xff;
      if (gap < MAX_PLAUSIBLE_GAP) this.lost += gap;
    }
    this.lastSeq.set(linkId, seq);
    this.received += 1;
    this.addBytes(bytes, time);
  }

  private addBytes(bytes: number, time: number): void {
    if (time - this.windowStart >= RATE_WINDOW_MS) {
      const elapsed = time - this.windowStart;
      // A window that ended long ago says nothing about now.
      this.rate = elapsed < 2 * RATE_WINDOW_MS ? (this.windowBytes * 1000) / elapsed : 0;
      this.windowStart = time;
      this.windowBytes = 0;
    }
    this.windowBytes += bytes;
  }

  /** Bytes per second, 0 once the vehicle has been silent for a whole window. */
  bytesPerSecond(time: number): number {
    return time - this.windowStart >= 2 * RATE_WINDOW_MS ? 0 : this.rate;
  }

  apply(link: VehicleLinkHealth, time: number, lostAfterMs: number): VehicleLinkHealth {
    const total = this.received + this.lost;
    const heartbeatAgeMs = Math.max(0, time - link.lastHeartbeat);
    // A literal, not a spread of `link`: this runs for every vehicle on every tick (see copyVehicle).
    return {
      state: heartbeatAgeMs > lostAfterMs ? "lost" : "ok",
      heartbeatAgeMs,
      lastHeartbeat: link.lastHeartbeat,
      packetsReceived: this.received,
      packetsLost: this.lost,
      lossRatio: total === 0 ? 0 : this.lost / total,
      bytesPerSecond: Math.round(this.bytesPerSecond(time)),
      links: this.links,
    };
  }
}
