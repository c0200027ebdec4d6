import type { AdmissionCounters, PacketSource, VehicleKey } from "../protocol";
import { emptyAdmissionCounters } from "../protocol";
import type { Frame, PeerId } from "../mavlink";
import { MSG_ID, copyFrame, decodeFrame } from "../mavlink";
import type { AdmissionEvents, AdmissionOptions } from "./admission-options";
import { DEFAULT_ADMISSION } from "./admission-options";

/**
 * What to do with a frame: "pass" it on; it was "held" (a candidate's, kept until it is proven); it "admitted" a new
 * vehicle (takeReleased() first, then this frame); "dropped" (unknown source); "foreign" (a bound vehicle's id from
 * another source: keep it apart).
 */
export type Verdict = "pass" | "held" | "admitted" | "dropped" | "foreign";

export interface HeldFrame {
  frame: Frame;
  peer: PeerId;
  time: number;
}

interface Binding {
  key: VehicleKey;
  /** MAV_TYPE and MAV_AUTOPILOT of the heartbeats that proved it. */
  mavType: number;
  autopilot: number;
  id: number;
  source: PacketSource;
  admittedAt: number;
  lastHeard: number;
  /** Sent something besides heartbeats (telemetry): a real autopilot that answered our stream requests. */
  telemetry: boolean;
  /** Its peer disconnected (TCP closed, UDP sender timed out): any source may take over at once. */
  peerGone: boolean;
}

interface Candidate {
  linkId: string;
  peer: PeerId;
  id: number;
  lastAt: number;
  heartbeats: number;
  firstHeartbeat: number;
  mavType: number;
  autopilot: number;
  held: HeldFrame[];
  heldBytes: number;
  /** Frames it sent (held or not). */
  frames: number;
}

interface Conflict {
  key: VehicleKey;
  bound: PacketSource;
  other: PacketSource;
  lastAt: number;
}

/** Messages that only a vehicle streaming telemetry sends (not heartbeats, not one-off replies). */
const TELEMETRY = new Set<number>([
  MSG_ID.SYS_STATUS, MSG_ID.GPS_RAW_INT, MSG_ID.ATTITUDE, MSG_ID.GLOBAL_POSITION_INT, MSG_ID.VFR_HUD, MSG_ID.BATTERY_STATUS,
]);
/** Refusals are reported per link over the last minute, counted in buckets of 10 s. */
const BUCKET_MS = 10_000;
const BUCKETS = 6;

const keyOf = (id: number): VehicleKey => `${id >> 8}:${id & 0xff}`;
const sourceText = (s: PacketSource): string => `${s.peer} on ${s.linkId}`;
export { sourceText };

/**
 * Decides which system ids on the links are vehicles, and binds each vehicle to the link and source (peer) it was
 * first heard on. A new id is a candidate until it proves itself; its frames are held (bounded) and released in
 * order once it does, so nothing of a real vehicle is lost while nothing of a forgery is decoded, recorded or
 * answered. Frames of a bound vehicle from another source are "foreign" unless the bound source has fallen silent
 * (failover). Everything is bounded by AdmissionOptions and counted per link.
 */
export class VehicleAdmission {
  readonly opts: AdmissionOptions;
  private readonly bindings = new Map<number, Binding>();
  private readonly candidates = new Map<string, Candidate>();
  private readonly conflicts = new Map<string, Conflict>();
  /** Non-vehicle ids (ground stations, gimbals) heard beside admitted vehicles. */
  private readonly companions = new Map<number, { source: PacketSource; lastAt: number }>();
  /** Ids dropped for sending only heartbeats, and until when they may not be admitted again (bounded). */
  private readonly benched = new Map<number, number>();
  private readonly counters = new Map<string, AdmissionCounters>();
  /** Admitted vehicles per link, then per peer (for sends and the links' peer tables). */
  private readonly perPeer = new Map<string, Map<PeerId, number>>();
  private readonly perLinkCandidates = new Map<string, number>();
  private heldBytes = 0;
  private released: HeldFrame[] = [];
  /** Per link: refusals in each 10 s bucket of the last minute, by bucket number (time / BUCKET_MS). */
  private readonly recentRefused = new Map<string, Map<number, number>>();

