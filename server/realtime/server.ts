import type { IncomingMessage, Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Namespace, ServerOptions, Socket } from "socket.io";
import type { Logger } from "pino";
import type {
  Alert, PackedTrail, VehicleEvent, ClientToServerEvents, IncidentMarker, InterServerEvents, LinkEvent, BatchedEvent, MissionProgressEvent, VehicleMissionInfo, LinkStatus, ServerToClientEvents, SessionUser, SocketData,
  StatusTextEvent, VehicleControl, VehicleFrame, VehicleKey, VehicleState,
} from "../protocol";
import { sessionMatches } from "../control";
import type { SessionMatch } from "../control";
import { attachCommands } from "./commands";
import { FrameDeltas, toDetail } from "./frames";
import type { CommandHandlers } from "./commands";

/** What the realtime server reads from the rest of the system (injected, so tests can drive it). */
export interface LiveSource {
  now(): number;
  snapshot(time: number): VehicleState[];
  /** Vehicles changed since the previous call; also where lost vehicles are detected. */
  changed(time: number): VehicleState[];
  /**
   * A vehicle as it is now (link health as of `time`), for its periodic refresh: a vehicle that is silent changes
   * nothing, but its link's age and rates do. Without it, or for a vehicle it does not know, the refresh sends the
   * vehicle as it was at its last change.
   */
  current?(key: VehicleKey, time: number): VehicleState | undefined;
  /** Vehicles forgotten since the previous call (evicted): the screens drop them. */
  removed?(): VehicleKey[];
  links(): LinkStatus[];
  /** The vehicles that have a trail now. */
  trailKeys(): VehicleKey[];
  /** A vehicle's trail as a live screen gets it (simplified within TRAIL_TOLERANCE_M, packed), or null if gone. */
  trail(key: VehicleKey): PackedTrail | null;
  control(): Record<VehicleKey, VehicleControl>;
  /** What is known to be on each vehicle. */
  missions(): Record<VehicleKey, VehicleMissionInfo>;
  /** Active, unacknowledged and recent alerts, newest first. */
  alerts(): Alert[];
  /** The vehicles' newest timeline events, newest first. */
  events?(): VehicleEvent[];
  /** Open incidents with a place, for every screen's map. */
  incidents?(): IncidentMarker[];
}

/** How sockets are tied to login sessions (the same cookie as the HTTP API). */
export interface SocketSessions {
  /** The user behind a Cookie header, or null without a live session. */
  authenticate(cookieHeader: string | undefined): Promise<{ user: SessionUser; sessionHash: string } | null>;
  /**
   * Whether the session behind a token hash is still live (not idle, expired, revoked or disabled). `use` is
   * true when the user did something (an event), false for the periodic check, which must not count as use.
   */
  isLive(sessionHash: string, use: boolean): Promise<boolean>;
  /** A session found ended by the periodic check (e.g. idle): whatever was held in it is let go. */
  ended(match: SessionMatch, reason: string): void;
}

