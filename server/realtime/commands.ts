import type { Socket } from "socket.io";
import type { Logger } from "pino";
import type {
  ClientToServerEvents, CommandProgressEvent, InterServerEvents, Result, ServerToClientEvents, SessionUser, SocketData,
  VehicleKey,
} from "../protocol";
import { fail } from "../protocol";
import { CLIENT_EVENTS, COMMAND_ACCESS } from "./access";

type Event = keyof ClientToServerEvents;
type Payload<E extends Event> = Parameters<ClientToServerEvents[E]>[0];
type Ack<E extends Event> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** Who sent an event: the socket's user and session, and their address (for the audit log). */
export interface Caller {
  user: SessionUser;
  sessionHash: string;
  address: string;
  /** Tells the sender alone how its command progresses (IN_PROGRESS acks). */
  progress(event: CommandProgressEvent): void;
  /** Sends the sender's screen the detail of these vehicles from now on (and of no others); returns them. */
  watch(keys: readonly VehicleKey[]): VehicleKey[];
}

/** One handler per client-to-server event; it runs only for the roles in COMMAND_ACCESS, with a parsed payload. */
export type CommandHandlers = { [E in Event]: (payload: Payload<E>, caller: Caller) => Ack<E> | Promise<Ack<E>> };

export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * Registers every event of the access table on a socket, behind the role check and the payload schema.
 * An event without an acknowledgement callback is dropped: every request in the contract is answered.
 */
export function attachCommands(
  socket: LiveSocket,
  handlers: CommandHandlers,
  session: { alive(sessionHash: string): Promise<boolean>; ended(sessionHash: string): void },
  log: Logger,
  watch: (socket: LiveSocket, keys: readonly VehicleKey[]) => VehicleKey[],
): void {
  // The table's events are registered generically; each one's types are checked by CommandHandlers.
  const on = socket.on.bind(socket) as unknown as (event: string, fn: (payload: unknown, ack: unknown) => void) => void;
  const inOrder = orderedChecks(() => session.alive(socket.data.sessionHash));
  for (const event of CLIENT_EVENTS) {
    on(event, (payload, ack) => {
      if (typeof ack !== "function") return;
      const reply = ack as (result: Result<unknown>) => void;
      // Each request is a use of the session, and must not outlive it by up to one periodic check. The checks
      // of one socket end in the order its requests came, so its handlers start in that order ("mode", then "arm").
      inOrder().then((alive) => {
        if (!alive) {
          reply(fail("unauthenticated", "your session has ended: sign in again"));
          session.ended(socket.data.sessionHash);
          return;
        }
        handle(event, payload, reply);
      }, (err: unknown) => {
        log.error({ err, event }, "session check failed");
        reply(fail("internal", "the session could not be checked: try again"));
      });
    });
  }

  function handle(event: (typeof CLIENT_EVENTS)[number], payload: unknown, reply: (result: Result<unknown>) => void): void {
    const access = COMMAND_ACCESS[event];
    const user = socket.data.user;
    if (!access.roles.some((r) => user.roles.includes(r))) {
      reply(fail("forbidden", `needs role ${access.roles.join(" or ")}`));
      return;
    }
    const parsed = access.schema.safeParse(payload);
    if (!parsed.success) {
      reply(fail("bad_request", parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ")));
      return;
    }
    const caller: Caller = {
      user, sessionHash: socket.data.sessionHash, address: socket.handshake.address,
      progress: (e) => socket.emit("command:progress", e),
      watch: (keys) => watch(socket, keys),
    };
    const handler = handlers[event] as (p: unknown, c: Caller) => Result<unknown> | Promise<Result<unknown>>;
    Promise.resolve()
      .then(() => handler(parsed.data, caller))
      .then(reply, (err: unknown) => {
        log.error({ err, event, user: user.name }, "event handler failed");
        reply(fail("internal", "internal server error"));
      });
  }
}

/**
 * Runs `check` for each request of one socket, each starting when the one before it has ended: with the session
 * store on PostgreSQL, checks started together could otherwise end, and their requests start, in another order.
 */
export function orderedChecks(check: () => Promise<boolean>): () => Promise<boolean> {
  let last: Promise<unknown> = Promise.resolve();
  return () => {
    const next = last.then(check);
    last = next.catch(() => undefined);
    return next;
  };
}