  constructor(
    opts: Partial<AdmissionOptions>,
    private readonly events: AdmissionEvents = {},
    /** A frame whose signature was checked against the sender's key proves itself at once. */
    private readonly trusted: (frame: Frame) => boolean = () => false,
  ) {
    this.opts = { ...DEFAULT_ADMISSION, ...opts };
  }

  check(linkId: string, peer: PeerId, frame: Frame, time: number): Verdict {
    const id = frame.sysid * 256 + frame.compid;
    const bound = this.bindings.get(id);
    if (bound !== undefined) {
      const s = bound.source;
      if (s.peer === peer && s.linkId === linkId) {
        bound.lastHeard = time;
        bound.peerGone = false;
        if (!bound.telemetry && TELEMETRY.has(frame.msgid)) bound.telemetry = true;
        return "pass";
      }
      // A failover source must show the vehicle's own heartbeat (same type and autopilot) or a good signature:
      // any other frame in its name stays apart, so one forged packet during a fade cannot take the vehicle over.
      if ((bound.peerGone || time - bound.lastHeard > this.opts.lostAfterMs) && this.sameVehicle(bound, frame)) {
        this.rebind(bound, { linkId, peer }, time);
        return "pass";
      }
      this.foreign(bound, { linkId, peer }, time);
      return "foreign";
    }
    if (frame.sysid === 0) return this.drop(linkId);
    const candidate = this.candidates.get(candidateKey(linkId, peer, id));
    if (frame.msgid === MSG_ID.HEARTBEAT) {
      const hb = decodeFrame(frame).message;
      if (hb.kind === "heartbeat" && hb.isVehicle) return this.heartbeat(candidate, linkId, peer, frame, hb, time);
    }
    if (candidate?.heartbeats === 0 && this.companion(linkId, peer, id, time)) return "pass";
    if (candidate === undefined && this.companion(linkId, peer, id, time)) return "pass";
    // Whatever a new id sends before it is proven is held, so a vehicle's first packets are not lost.
    const c = candidate ?? this.newCandidate(linkId, peer, id, null, time);
    if (c === null) return this.drop(linkId);
    c.lastAt = time;
    this.hold(c, frame, time);
    return "held";
  }

  /** The frames of a vehicle just admitted, oldest first, to pass on before the frame that admitted it. */
  takeReleased(): HeldFrame[] {
    const out = this.released;
    this.released = [];
    return out;
  }

  /** The peer a message to (sysid, compid) goes to on a link; compid 0 means any component of that system. */
  peerOf(linkId: string, sysid: number, compid: number): PeerId | null {
    if (compid !== 0) {
      const b = this.bindings.get(sysid * 256 + compid);
      return b !== undefined && b.source.linkId === linkId ? b.source.peer : null;
    }
    for (const b of this.bindings.values()) if (b.source.linkId === linkId && b.key.startsWith(`${sysid}:`)) return b.source.peer;
    return null;
  }

  /** Peers of a link that host an admitted vehicle: those get the ground station's heartbeat. */
  boundPeers(linkId: string): Iterable<PeerId> {
    return this.perPeer.get(linkId)?.keys() ?? [];
  }

  sourceOf(key: VehicleKey): PacketSource | null {
    for (const b of this.bindings.values()) if (b.key === key) return b.source;
    return null;
  }

  /** The peer left the link (TCP closed, UDP sender timed out): its vehicles may come back from any source. */
  peerGone(linkId: string, peer: PeerId): VehicleKey[] {
    const keys: VehicleKey[] = [];
    for (const b of this.bindings.values()) {
      if (b.source.linkId === linkId && b.source.peer === peer) {
        b.peerGone = true;
        keys.push(b.key);
      }
    }
    for (const [k, c] of this.candidates) if (c.linkId === linkId && c.peer === peer) this.dropCandidate(k, c, null);
    return keys;
  }