export interface RealtimeOptions {
  tickMs: number;
  refusal: (req: IncomingMessage) => string | null;
  /** How often each socket's session is checked again, ms (default 30 s). */
  revalidateMs?: number;
  /**
   * How often every screen is sent each vehicle whole, and the list of vehicles, between the changes, ms (default
   * 10 s): a few vehicles a frame, in turn (FrameDeltas).
   */
  refreshEveryMs?: number;
  /**
   * Socket.IO's adapter when several servers share one deployment (Redis): events about a vehicle (status texts,
   * link changes, alerts, missions, incidents) reach the screens of every server through it. Frames, details and
   * link counters never do: each server encodes them for its own screens from the mirrored state.
   */
  adapter?: NonNullable<ServerOptions["adapter"]>;
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type AnySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
/** The room of the screens watching a vehicle's detail is this and the vehicle's key. */
const DETAIL_ROOM = "detail:";
/** Screens connecting within this long of each other share one snapshot (encoded once). */
const JOIN_BATCH_MS = 25;
/**
 * A part of a joining screen's trails (TrailsPart) stops taking vehicles at this many packed numbers (four per
 * point: a few hundred KB of JSON, a few ms to write) or after this long building it, whichever comes first.
 */
const TRAIL_PART_NUMBERS = 40_000;
const TRAIL_PART_MS = 8;
/** Events (status texts, link changes, alerts...) are sent at most this long after they happen, batched. */
const EVENTS_BATCH_MS = 20;

/** Packets engine.io holds for a socket because its transport has not taken the earlier ones (private in its types). */
function queued(socket: AnySocket): number {
  return (socket.conn as unknown as { writeBuffer: readonly unknown[] }).writeBuffer.length;
}

/** Another namespace's sockets, and how one of them is told it is being ended (instead of "session:ended"). */
interface OtherNamespace { nsp: Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>; farewell(socket: AnySocket, reason: string): void }

/**
 * Streams live vehicle state to browsers: a snapshot on connect, then one coalesced frame per tick with
 * every vehicle that changed — never one message per MAVLink packet (a vehicle sends ~100 packets/s).
 * Status texts, link lost/regained, alerts and the like go out within EVENTS_BATCH_MS, all those of that time in one
 * message ("vehicles:events"): usually one event, but a link dropping 200 vehicles makes hundreds at once, and one
 * message each to every screen held the event loop for as long as it took to write them all.
 */
export class RealtimeServer {
  readonly io: LiveServer;
  private timer: NodeJS.Timeout | null = null;
  private linkTimer: NodeJS.Timeout | null = null;
  private revalidateTimer: NodeJS.Timeout | null = null;
  private revalidating = false;
  private seq = 0;
  private readonly deltas: FrameDeltas;
  /** Screens that had frames skipped, by socket id: their next frame is a full one. */
  private readonly stale = new Set<string>();
  private skipped = 0;
  private resyncs = 0;
  private readonly others: OtherNamespace[] = [];
  /** Screens connected since the last snapshot was sent (see welcome). */
  private readonly joining = new Set<string>();
  private joinTimer: NodeJS.Timeout | null = null;
  /** Screens that asked to watch vehicles since the last tick, and which: sent their detail even if unchanged. */
  private readonly watching = new Map<string, VehicleKey[]>();
  /** Events not sent yet, in order (see sendEvents). */
  private events: BatchedEvent[] = [];
  private eventsTimer: NodeJS.Timeout | null = null;
  /** Trails still being sent to screens that joined, one part per turn of the event loop (see sendTrails). */
  private readonly trailSends = new Set<NodeJS.Immediate>();

  constructor(
    http: HttpServer,
    private readonly source: LiveSource,
    private readonly opts: RealtimeOptions,
    /** Read by other namespaces' handlers too (a request is a use of the session). */
    readonly sessions: SocketSessions,
    handlers: CommandHandlers,
    private readonly log: Logger,
  ) {
    this.deltas = new FrameDeltas(opts.refreshEveryMs ?? 10_000);
    this.io = new Server(http, {
      ...(opts.adapter ? { adapter: opts.adapter } : {}),
      serveClient: false,
      cors: { origin: false },
      // CORS does not cover WebSocket upgrades: any web page could otherwise read the live map.
      allowRequest: (req, callback) => {
        const refusal = opts.refusal(req);
        if (refusal !== null) this.log.warn({ origin: req.headers.origin, host: req.headers.host }, refusal);
        callback(refusal, refusal === null);
      },
    });
    // The handshake carries the session cookie: no session, no socket.
    this.io.use((socket, next) => this.admit(socket, next));
    this.io.on("connection", (socket) => {
      socket.data.connectedAt = source.now();
      this.log.debug({ id: socket.id, address: socket.handshake.address, user: socket.data.user.name }, "client connected");
      attachCommands(socket, handlers, {
        alive: (hash) => sessions.isLive(hash, true),
        ended: (hash) => {
          this.endSessions({ sessionHash: hash }, "session expired");
          sessions.ended({ sessionHash: hash }, "session expired");
        },
      }, this.log, (s, keys) => this.watch(s, keys));
      this.joining.add(socket.id);
      this.joinTimer ??= setTimeout(() => this.welcome(), JOIN_BATCH_MS);
      socket.on("disconnect", (reason) => {
        this.stale.delete(socket.id);
        this.joining.delete(socket.id);
        this.watching.delete(socket.id);
        this.log.debug({ id: socket.id, reason }, "client disconnected");
      });
    });
  }

