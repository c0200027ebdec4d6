import type { Logger } from "pino";
import { z } from "zod";
import { patchVehicle, sameValue, TRAIL_MAX_POINTS, TRAIL_TOLERANCE_M } from "../protocol";
import type { Alert, VehicleControl, VehicleEvent, VehicleKey, VehicleMissionInfo, VehicleState } from "../protocol";
import type { CarriedHolder } from "../control";
import type { LiveSource } from "../realtime";
import { Track } from "../vehicles";
import { readMessage } from "./wire";

/** Every this long a server sends all its vehicles, not only the changed ones: also its sign of life. */
export const FULL_EVERY_MS = 2_000;
/** A server not heard from for this long is gone: its vehicles leave the other servers' screens. */
export const SERVER_GONE_MS = 10_000;
/**
 * A server not heard from for this long (more than one full message missed) is presumed gone for its vehicles that
 * are now heard here: their pilots are carried over at once rather than at SERVER_GONE_MS (a link taken over).
 */
export const HOLDER_STALE_MS = 3_000;
/** Vehicles mirrored from other servers at most, and servers followed at most; beyond, refused and counted. */
export const MAX_REMOTE_VEHICLES = 4096;
export const MAX_SERVERS = 64;
/** A message longer than this is refused unread (a full set of 256 vehicles is ~300 KB). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** A server's alerts, timeline events and missions travel with a full message when they changed, and every this many. */
export const EXTRAS_EVERY_FULL = 5;
/**
 * Trail points kept for the other servers' vehicles, all together: each vehicle's trail is cut to its share
 * (at most a local trail's TRAIL_MAX_POINTS), so a deployment of thousands of vehicles stays within memory.
 */
export const MAX_REMOTE_TRAIL_POINTS = 500_000;
const MAX_EXTRAS = 2000;

/**
 * What a server publishes each tick: its vehicles that changed (all of them in a full message), and those it forgot.
 * Servers of one deployment trust each other (Redis is theirs alone), yet a message is still checked before it
 * is used: a wrong one, from an older version or a fault, is dropped and counted, never put on screens.
 */
const messageSchema = z.object({
  server: z.string().min(1).max(64),
  seq: z.number().int().nonnegative(),
  time: z.number(),
  full: z.boolean(),
  /** Vehicles whole: all of them in a full message, and those new since the last full one. */
  vehicles: z.array(z.object({ key: z.string().regex(/^\d{1,3}:\d{1,3}$/) }).passthrough()).max(MAX_REMOTE_VEHICLES),
  /** Vehicles sent whole before: only the fields that changed since (a message lost is made good by the next full one). */
  patches: z.array(z.object({ key: z.string().regex(/^\d{1,3}:\d{1,3}$/) }).passthrough()).max(MAX_REMOTE_VEHICLES).optional(),
  removed: z.array(z.string().regex(/^\d{1,3}:\d{1,3}$/)).max(MAX_REMOTE_VEHICLES),
  /** The server is stopping: its vehicles go now, and so does it. */
  leaving: z.boolean().optional(),
  /** Who holds the server's vehicles (the whole table), in a full message and whenever it changed. */
  control: z.record(z.string().regex(/^\d{1,3}:\d{1,3}$/), z.object({
    holder: z.string().min(1).max(200), since: z.number(),
    /** The holder's session (its hash): should the server go, the server taking its link keeps the pilot in control. */
    session: z.string().min(1).max(200),
  })).optional(),
  /**
   * What a screen's snapshot shows beside the vehicles, for the server's own: its alerts, timeline events and the
   * missions known to be on its vehicles (later changes reach the screens as events, through the adapter).
   */
  extras: z.object({
    alerts: z.array(z.object({ id: z.number().int(), acknowledgedAt: z.number().nullable() }).passthrough()).max(MAX_EXTRAS),
    events: z.array(z.object({ key: z.string(), time: z.number() }).passthrough()).max(MAX_EXTRAS),
    missions: z.record(z.string().regex(/^\d{1,3}:\d{1,3}$/), z.object({ key: z.string() }).passthrough()),
  }).optional(),
});

type Held = NonNullable<MirrorMessage["control"]>[string];

interface Extras {
  alerts: Alert[];
  events: VehicleEvent[];
  missions: Record<VehicleKey, VehicleMissionInfo>;
}
export type MirrorMessage = z.infer<typeof messageSchema>;