  /** Expires candidates, evicts vehicles that never streamed or fell silent for good, ends quiet conflicts. */
  sweep(time: number): void {
    for (const [k, c] of this.candidates) if (time - c.lastAt > this.opts.candidateTtlMs) this.dropCandidate(k, c, time);
    for (const b of [...this.bindings.values()]) {
      if (!b.telemetry && time - b.admittedAt > this.opts.provingMs && time - b.lastHeard <= this.opts.lostAfterMs) {
        this.evict(b, `sent only heartbeats for ${Math.round((time - b.admittedAt) / 1000)} s`);
        this.bench(b.id, time + this.opts.benchMs);
      } else if (time - b.lastHeard > this.opts.forgetAfterMs) {
        this.evict(b, `silent for ${Math.round((time - b.lastHeard) / 60_000)} min`);
      }
    }
    for (const [id, c] of this.companions) {
      if (time - c.lastAt > this.opts.conflictQuietMs) {
        this.companions.delete(id);
        this.events.forgotten?.(keyOf(id));
      }
    }
    for (const [k, c] of this.conflicts) {
      if (time - c.lastAt > this.opts.conflictQuietMs) {
        this.conflicts.delete(k);
        this.events.conflictEnded?.(c.key, c.bound, c.other, time);
      }
    }
    const oldest = Math.floor(time / BUCKET_MS) - BUCKETS + 1;
    for (const buckets of this.recentRefused.values()) for (const b of buckets.keys()) if (b < oldest) buckets.delete(b);
  }

  /** Unknown ids refused on each link over the last minute. */
  refusedRecently(time: number): Map<string, number> {
    const oldest = Math.floor(time / BUCKET_MS) - BUCKETS + 1;
    const out = new Map<string, number>();
    for (const [linkId, buckets] of this.recentRefused) {
      let n = 0;
      for (const [b, count] of buckets) if (b >= oldest) n += count;
      out.set(linkId, n);
    }
    return out;
  }

  status(linkId: string): AdmissionCounters {
    return { ...this.counts(linkId) };
  }

  get size(): number {
    return this.bindings.size;
  }

  /**
   * A ground station, a gimbal or a router's own traffic is let through beside the vehicles it travels with (the
   * same link and peer), up to maxCompanions ids; traffic from a peer with no vehicle is not.
   */
  private companion(linkId: string, peer: PeerId, id: number, time: number): boolean {
    const known = this.companions.get(id);
    if (known !== undefined) {
      if (known.source.linkId !== linkId || known.source.peer !== peer) return false;
      known.lastAt = time;
      return true;
    }
    if (!this.perPeer.get(linkId)?.has(peer) || this.companions.size >= this.opts.maxCompanions) return false;
    this.companions.set(id, { source: { linkId, peer }, lastAt: time });
    return true;
  }

  private heartbeat(candidate: Candidate | undefined, linkId: string, peer: PeerId, frame: Frame,
    hb: { mavType: number; autopilotId: number }, time: number): Verdict {
    const id = frame.sysid * 256 + frame.compid;
    const until = this.benched.get(id);
    if (until !== undefined) {
      if (time < until && !this.trusted(frame)) return this.drop(linkId);
      this.benched.delete(id);
    }
    let c = candidate;
    if (c !== undefined && c.heartbeats > 0 && (c.mavType !== hb.mavType || c.autopilot !== hb.autopilotId)) {
      // Not one autopilot: start the proof again from this heartbeat.
      this.dropCandidate(candidateKey(linkId, peer, id), c, time);
      c = undefined;
    }
    c ??= this.newCandidate(linkId, peer, id, hb, time) ?? undefined;
    if (c === undefined) return "dropped";
    c.lastAt = time;
    if (c.heartbeats === 0) {
      c.firstHeartbeat = time;
      c.mavType = hb.mavType;
      c.autopilot = hb.autopilotId;
    }
    c.heartbeats++;
    const proven = this.trusted(frame)
      || (c.heartbeats >= this.opts.proofHeartbeats && time - c.firstHeartbeat >= this.opts.proofSpanMs);
    if (!proven) {
      this.hold(c, frame, time);
      return "held";
    }
    // The frame that proved it is passed on by the caller, after the held ones.
    return this.admit(c, time) ? "admitted" : "dropped";
  }

