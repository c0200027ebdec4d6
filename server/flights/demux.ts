import type { Frame } from "../mavlink";
// Only target_system / target_component of another ground station's packets (ids, no units) are read with the raw
// codec, to put an imported packet in the stream of the vehicle it addressed. A mavlink/ helper returning a frame's
// target would remove this exception.
// eslint-disable-next-line no-restricted-imports
import { MSG_ID, RawDecoder, decodeFrame } from "../mavlink";
import type { VehicleKey } from "../protocol";
import type { FlightStats } from "./catalogue";
import type { FlightStart, SegPacket, SegmenterOptions } from "./segmenter";
import { DEFAULT_SEGMENTER, FlightSegmenter, packetTime } from "./segmenter";
import { STATS_MSG_IDS } from "./stats";

/** One packet on the wire: received (with its frame), or sent by a ground station to `target` (0/0 broadcast). */
export type WirePacket =
  | { direction: "in"; linkId: string; timeUs: number; frame: Frame }
  | { direction: "out"; linkId: string; timeUs: number; bytes: Buffer; target: { sysid: number; compid: number } };

/** What the demux decides; the recorder writes files, an import writes extracts. */
export interface DemuxSink {
  flightStarted(key: VehicleKey, start: FlightStart, ids: { sysid: number; compid: number }): void;
  /** `linkId`: the link the vehicle is heard on (the live recorder keeps one session log per link). */
  write(key: VehicleKey, into: "flight" | "outside", packet: SegPacket, linkId: string): void;
  flightEnded(key: VehicleKey, stats: FlightStats): void;
}

interface Unclaimed {
  linkId: string;
  target: { sysid: number; compid: number } | null;
  packet: SegPacket;
}

/** At most this many unclaimed packets are held (a link with no vehicle on it for long). */
const MAX_UNCLAIMED = 4096;

interface Source {
  key: VehicleKey;
  sysid: number;
  compid: number;
  linkId: string;
  /** Sent a vehicle heartbeat: gets broadcasts and targeted packets. */
  vehicle: boolean;
  /** Sent only non-vehicle heartbeats (another ground station): its packets go to the vehicles they target. */
  ground: boolean;
  segmenter: FlightSegmenter;
  /** Time of the last packet of its stream, µs: its times never go back (see route). */
  lastUs: number;
}

/**
 * Sorts a mixed stream (every vehicle and ground station of a link, or of a .tlog file) into per-vehicle streams and
 * their flights. A vehicle's stream is what it sent plus what a ground station sent to it (targeted, or broadcast
 * on its link). The same rules serve the live recorder (our packets arrive as "out") and an import (a ground
 * station's packets arrive as frames from a ground source), so both cut a recording the same way.
 */
export class FlightDemux {
  private readonly sources = new Map<VehicleKey, Source>();
  private readonly raw = new RawDecoder();
  /**
   * Ground packets that reached no system yet (our heartbeats before the vehicle's first packet), kept for the
   * pre-roll window and given to the first system heard that they address. So the start of a record does not
   * depend on what was heard before it: a flight file imported alone is cut exactly as it was recorded.
   */
  private unclaimed: Unclaimed[] = [];

  constructor(private readonly sink: DemuxSink, private readonly opts: SegmenterOptions = DEFAULT_SEGMENTER) {}

  push(p: WirePacket): void {
    if (p.direction === "out") {
      this.toTargets(p.linkId, p.target, { timeUs: p.timeUs, bytes: p.bytes, message: null, direction: "out" });
      return;
    }
    const f = p.frame;
    const key: VehicleKey = `${f.sysid}:${f.compid}`;
    let source = this.sources.get(key);
    const isNew = source === undefined;
    const message = STATS_MSG_IDS.has(f.msgid) ? decodeFrame(f).message : null;
    if (message?.kind === "heartbeat") {
      source ??= this.add(key, f.sysid, f.compid, p.linkId);
      if (message.isVehicle) source.vehicle = true;
      source.ground = !source.vehicle;
    }
    if (source?.ground) {
      this.toTargets(p.linkId, this.targetOf(f), { timeUs: p.timeUs, bytes: f.bytes, message: null, direction: "out" });
      return;
    }
    source ??= this.add(key, f.sysid, f.compid, p.linkId);
    source.linkId = p.linkId;
    if (isNew) this.claim(source);
    this.route(source, { timeUs: p.timeUs, bytes: f.bytes, message, direction: "in" });
  }

  /** Ends flights whose post-roll is over at `now` (ms). */
  expire(now: number): void {
    for (const s of this.sources.values()) {
      const stats = s.segmenter.expire(now);
      if (stats) this.sink.flightEnded(s.key, stats);
    }
  }