  /**
   * The snapshot for the screens that connected in the last JOIN_BATCH_MS, built and encoded once for all of them:
   * when a server restarts every control-room screen reconnects at once, and one encoding each (200 vehicles with
   * their trails) held the event loop for hundreds of milliseconds. Sent before any frame reaches them; their
   * trails follow in parts (sendTrails).
   */
  private welcome(): Set<string> {
    if (this.joinTimer) clearTimeout(this.joinTimer);
    this.joinTimer = null;
    if (this.joining.size === 0) return new Set();
    const ids = [...this.joining];
    this.joining.clear();
    const source = this.source;
    const time = source.now();
    const control = source.control();
    const to = this.io.local.to(ids);
    // Each vehicle's status texts as the frames have given them, not as they are now: the next frame adds those that
    // came since (statusTextsAdded), and a snapshot already holding them would have its screens list them twice.
    const vehicles = source.snapshot(time).map((v) => {
      const sent = this.deltas.sentStatusTexts(v.key);
      return sent === undefined || sent === v.statusTexts ? v : { ...v, statusTexts: [...sent] };
    });
    to.emit("vehicles:snapshot", {
      time, vehicles, links: source.links(), control,
      missions: source.missions(), alerts: source.alerts(), ...(source.events ? { events: source.events() } : {}),
      ...(source.incidents ? { incidents: source.incidents() } : {}),
    });
    to.emit("control:state", control);
    this.sendTrails(ids, source.trailKeys());
    return new Set(ids);
  }

  /**
   * The trails of `keys` to the screens `ids`, in parts (TrailsPart) a turn of the event loop apart, each part
   * encoded once for all of them: 200 vehicles' full trails built and written at once held the loop for half a
   * second, during which no frame, heartbeat or datagram was handled. A screen that leaves is dropped from the next
   * part; a vehicle gone meanwhile is left out. Frames go out between parts: a screen draws each trail as it comes,
   * joined to the positions it has drawn since.
   */
  private sendTrails(ids: readonly string[], keys: readonly VehicleKey[]): void {
    let next = 0;
    const part = () => {
      const here = ids.filter((id) => this.io.sockets.sockets.has(id));
      if (here.length === 0) return;
      const started = performance.now();
      const trails: Record<VehicleKey, PackedTrail> = {};
      let numbers = 0;
      while (next < keys.length && numbers < TRAIL_PART_NUMBERS && performance.now() - started < TRAIL_PART_MS) {
        const key = keys[next++]!;
        const trail = this.source.trail(key);
        if (trail === null || trail.length === 0) continue;
        trails[key] = trail;
        numbers += trail.length;
      }
      const last = next >= keys.length;
      this.io.local.to(here).emit("vehicles:trails", last ? { trails, last: true } : { trails });
      if (!last) schedule();
    };
    const schedule = () => {
      const immediate = setImmediate(() => {
        this.trailSends.delete(immediate);
        part();
      });
      this.trailSends.add(immediate);
    };
    schedule();
  }

  private admit(socket: AnySocket, next: (err?: Error) => void): void {
    this.sessions.authenticate(socket.request.headers.cookie).then((auth) => {
      if (!auth) {
        next(new Error("unauthenticated"));
        return;
      }
      socket.data.user = auth.user;
      socket.data.sessionHash = auth.sessionHash;
      next();
    }, (err: unknown) => {
      this.log.error({ err }, "session check failed: connection refused");
      next(new Error("unavailable"));
    });
  }

  /**
   * Another namespace on this server (the reviewers' replay): the same origin and cookie checks at the handshake,
   * and its sockets are revalidated and ended with the live ones. Typed with the live events: the caller casts.
   */
  namespace(name: string, farewell: OtherNamespace["farewell"]): OtherNamespace["nsp"] {
    const nsp = this.io.of(name);
    nsp.use((socket, next) => this.admit(socket, next));
    this.others.push({ nsp, farewell });
    return nsp;
  }

  private *everySocket(): Generator<[AnySocket, OtherNamespace["farewell"]]> {
    const live: OtherNamespace["farewell"] = (socket, reason) => socket.emit("session:ended", reason);
    for (const socket of this.io.sockets.sockets.values()) yield [socket, live];
    for (const other of this.others) for (const socket of other.nsp.sockets.values()) yield [socket, other.farewell];
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.opts.tickMs);
    this.linkTimer ??= setInterval(() => this.io.local.emit("links:status", this.source.links()), 1000);
    this.revalidateTimer ??= setInterval(() => {
      if (this.revalidating) return;
      this.revalidating = true;
      this.revalidate().catch((err: unknown) => this.log.error({ err }, "session revalidation failed: retried at the next round"))
        .finally(() => { this.revalidating = false; });
    }, this.opts.revalidateMs ?? 30_000);
  }

