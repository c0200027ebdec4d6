import type { IncomingMessage, Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Logger } from "pino";
import type {
  ClientToServerEvents, InterServerEvents, LinkEvent, LinkStatus, ServerToClientEvents, Snapshot, SocketData,
  StatusTextEvent, VehicleState,
} from "../protocol";

/** What the realtime server reads from the rest of the system (injected, so tests can drive it). */
export interface LiveSource {
  now(): number;
  snapshot(time: number): VehicleState[];
  /** Vehicles changed since the previous call; also where lost vehicles are detected. */
  changed(time: number): VehicleState[];
  links(): LinkStatus[];
  trails(): Snapshot["trails"];
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * Streams live vehicle state to browsers: a snapshot on connect, then one coalesced frame per tick with
 * every vehicle that changed — never one message per MAVLink packet (a vehicle sends ~100 packets/s).
 * Status texts and link lost/regained are pushed as they happen; they are rare and urgent.
 */
export class RealtimeServer {
  readonly io: LiveServer;
  private timer: NodeJS.Timeout | null = null;
  private linkTimer: NodeJS.Timeout | null = null;
  private seq = 0;

  constructor(
    http: HttpServer,
    private readonly source: LiveSource,
    private readonly opts: { tickMs: number; refusal: (req: IncomingMessage) => string | null },
    private readonly log: Logger,
  ) {
    this.io = new Server(http, {
      serveClient: false,
      cors: { origin: false },
      // CORS does not cover WebSocket upgrades: any web page could otherwise read the live map.
      allowRequest: (req, callback) => {
        const refusal = opts.refusal(req);
        if (refusal !== null) this.log.warn({ origin: req.headers.origin, host: req.headers.host }, refusal);
        callback(refusal, refusal === null);
      },
    });
    this.io.on("connection", (socket) => {
      socket.data.connectedAt = source.now();
      this.log.debug({ id: socket.id, address: socket.handshake.address }, "client connected");
      const time = source.now();
      socket.emit("vehicles:snapshot", { time, vehicles: source.snapshot(time), links: source.links(), trails: source.trails() });
      socket.on("disconnect", (reason) => this.log.debug({ id: socket.id, reason }, "client disconnected"));
    });
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.opts.tickMs);
    this.linkTimer ??= setInterval(() => this.io.emit("links:status", this.source.links()), 1000);
  }

  /** One frame: every vehicle that changed since the last tick. Public for tests that drive the clock. */
  tick(): void {
    const time = this.source.now();
    const vehicles = this.source.changed(time);
    if (vehicles.length === 0) return;
    this.seq += 1;
    this.io.emit("vehicles:frame", { time, seq: this.seq, vehicles });
  }

  statusText(event: StatusTextEvent): void {
    this.io.emit("vehicle:statustext", event);
  }

  linkEvent(event: LinkEvent): void {
    this.io.emit("vehicle:link", event);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.linkTimer) clearInterval(this.linkTimer);
    this.timer = null;
    this.linkTimer = null;
    await this.io.close();
  }
}