  /** `hb`: the heartbeat it starts with, or null when it starts with another message. */
  private newCandidate(linkId: string, peer: PeerId, id: number, hb: { mavType: number; autopilotId: number } | null,
    time: number): Candidate | null {
    const onLink = this.perLinkCandidates.get(linkId) ?? 0;
    if (this.candidates.size >= this.opts.maxCandidates || onLink >= this.opts.maxCandidatesPerLink) {
      if (hb !== null) this.refuse(linkId, time, true);
      return null;
    }
    const c: Candidate = {
      linkId, peer, id, lastAt: time, heartbeats: 0, firstHeartbeat: time, mavType: hb?.mavType ?? -1, autopilot: hb?.autopilotId ?? -1,
      held: [], heldBytes: 0, frames: 0,
    };
    this.candidates.set(candidateKey(linkId, peer, id), c);
    this.perLinkCandidates.set(linkId, onLink + 1);
    this.counts(linkId).candidates++;
    return c;
  }

  private hold(c: Candidate, frame: Frame, time: number): void {
    c.frames++;
    const n = frame.length;
    if (c.heldBytes + n > this.opts.heldBytesPerCandidate || this.heldBytes + n > this.opts.maxHeldBytes) return;
    this.heldBytes += n;
    c.heldBytes += n;
    c.held.push({ frame: copyFrame(frame), peer: c.peer, time });
  }

  private admit(c: Candidate, time: number): boolean {
    const onLink = this.perPeer.get(c.linkId);
    let linkCount = 0;
    for (const n of onLink?.values() ?? []) linkCount += n;
    const full = this.bindings.size >= this.opts.maxVehicles || linkCount >= this.opts.maxVehiclesPerLink;
    if (full && !this.makeRoom(linkCount >= this.opts.maxVehiclesPerLink ? c.linkId : null, time)) {
      this.dropCandidate(candidateKey(c.linkId, c.peer, c.id), c, time, true);
      return false;
    }
    const held = c.held;
    for (const h of held) this.heldBytes -= h.frame.length;
    c.held = [];
    this.dropCandidate(candidateKey(c.linkId, c.peer, c.id), c, null);
    this.released = held;
    const b: Binding = {
      key: keyOf(c.id), id: c.id, mavType: c.mavType, autopilot: c.autopilot, source: { linkId: c.linkId, peer: c.peer },
      admittedAt: time, lastHeard: time,
      telemetry: held.some((h) => TELEMETRY.has(h.frame.msgid)), peerGone: false,
    };
    this.bindings.set(c.id, b);
    // Let through beside another vehicle before its own proof: a vehicle now, never "forgotten" as a companion.
    this.companions.delete(c.id);
    this.bindPeer(b.source, +1);
    const n = this.counts(c.linkId);
    n.admitted++;
    n.vehicles++;
    this.events.admitted?.(b.key, b.source);
    return true;
  }

  /** Frees a slot held by a vehicle silent past the link-loss time (on `linkId` if given), longest silent first. */
  private makeRoom(linkId: string | null, time: number): boolean {
    let victim: Binding | null = null;
    for (const b of this.bindings.values()) {
      if (linkId !== null && b.source.linkId !== linkId) continue;
      if (time - b.lastHeard <= this.opts.lostAfterMs) continue;
      if (victim === null || b.lastHeard < victim.lastHeard) victim = b;
    }
    if (victim === null) return false;
    this.evict(victim, "silent, and its slot was needed for a new vehicle");
    return true;
  }