  /** Ends the sockets of sessions that are no longer live (idle, expired). Public for tests. */
  async revalidate(): Promise<void> {
    const hashes = new Set<string>();
    for (const [socket] of this.everySocket()) hashes.add(socket.data.sessionHash);
    const ended = new Set<string>();
    for (const hash of hashes) if (!await this.sessions.isLive(hash, false)) ended.add(hash);
    for (const sessionHash of ended) {
      this.endSessions({ sessionHash }, "session expired");
      this.sessions.ended({ sessionHash }, "session expired");
    }
  }

  /** Tells the sockets of ended sessions why ("session:ended"), then disconnects them. */
  endSessions(match: SessionMatch, reason: string): number {
    let n = 0;
    for (const [socket, farewell] of this.everySocket()) {
      if (!sessionMatches(match, { name: socket.data.user.name, sessionHash: socket.data.sessionHash })) continue;
      farewell(socket, reason);
      socket.disconnect(true);
      n++;
    }
    if (n > 0) this.log.info({ ...match, sockets: n, reason }, "session ended: sockets disconnected");
    return n;
  }

  /** Who holds which vehicle changed: every screen of this server gets the whole table (every server's, with --redis). */
  controlState(): void {
    this.io.local.emit("control:state", this.source.control());
  }

  /**
   * One frame for every screen, encoded once: what changed of each vehicle since the last frame, and the vehicles due
   * for their periodic refresh whole. A screen still writing earlier frames is skipped (it gets the latest,
   * never a growing queue) and, once it has caught up, is sent a full frame of its own. Public for tests.
   */
  tick(): void {
    // Events first: what happened before this frame reaches the screens before it, as when each went out at once.
    this.sendEvents();
    // A snapshot just sent is still being written: its screens are not behind.
    const welcomed = this.welcome();
    const time = this.source.now();
    const changed = this.source.changed(time);
    const removed = this.source.removed?.() ?? [];
    this.deltas.forget(removed);
    const { behind, resync } = this.viewersBehind(welcomed);
    this.emitFrames(time, changed, removed, behind, resync);
    // After the frames: a resync's full frame holds the detail as last sent to every screen, the watchers' is newer.
    this.emitDetails(time, changed, behind);
  }

  private emitFrames(time: number, changed: VehicleState[], removed: VehicleKey[], behind: string[], resync: string[]): void {
    const gone = removed.length > 0 ? { removed } : {};
    const { vehicles, fleet } = this.deltas.frame(changed, time, (key) => this.source.current?.(key, time));
    if (resync.length > 0) {
      this.io.local.to(resync).emit("vehicles:frame", { time, seq: ++this.seq, vehicles: this.deltas.held(), full: true, ...gone });
      this.resyncs += resync.length;
    }
    if (vehicles.length === 0 && removed.length === 0 && fleet === undefined) return;
    this.emitFrame({ time, seq: ++this.seq, vehicles, ...gone, ...(fleet ? { fleet } : {}) }, [...behind, ...resync]);
  }

  /**
   * The detail of each changed vehicle to the screens watching it (one encoding per vehicle, whatever the number of
   * watchers), and to screens that just started watching, the detail of their vehicles as it is now.
   */
  private emitDetails(time: number, changed: readonly VehicleState[], behind: readonly string[]): void {
    const rooms = this.io.sockets.adapter.rooms;
    for (const v of changed) {
      const room = DETAIL_ROOM + v.key;
      if (!rooms.has(room)) continue;
      const to = behind.length > 0 ? this.io.local.to(room).except([...behind]) : this.io.local.to(room);
      to.emit("vehicles:detail", { time, vehicles: [toDetail(v)] });
    }
    if (this.watching.size === 0) return;
    const sent = new Set(changed.map((v) => v.key));
    const now = new Map(this.source.snapshot(time).map((v) => [v.key, v]));
    for (const [id, keys] of this.watching) {
      const vehicles = keys.filter((k) => !sent.has(k)).flatMap((k) => { const v = now.get(k); return v ? [toDetail(v)] : []; });
      if (vehicles.length > 0) this.io.local.to(id).emit("vehicles:detail", { time, vehicles });
    }
    this.watching.clear();
  }

