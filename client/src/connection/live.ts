import type { ConnectionState, LiveEvent } from "../store";
import { animationFrameScheduler, type Scheduler } from "./scheduler";
import type { LiveSocket, LiveSocketEvents } from "./socket";
import type { BatchedEvent, TrailPoint, TrailsPart, VehicleKey } from "../../../server/protocol";
import { unpackTrail } from "../../../server/protocol";

export interface LiveConnectionOptions {
  socket: LiveSocket;
  /** Receives each batch of buffered events, in arrival order (the store's applyEvents). */
  apply: (events: readonly LiveEvent[]) => void;
  /** When to flush the buffer; the animation frame by default, a manual one in tests. */
  schedule?: Scheduler;
  now?: () => number;
  /**
   * The server ended this session ("session:ended"), or refused the handshake for want of one: called at
   * once, not buffered, so the caller can stop the connection and return to the login page.
   */
  onSessionEnded?: (reason: string) => void;
  /** Runs `task` after `ms` (setTimeout by default, a manual one in tests); returns its cancel. */
  after?: (ms: number, task: () => void) => () => void;
}

export interface LiveConnection {
  /** Detaches every listener, drops what is buffered and disconnects the socket. */
  stop(): void;
}

/** socket.io reconnects by itself except after these two reasons (a deliberate disconnect on either side). */
const FINAL_REASONS = new Set(["io server disconnect", "io client disconnect"]);

const READABLE_REASONS: Record<string, string> = {
  "io server disconnect": "closed by the server",
  "io client disconnect": "closed by this client",
  "ping timeout": "server not answering",
  "transport close": "connection closed",
  "transport error": "connection error",
  "parse error": "bad data from the server",
};

/**
 * Wires a socket to the store. Events are buffered as they arrive and handed over in one batch per
 * animation frame: with tens of vehicles and a 20 Hz tick, applying each event at once would
 * re-render the map and the list far more often than the screen can paint.
 */
/** The handshake refusal the server sends without a valid session. */
const UNAUTHENTICATED = "unauthenticated";
/**
 * The server could not check the session (its database did not answer). socket.io does not retry a refused
 * handshake by itself: this connection does, after 2 s and then up to every 30 s, until it is let in or refused.
 */
const UNAVAILABLE = "unavailable";
export const RETRY_FIRST_MS = 2_000;
export const RETRY_MAX_MS = 30_000;

const timeout = (ms: number, task: () => void): (() => void) => {
  const t = setTimeout(task, ms);
  return () => clearTimeout(t);
};

/** One event of a "vehicles:events" batch, as the store takes it (the same as when each came alone). */
function fromBatch(e: BatchedEvent, receivedAt: number): LiveEvent {
  switch (e.kind) {
    case "statustext": return { kind: "statustext", event: e.event, receivedAt };
    case "link": return { kind: "link", event: e.event, receivedAt };
    case "vehicle": return { kind: "vehicleEvent", event: e.event };
    case "alert": return { kind: "alert", alert: e.alert };
    case "missionProgress": return { kind: "missionProgress", event: e.event };
  }
}

function unpackTrails(part: TrailsPart): Record<VehicleKey, TrailPoint[]> {
  const out: Record<VehicleKey, TrailPoint[]> = {};
  for (const [key, packed] of Object.entries(part.trails) as [VehicleKey, number[]][]) out[key] = unpackTrail(packed);
  return out;
}

export function startLiveConnection({
  socket,
  apply,
  schedule = animationFrameScheduler(),
  now = Date.now,
  onSessionEnded,
  after = timeout,
}: LiveConnectionOptions): LiveConnection {
  let buffer: LiveEvent[] = [];
  let cancel: (() => void) | null = null;
  let retry: (() => void) | null = null;
  let retryMs = RETRY_FIRST_MS;

  const flush = () => {
    cancel = null;
    const batch = buffer;
    buffer = [];
    apply(batch);
  };
  const push = (event: LiveEvent) => {
    buffer.push(event);
    cancel ??= schedule(flush);
  };
  const connection = (state: ConnectionState) => push({ kind: "connection", connection: state });

  const handlers: { [E in keyof LiveSocketEvents]: LiveSocketEvents[E] } = {
    connect: () => {
      retryMs = RETRY_FIRST_MS;
      connection({ status: "connected", since: now() });
    },
    disconnect: (reason) =>
      connection({
        status: "disconnected",
        reason: READABLE_REASONS[reason] ?? reason,
        since: now(),
        willReconnect: socket.active ?? !FINAL_REASONS.has(reason),
      }),
    connect_error: (error) => {
      if (error.message === UNAUTHENTICATED && onSessionEnded) return onSessionEnded("not signed in");
      const again = error.message === UNAVAILABLE && socket.active !== true;
      if (again && retry === null) {
        retry = after(retryMs, () => {
          retry = null;
          socket.connect();
        });
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
      const reason = again ? "the server cannot check the session now" : error.message || "cannot connect";
      connection({ status: "disconnected", reason, since: now(), willReconnect: again || (socket.active ?? true) });
    },
    "vehicles:snapshot": (snapshot) => push({ kind: "snapshot", snapshot, receivedAt: now() }),
    "vehicles:trails": (part) => push({ kind: "trails", trails: unpackTrails(part) }),
    "vehicles:frame": (frame) => push({ kind: "frame", frame, receivedAt: now() }),
    "vehicles:detail": (frame) => push({ kind: "detail", frame }),
    "vehicles:events": (events) => {
      const receivedAt = now();
      for (const e of events) push(fromBatch(e, receivedAt));
    },
    "vehicle:statustext": (event) => push({ kind: "statustext", event, receivedAt: now() }),
    "vehicle:link": (event) => push({ kind: "link", event, receivedAt: now() }),
    "vehicle:event": (event) => push({ kind: "vehicleEvent", event }),
    "links:status": (links) => push({ kind: "links", links, receivedAt: now() }),
    "control:state": (control) => push({ kind: "control", control }),
    "alert": (alert) => push({ kind: "alert", alert }),
    "mission:vehicle": (info) => push({ kind: "missionVehicle", info }),
    "command:progress": (event) => push({ kind: "commandProgress", event }),
    "incidents:open": (incidents) => push({ kind: "incidents", incidents }),
    "session:ended": (reason) => onSessionEnded?.(reason),
  };

  const names = Object.keys(handlers) as (keyof LiveSocketEvents)[];
  for (const name of names) socket.on(name, handlers[name]);
  socket.connect();

  return {
    stop() {
      for (const name of names) socket.off(name, handlers[name]);
      cancel?.();
      cancel = null;
      retry?.();
      retry = null;
      buffer = [];
      socket.disconnect();
    },
  };
}
