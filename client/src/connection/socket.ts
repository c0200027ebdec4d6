import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ReplayServerEvents, ServerToClientEvents } from "../../../server/protocol";

/**
 * The server's events plus the connection lifecycle events socket.io-client emits locally. The replay namespace is
 * read through the same layer: it sends status texts, link changes, timeline events and alerts one message each,
 * where the live one batches them ("vehicles:events").
 */
export type LiveSocketEvents = ServerToClientEvents
  & Pick<ReplayServerEvents, "vehicle:statustext" | "vehicle:link" | "vehicle:event" | "alert">
  & {
  connect: () => void;
  disconnect: (reason: string) => void;
  connect_error: (error: Error) => void;
};

/**
 * The part of a socket.io-client Socket the connection layer uses. Narrow on purpose, so tests can
 * pass a small test double instead of a real socket.
 */
export interface LiveSocket {
  on<E extends keyof LiveSocketEvents>(event: E, listener: LiveSocketEvents[E]): unknown;
  off<E extends keyof LiveSocketEvents>(event: E, listener: LiveSocketEvents[E]): unknown;
  connect(): unknown;
  disconnect(): unknown;
  /** True while socket.io-client will keep trying to (re)connect; absent on test doubles. */
  readonly active?: boolean;
}

export type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The real socket, same origin and default path (Vite proxies /socket.io in development), not connected
 * yet. Default transports on purpose: polling first, then upgrade, so it also works behind proxies that
 * block WebSocket.
 */
export function createSocket(): TypedSocket {
  return io({ autoConnect: false });
}

/** Untyped view of on/off, only for forwarding below. */
interface EmitterLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Views a typed socket.io-client Socket as a LiveSocket. Its on/off are declared over reserved and
 * user events with conditional types that no single generic signature matches, although the event maps
 * are the same ones; so they are forwarded through an untyped view here, in one place.
 */
export function asLiveSocket(socket: { connect(): unknown; disconnect(): unknown; readonly active: boolean }): LiveSocket {
  const emitter = socket as unknown as EmitterLike;
  return {
    on: (event, listener) => emitter.on(event, listener),
    off: (event, listener) => emitter.off(event, listener),
    connect: () => socket.connect(),
    disconnect: () => socket.disconnect(),
    get active() {
      return socket.active;
    },
  };
}

/** The vehicle requests a signed-in user can make over the socket, each acknowledged with a Result. */
export type ControlAction = "control:take" | "control:release" | "control:override";

/** How long a request waits for its acknowledgement before it is reported as unanswered. */
export const REQUEST_TIMEOUT_MS = 5000;
/**
 * Commands and mission transfers wait for the vehicle: a take-off is three confirmed steps of up to 4 tries of
 * 1.5 s each plus the heartbeat confirmations, an upload of 700 items over a slow radio takes minutes.
 */
export const VEHICLE_TIMEOUT_MS = 60_000;
export const TRANSFER_TIMEOUT_MS = 10 * 60_000;

export type Request = keyof ClientToServerEvents;
export type PayloadOf<E extends Request> = Parameters<ClientToServerEvents[E]>[0];
export type AckOf<E extends Request> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
/** Any acknowledged request over the live socket (what panels get, through the session). */
export type LiveCall = <E extends Request>(event: E, payload: PayloadOf<E>, timeoutMs?: number) => Promise<AckOf<E>>;

/** Sends one acknowledged request; a missing answer becomes a failed Result, so callers handle one shape. */
export async function requestOverSocket<E extends Request>(
  socket: TypedSocket, event: E, payload: PayloadOf<E>, timeoutMs: number = REQUEST_TIMEOUT_MS,
): Promise<AckOf<E>> {
  // socket.io-client's emitWithAck is typed over a union of events that no single generic signature matches.
  const timed = socket.timeout(timeoutMs);
  const emit = timed.emitWithAck.bind(timed) as unknown as (event: E, payload: PayloadOf<E>) => Promise<AckOf<E>>;
  try {
    return await emit(event, payload);
  } catch {
    return { ok: false, error: { code: "timeout", message: "no answer from the server" } } as AckOf<E>;
  }
}