interface Peer {
  heardAt: number;
  seq: number;
  vehicles: Map<VehicleKey, VehicleState>;
  control: Record<VehicleKey, Held>;
  extras: Extras;
}

/** What the mirror tells the rest of the server. */
export interface MirrorEvents {
  /** Another server stopped or went silent (what it was asked will not be answered). */
  serverGone?(server: string): void;
  /** Who holds another server's vehicles changed: the screens get the whole table again. */
  controlChanged?(): void;
  /** A server went (stopped, or silent) holding these vehicles for these pilots. */
  controlOrphaned?(holders: CarriedHolder[]): void;
}

export interface MirrorStats {
  /** Other servers heard from in the last SERVER_GONE_MS. */
  servers: number;
  /** Their vehicles on this server's screens. */
  vehicles: number;
  /** Messages refused since start (unreadable, too long, over the bounds). */
  refused: number;
  /** Vehicles both here and on another server: this server's own state is shown. */
  conflicts: number;
  /** What this server published since start: messages and their bytes (what Redis carries to each other server). */
  published: { messages: number; bytes: number };
}

/**
 * The vehicles of the other servers of a deployment, kept from what they publish, and this server's own published
 * for them. It wraps the live source the screens are fed from: their snapshot, each tick's changes and removals
 * hold every server's vehicles, so a screen on any server sees all of them, encoded once per server per tick.
 * A vehicle heard on this server and on another is this server's own (its link is here).
 */
export class VehicleMirror {
  private readonly peers = new Map<string, Peer>();
  private changed = new Map<VehicleKey, VehicleState>();
  private gone = new Set<VehicleKey>();
  private seq = 0;
  private lastFullAt = Number.NEGATIVE_INFINITY;
  private pendingChanged: VehicleState[] = [];
  private refused = 0;
  private readonly published = { messages: 0, bytes: 0 };
  /** Pilots already carried over from a silent server, as "server|vehicle". */
  private readonly carried = new Set<string>();
  /** Each of this server's vehicles as the others last had it (the base of its next patch). */
  private sentCopies = new Map<VehicleKey, Record<string, unknown>>();
  private conflicts = new Set<VehicleKey>();
  /**
   * The other servers' vehicles' trails, drawn here from the positions they publish (from when this server first
   * heard of them: a server started later has the trail from then on).
   */
  private readonly trails = new Map<VehicleKey, Track>();
  /** This server's own vehicles, as of the last snapshot and the ticks since. */
  private local = new Set<VehicleKey>();

  /** This server's control table, as last changed, and whether the others have not been sent it since. */
  private ownControl: Record<VehicleKey, Held> = {};
  private controlDirty = false;
  /** The extras as last sent, and full messages since start (they go again every EXTRAS_EVERY_FULL). */
  private lastExtras = "";
  private fulls = 0;

  /** How this server's own messages begin (send() writes `server` first): they are not parsed on their way back. */
  private readonly ownPrefix: string;

  constructor(
    readonly server: string,
    private readonly publish: (message: string) => void,
    private readonly log: Logger,
    private readonly on: MirrorEvents = {},
  ) {
    this.ownPrefix = `{"server":${JSON.stringify(server)},`;
  }