  /** Ends every open flight (end of file, shutdown). */
  finish(): void {
    for (const s of this.sources.values()) {
      const stats = s.segmenter.finish();
      if (stats) this.sink.flightEnded(s.key, stats);
    }
  }

  /** Forgets a system no longer heard (dropped by the ground station), unless a flight of it is open. */
  forget(key: VehicleKey): void {
    const s = this.sources.get(key);
    if (s !== undefined && !s.segmenter.inFlight) this.sources.delete(key);
  }

  /** Statistics so far of the vehicles in flight. */
  current(): Map<VehicleKey, FlightStats> {
    const out = new Map<VehicleKey, FlightStats>();
    for (const s of this.sources.values()) {
      const stats = s.segmenter.current();
      if (stats) out.set(s.key, stats);
    }
    return out;
  }

  private add(key: VehicleKey, sysid: number, compid: number, linkId: string): Source {
    const s: Source = {
      key, sysid, compid, linkId, vehicle: false, ground: false, segmenter: new FlightSegmenter(this.opts), lastUs: -Infinity,
    };
    this.sources.set(key, s);
    return s;
  }

  /**
   * A packet stamped before the previous one of the same stream takes that one's time, so that a flight's record
   * reads forward as its file is written (and its statistics are those of the file). Live, our greeting to a new
   * peer is stamped when sent, and the frames held while a new vehicle is proven come after it with the earlier
   * times they were received at; an imported file may step back where its recorder's clock did.
   */
  private route(s: Source, given: SegPacket): void {
    // A new object: a broadcast's packet is shared by every vehicle of the link, each with its own stream.
    const packet = given.timeUs < s.lastUs ? { ...given, timeUs: s.lastUs } : given;
    s.lastUs = packet.timeUs;
    const step = s.segmenter.push(packet);
    if (step.ended) this.sink.flightEnded(s.key, step.ended);
    if (step.started) this.sink.flightStarted(s.key, step.started, { sysid: s.sysid, compid: s.compid });
    this.sink.write(s.key, step.into, packet, s.linkId);
  }

  /**
   * A targeted packet goes to that vehicle (compid 0: every vehicle of that system); a broadcast to every
   * vehicle heard on the link. Vehicles not heard yet get nothing: there is no stream to put it in.
   */
  private toTargets(linkId: string, target: { sysid: number; compid: number } | null, packet: SegPacket): void {
    let reached = 0;
    if (target !== null && target.sysid !== 0) {
      const exact = target.compid === 0 ? undefined : this.sources.get(`${target.sysid}:${target.compid}`);
      if (exact && !exact.ground) {
        this.route(exact, packet);
        return;
      }
      for (const s of this.sources.values()) {
        if (!s.ground && s.sysid === target.sysid) {
          this.route(s, packet);
          reached++;
        }
      }
    } else {
      for (const s of this.sources.values()) {
        if (!s.ground && s.linkId === linkId) {
          this.route(s, packet);
          reached++;
        }
      }
    }
    if (reached === 0) this.hold({ linkId, target: target !== null && target.sysid !== 0 ? target : null, packet });
  }

  private hold(u: Unclaimed): void {
    const oldest = packetTime(u.packet.timeUs) - this.opts.preRollMs;
    this.unclaimed = this.unclaimed.filter((q) => packetTime(q.packet.timeUs) >= oldest);
    if (this.unclaimed.length >= MAX_UNCLAIMED) this.unclaimed.shift();
    this.unclaimed.push(u);
  }

  /** A system heard for the first time takes the held packets addressed to it (broadcasts on its link included). */
  private claim(s: Source): void {
    if (this.unclaimed.length === 0) return;
    const mine = (u: Unclaimed) => (u.target === null
      ? u.linkId === s.linkId
      : u.target.sysid === s.sysid && (u.target.compid === 0 || u.target.compid === s.compid));
    const taken = this.unclaimed.filter(mine);
    if (taken.length === 0) return;
    this.unclaimed = this.unclaimed.filter((u) => !mine(u));
    for (const u of taken) this.route(s, u.packet);
  }

  /** target_system / target_component of a ground station's message, or null for a broadcast (HEARTBEAT). */
  private targetOf(f: Frame): { sysid: number; compid: number } | null {
    if (f.msgid === MSG_ID.HEARTBEAT) return null;
    let fields;
    try {
      fields = this.raw.decode(f).fields;
    } catch {
      return null;
    }
    const sysid = fields.target_system;
    const compid = fields.target_component;
    return typeof sysid === "number" ? { sysid, compid: typeof compid === "number" ? compid : 0 } : null;
  }
}

export { packetTime };