  /** A screen's watched vehicles, replacing those it watched before (duplicates dropped). */
  private watch(socket: AnySocket, keys: readonly VehicleKey[]): VehicleKey[] {
    const unique = [...new Set(keys)];
    for (const room of [...socket.rooms]) if (room.startsWith(DETAIL_ROOM)) void socket.leave(room);
    for (const key of unique) void socket.join(DETAIL_ROOM + key);
    if (unique.length > 0) this.watching.set(socket.id, unique);
    else this.watching.delete(socket.id);
    return unique;
  }

  private emitFrame(frame: VehicleFrame, except: string[]): void {
    if (except.length === 0) this.io.local.emit("vehicles:frame", frame);
    else this.io.local.except(except).emit("vehicles:frame", frame);
  }

  /**
   * Screens whose previous frames are still queued (engine.io holds what the transport could not take yet), and
   * screens that were behind before and have caught up: those need a full frame, having missed patches.
   */
  private viewersBehind(welcomed: ReadonlySet<string>): { behind: string[]; resync: string[] } {
    const behind: string[] = [];
    const resync: string[] = [];
    for (const socket of this.io.sockets.sockets.values()) {
      if (queued(socket) > 0 && !welcomed.has(socket.id)) {
        if (!this.stale.has(socket.id)) this.skipped += 1;
        this.stale.add(socket.id);
        behind.push(socket.id);
      } else if (this.stale.delete(socket.id)) {
        resync.push(socket.id);
      }
    }
    return { behind, resync };
  }

  /** How often screens fell behind (counted once per episode) and were resynced with a full frame. */
  frameStats(): { viewersBehind: number; resyncs: number } {
    return { viewersBehind: this.skipped, resyncs: this.resyncs };
  }

  statusText(event: StatusTextEvent): void {
    this.queueEvent({ kind: "statustext", event });
  }

  linkEvent(event: LinkEvent): void {
    this.queueEvent({ kind: "link", event });
  }

  vehicleEvent(event: VehicleEvent): void {
    this.queueEvent({ kind: "vehicle", event });
  }

  alert(alert: Alert): void {
    this.queueEvent({ kind: "alert", alert });
  }

  missionProgress(event: MissionProgressEvent): void {
    this.queueEvent({ kind: "missionProgress", event });
  }

  private queueEvent(event: BatchedEvent): void {
    this.events.push(event);
    this.eventsTimer ??= setTimeout(() => this.sendEvents(), EVENTS_BATCH_MS);
  }

  /**
   * The events so far, in one message to every screen (of every server, with --redis). A screen that joins between
   * an event and its batch gets both the snapshot (which holds its effect) and the event, and the page keeps one:
   * an alert is upserted by its id, a status text or timeline event already held is not added again, and a link
   * event is not in a snapshot at all (the page logs it as it comes).
   */
  private sendEvents(): void {
    if (this.eventsTimer) clearTimeout(this.eventsTimer);
    this.eventsTimer = null;
    if (this.events.length === 0) return;
    const events = this.events;
    this.events = [];
    this.io.emit("vehicles:events", events);
  }

  missionVehicle(info: VehicleMissionInfo): void {
    this.io.emit("mission:vehicle", info);
  }

  /** The open incidents changed (one created, edited, closed or reopened): every screen gets the whole list. */
  incidents(markers: IncidentMarker[]): void {
    this.io.emit("incidents:open", markers);
  }

  async close(): Promise<void> {
    if (this.joinTimer) clearTimeout(this.joinTimer);
    this.joinTimer = null;
    this.sendEvents();
    for (const immediate of this.trailSends) clearImmediate(immediate);
    this.trailSends.clear();
    if (this.timer) clearInterval(this.timer);
    if (this.linkTimer) clearInterval(this.linkTimer);
    if (this.revalidateTimer) clearInterval(this.revalidateTimer);
    this.revalidateTimer = null;
    this.timer = null;
    this.linkTimer = null;
    await this.io.close();
  }
}