  private sameVehicle(b: Binding, frame: Frame): boolean {
    if (this.trusted(frame)) return true;
    if (frame.msgid !== MSG_ID.HEARTBEAT) return false;
    const hb = decodeFrame(frame).message;
    return hb.kind === "heartbeat" && hb.mavType === b.mavType && hb.autopilotId === b.autopilot;
  }

  private bench(id: number, until: number): void {
    if (this.benched.size >= this.opts.maxCandidates) {
      const oldest = this.benched.keys().next();
      if (oldest.done !== true) this.benched.delete(oldest.value);
    }
    this.benched.set(id, until);
  }

  private evict(b: Binding, reason: string): void {
    this.bindings.delete(b.id);
    this.bindPeer(b.source, -1);
    const n = this.counts(b.source.linkId);
    n.vehicles--;
    n.evicted++;
    this.events.evicted?.(b.key, b.source, reason);
  }

  private rebind(b: Binding, to: PacketSource, time: number): void {
    const from = b.source;
    this.bindPeer(from, -1);
    this.counts(from.linkId).vehicles--;
    b.source = to;
    b.peerGone = false;
    b.lastHeard = time;
    this.bindPeer(to, +1);
    const n = this.counts(to.linkId);
    n.vehicles++;
    n.sourceChanges++;
    this.events.sourceChanged?.(b.key, from, to, time);
  }

  private foreign(b: Binding, other: PacketSource, time: number): void {
    this.counts(other.linkId).foreignFrames++;
    const k = `${b.id}|${other.linkId}|${other.peer}`;
    const known = this.conflicts.get(k);
    if (known !== undefined) {
      known.lastAt = time;
      return;
    }
    if (this.conflicts.size >= this.opts.maxConflicts) return;
    const c: Conflict = { key: b.key, bound: b.source, other, lastAt: time };
    this.conflicts.set(k, c);
    this.events.conflict?.(b.key, b.source, other, time);
  }

  private bindPeer(s: PacketSource, delta: 1 | -1): void {
    let peers = this.perPeer.get(s.linkId);
    if (peers === undefined) {
      peers = new Map();
      this.perPeer.set(s.linkId, peers);
    }
    const n = (peers.get(s.peer) ?? 0) + delta;
    if (n > 0) peers.set(s.peer, n);
    else peers.delete(s.peer);
    if (n === 1 && delta === 1) this.events.peerBound?.(s, true);
    else if (n === 0) this.events.peerBound?.(s, false);
  }

  /** `refusedAt`: the time it is given up as refused, null when it leaves for another reason (admitted, peer gone). */
  private dropCandidate(k: string, c: Candidate, refusedAt: number | null, full = false): void {
    if (!this.candidates.delete(k)) return;
    for (const h of c.held) this.heldBytes -= h.frame.length;
    c.held = [];
    this.perLinkCandidates.set(c.linkId, (this.perLinkCandidates.get(c.linkId) ?? 1) - 1);
    const n = this.counts(c.linkId);
    n.candidates--;
    if (refusedAt !== null) n.unknownFrames += c.frames;
    // Only an id that claimed to be a vehicle (sent a vehicle heartbeat) counts as a refused vehicle.
    if (refusedAt !== null && c.heartbeats > 0) this.refuse(c.linkId, refusedAt, full);
  }

  private refuse(linkId: string, time: number, full: boolean): void {
    const n = this.counts(linkId);
    n.refusedIds++;
    if (full) n.refusedFull++;
    let buckets = this.recentRefused.get(linkId);
    if (buckets === undefined) {
      buckets = new Map();
      this.recentRefused.set(linkId, buckets);
    }
    const b = Math.floor(time / BUCKET_MS);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
  }

  private drop(linkId: string): Verdict {
    this.counts(linkId).unknownFrames++;
    return "dropped";
  }

  private counts(linkId: string): AdmissionCounters {
    let n = this.counters.get(linkId);
    if (n === undefined) {
      n = emptyAdmissionCounters();
      this.counters.set(linkId, n);
    }
    return n;
  }
}

const candidateKey = (linkId: string, peer: PeerId, id: number): string => `${linkId}\u0000${peer}\u0000${id}`;