  /** A message from the channel (this server's own come back too, and are skipped unread: see ownPrefix). */
  receive(raw: string, now: number): void {
    if (raw.startsWith(this.ownPrefix)) return;
    const read = readMessage(messageSchema, raw, MAX_MESSAGE_BYTES);
    if (!read.ok) {
      this.refuse(read.why);
      return;
    }
    const parsed = read.value;
    if (parsed.server === this.server) return;
    let peer = this.peers.get(parsed.server);
    if (!peer) {
      if (this.peers.size >= MAX_SERVERS) {
        this.refuse("too many servers");
        return;
      }
      peer = { heardAt: now, seq: -1, vehicles: new Map(), control: {}, extras: { alerts: [], events: [], missions: {} } };
      this.peers.set(parsed.server, peer);
      this.log.info({ server: parsed.server }, "another server of the deployment is publishing its vehicles");
    }
    // A restarted server counts from 0 again: any message after a gap is taken; an older one is not.
    if (parsed.seq <= peer.seq && now - peer.heardAt < SERVER_GONE_MS) return;
    peer.heardAt = now;
    peer.seq = parsed.seq;
    if (parsed.leaving === true) {
      this.forget(parsed.server, peer);
      this.log.info({ server: parsed.server }, "another server of the deployment stopped: its vehicles are no longer shown");
      return;
    }
    if (parsed.extras) peer.extras = parsed.extras as unknown as Extras;
    if (parsed.control && JSON.stringify(parsed.control) !== JSON.stringify(peer.control)) {
      peer.control = parsed.control as Record<VehicleKey, Held>;
      this.on.controlChanged?.();
    }
    const vehicles = parsed.vehicles as unknown as VehicleState[];
    if (parsed.full) {
      const keep = new Set(vehicles.map((v) => v.key));
      for (const key of peer.vehicles.keys()) if (!keep.has(key)) this.drop(peer, key);
    }
    for (const key of parsed.removed as VehicleKey[]) this.drop(peer, key);
    for (const v of vehicles) {
      if (!peer.vehicles.has(v.key) && this.remoteCount() >= MAX_REMOTE_VEHICLES) {
        this.refuse("too many vehicles");
        break;
      }
      peer.vehicles.set(v.key, v);
      this.gone.delete(v.key);
      this.changed.set(v.key, v);
      if (v.position) this.trailOf(v.key, parsed.time, v.position);
    }
    for (const patch of (parsed.patches ?? []) as unknown as (Partial<VehicleState> & { key: VehicleKey })[]) {
      const base = peer.vehicles.get(patch.key);
      // Its whole state was in a message not received: it comes again whole with the next full one.
      if (!base) continue;
      const v = patchVehicle(base, patch);
      peer.vehicles.set(v.key, v);
      this.changed.set(v.key, v);
      if (patch.position) this.trailOf(v.key, parsed.time, patch.position);
    }
  }

  /** The live source the screens are fed from: this server's vehicles and the mirrored ones. */
  wrap(source: LiveSource): LiveSource {
    return {
      ...source,
      snapshot: (time) => {
        const own = source.snapshot(time);
        this.local = new Set(own.map((v) => v.key));
        return [...own, ...this.remote()];
      },
      changed: (time) => {
        const own = source.changed(time);
        for (const v of own) this.local.add(v.key);
        this.pendingChanged = own;
        this.expire(time);
        this.carryStale(own, time);
        const theirs = [...this.changed.values()].filter((v) => !this.local.has(v.key) && this.owner(v.key) !== null);
        this.changed = new Map();
        return [...own, ...theirs];
      },
      control: () => this.control(source.control()),
      trailKeys: () => {
        const own = source.trailKeys();
        const mine = new Set(own);
        const theirs = [...this.trails.keys()].filter((key) => !mine.has(key) && !this.local.has(key) && this.owner(key) !== null);
        return [...own, ...theirs];
      },
      trail: (key) => {
        const trail = this.trails.get(key);
        if (this.local.has(key) || trail === undefined || this.owner(key) === null) return source.trail(key);
        return trail.packed(TRAIL_TOLERANCE_M);
      },
      alerts: () => this.alerts(source.alerts()),
      events: () => this.events(source.events?.() ?? []),
      missions: () => this.missions(source.missions()),
      removed: () => {
        const own = source.removed?.() ?? [];
        for (const key of own) this.local.delete(key);
        this.send(this.pendingChanged, own, source);
        this.pendingChanged = [];
        const theirs = [...this.gone].filter((key) => !this.local.has(key));
        this.gone = new Set();
        return [...own, ...theirs];
      },
    };
  }

  /** This server stops: the others drop its vehicles now rather than after SERVER_GONE_MS (a crash leaves that). */
  leave(now: number): void {
    const message: MirrorMessage = { server: this.server, seq: this.seq++, time: now, full: true, vehicles: [], removed: [], leaving: true };
    this.out(JSON.stringify(message));
  }

  /** This server's control table changed: the others are sent it with the next message (this tick). */
  setControl(holders: readonly CarriedHolder[]): void {
    this.ownControl = Object.fromEntries(holders.map((h) => [h.key, { holder: h.name, since: h.since, session: h.sessionHash }]));
    this.controlDirty = true;
  }

  /** Who holds every vehicle of the deployment: the others' holders of their own vehicles, and this server's. */
  control(own: Record<VehicleKey, VehicleControl>): Record<VehicleKey, VehicleControl> {
    const out: Record<VehicleKey, VehicleControl> = {};
    for (const peer of this.peers.values()) {
      for (const [key, c] of Object.entries(peer.control) as [VehicleKey, Held][]) {
        if (peer.vehicles.has(key) && !this.local.has(key)) out[key] = { holder: c.holder, since: c.since };
      }
    }
    return { ...out, ...own };
  }

  /**
   * Every server's alerts for a snapshot, newest first: one copy of each (ids are the deployment's), the
   * acknowledged one should two copies differ (another server's may be up to 2 s old).
   */
  alerts(own: readonly Alert[]): Alert[] {
    const out = new Map<number, Alert>(own.map((a) => [a.id, a]));
    for (const peer of this.peers.values()) {
      for (const a of peer.extras.alerts) {
        const have = out.get(a.id);
        if (!have || (have.acknowledgedAt === null && a.acknowledgedAt !== null)) out.set(a.id, a);
      }
    }
    return [...out.values()].sort((a, b) => b.id - a.id);
  }

  /** Every server's newest timeline events, newest first. */
  events(own: readonly VehicleEvent[]): VehicleEvent[] {
    const all = [...own];
    for (const peer of this.peers.values()) all.push(...peer.extras.events);
    return all.sort((a, b) => b.time - a.time).slice(0, MAX_EXTRAS);
  }

  /** The missions known to be on every server's vehicles (this server's own for its own). */
  missions(own: Record<VehicleKey, VehicleMissionInfo>): Record<VehicleKey, VehicleMissionInfo> {
    const out: Record<VehicleKey, VehicleMissionInfo> = {};
    for (const peer of this.peers.values()) {
      for (const [key, m] of Object.entries(peer.extras.missions) as [VehicleKey, VehicleMissionInfo][]) {
        if (peer.vehicles.has(key) && !this.local.has(key)) out[key] = m;
      }
    }
    return { ...out, ...own };
  }

  /** The server whose link has a vehicle not heard here, or null. */
  ownerOf(key: VehicleKey): string | null {
    return this.owner(key);
  }

  stats(): MirrorStats {
    return { servers: this.peers.size, vehicles: this.remoteCount(), refused: this.refused, conflicts: this.conflicts.size, published: { ...this.published } };
  }

  /** This server's vehicles to the others: the changed ones each tick, all of them every FULL_EVERY_MS. */
  private send(changed: readonly VehicleState[], removed: readonly VehicleKey[], source: LiveSource): void {
    const now = source.now();
    const full = now - this.lastFullAt >= FULL_EVERY_MS || now < this.lastFullAt;
    if (!full && changed.length === 0 && removed.length === 0 && !this.controlDirty) return;
    let vehicles: VehicleState[];
    const patches: Record<string, unknown>[] = [];
    if (full) {
      vehicles = source.snapshot(now);
      this.lastFullAt = now;
      this.local = new Set(vehicles.map((v) => v.key));
      this.sentCopies = new Map(vehicles.map((v) => [v.key, { ...v } as unknown as Record<string, unknown>]));
    } else {
      vehicles = [];
      for (const v of changed) {
        const patch = this.patchOf(v);
        if (patch === "whole") vehicles.push(v);
        else if (patch !== null) patches.push(patch);
      }
    }
    for (const key of removed) this.sentCopies.delete(key);
    const message: MirrorMessage = { server: this.server, seq: this.seq++, time: now, full, vehicles: vehicles as unknown as MirrorMessage["vehicles"], removed: [...removed],
      ...(patches.length > 0 ? { patches: patches as MirrorMessage["patches"] } : {}),
      ...(full || this.controlDirty ? { control: this.ownControl } : {}), ...(full ? this.extrasDue(source) : {}) };
    this.controlDirty = false;
    this.out(JSON.stringify(message));
  }

  /**
   * What changed of a vehicle since it was last sent (remembered as sent), "whole" for one not sent since the last
   * full message (or that lost a field), or null when nothing did. At 200 vehicles this more than halved what the
   * mirror publishes (1.66 to 0.72 MB/s, `npm run load -- --servers 2`), full messages every 2 s included.
   */
  private patchOf(v: VehicleState): Record<string, unknown> | "whole" | null {
    const held = this.sentCopies.get(v.key);
    const now = v as unknown as Record<string, unknown>;
    if (held) for (const k in held) if (!(k in now)) this.sentCopies.delete(v.key);
    const base = this.sentCopies.get(v.key);
    if (!base) {
      this.sentCopies.set(v.key, { ...now });
      return "whole";
    }
    let patch: Record<string, unknown> | null = null;
    for (const k in now) {
      if (sameValue(base[k], now[k])) continue;
      patch ??= { key: v.key };
      patch[k] = now[k];
      base[k] = now[k];
    }
    return patch;
  }

  private out(message: string): void {
    this.published.messages += 1;
    this.published.bytes += Buffer.byteLength(message);
    this.publish(message);
  }

  /** This server's extras, when they changed since last sent or every EXTRAS_EVERY_FULL full messages. */
  private extrasDue(source: LiveSource): Pick<MirrorMessage, "extras"> {
    const missions = Object.fromEntries(Object.entries(source.missions()).filter(([key]) => this.local.has(key as VehicleKey)));
    const extras = { alerts: source.alerts(), events: source.events?.() ?? [], missions };
    const text = JSON.stringify(extras);
    const again = this.fulls++ % EXTRAS_EVERY_FULL === 0;
    if (text === this.lastExtras && !again) return {};
    this.lastExtras = text;
    return { extras: extras as unknown as MirrorMessage["extras"] };
  }

  /** The mirrored vehicles, without those this server has itself (counted as conflicts). */
  private remote(): VehicleState[] {
    const out = new Map<VehicleKey, VehicleState>();
    for (const peer of this.peers.values()) {
      for (const [key, v] of peer.vehicles) {
        if (this.local.has(key)) {
          this.conflicts.add(key);
          continue;
        }
        if (!out.has(key)) out.set(key, v);
      }
    }
    return [...out.values()];
  }

  private owner(key: VehicleKey): string | null {
    for (const [id, peer] of this.peers) if (peer.vehicles.has(key)) return id;
    return null;
  }

  /** Servers silent for SERVER_GONE_MS are gone, and their vehicles with them. */
  private expire(now: number): void {
    for (const [id, peer] of this.peers) {
      if (now - peer.heardAt < SERVER_GONE_MS) continue;
      this.forget(id, peer);
      this.log.warn({ server: id }, "another server of the deployment went silent: its vehicles are no longer shown");
    }
  }

  /**
   * A vehicle now heard here that a server silent for HOLDER_STALE_MS held for a pilot: the pilot is carried over
   * now (its link was taken over), once per vehicle and server.
   */
  private carryStale(own: readonly VehicleState[], now: number): void {
    for (const v of own) {
      for (const [id, peer] of this.peers) {
        const held = peer.control[v.key];
        if (!held || now - peer.heardAt < HOLDER_STALE_MS || this.carried.has(`${id}|${v.key}`)) continue;
        this.carried.add(`${id}|${v.key}`);
        this.on.controlOrphaned?.([{ key: v.key, name: held.holder, sessionHash: held.session, since: held.since }]);
      }
    }
  }

  private forget(id: string, peer: Peer): void {
    for (const key of Object.keys(peer.control)) this.carried.delete(`${id}|${key}`);
    for (const key of [...peer.vehicles.keys()]) this.drop(peer, key);
    this.peers.delete(id);
    const held = Object.entries(peer.control) as [VehicleKey, Held][];
    if (held.length > 0) {
      this.on.controlOrphaned?.(held.map(([key, c]) => ({ key, name: c.holder, sessionHash: c.session, since: c.since })));
      this.on.controlChanged?.();
    }
    this.on.serverGone?.(id);
  }

  private drop(peer: Peer, key: VehicleKey): void {
    if (!peer.vehicles.delete(key)) return;
    this.changed.delete(key);
    if (this.owner(key) !== null) return;
    this.gone.add(key);
    this.trails.delete(key);
  }

  private trailOf(key: VehicleKey, time: number, p: { lat: number; lon: number; altAmsl: number }): void {
    let trail = this.trails.get(key);
    if (!trail) {
      trail = new Track();
      this.trails.set(key, trail);
    }
    const share = Math.max(100, Math.min(TRAIL_MAX_POINTS, Math.floor(MAX_REMOTE_TRAIL_POINTS / this.trails.size)));
    trail.add(p.lat, p.lon, p.altAmsl, time, share);
  }

  private remoteCount(): number {
    let n = 0;
    for (const peer of this.peers.values()) n += peer.vehicles.size;
    return n;
  }

  private refuse(why: string): void {
    this.refused += 1;
    if (this.refused === 1 || this.refused % 1000 === 0) this.log.warn({ why, refused: this.refused }, "vehicle mirror message refused");
  }
}
