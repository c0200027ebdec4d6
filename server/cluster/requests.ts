import type { Logger } from "pino";
import { z } from "zod";
import type { AuditLog } from "../audit";
import type { SessionMatch } from "../control";
import type { ClientToServerEvents, CommandProgressEvent, Result, VehicleKey } from "../protocol";
import { fail, ROLES } from "../protocol";
import { COMMAND_ACCESS } from "../realtime";
import type { Caller, CommandHandlers } from "../realtime";
import { readMessage } from "./wire";

/** Each server's own channel: requests for the vehicles it has, and replies to those it asked. */
export const SERVER_CHANNEL_PREFIX = "dmc:server:";
/**
 * What one server tells all the others: sessions ended (logout, a user disabled: every server lets go of what was
 * held in them), an alert acknowledged (every server's copy of it is acknowledged).
 */
export const BROADCAST_CHANNEL = "dmc:broadcast";
/**
 * How long an answer is waited for at most. A command waits up to 30 s for the vehicle's progress and a mission
 * transfer longer; a server that goes away is noticed sooner (SERVER_GONE_MS) and its requests fail then.
 */
export const REQUEST_TIMEOUT_MS = 5 * 60_000;
/** Requests waiting for another server's answer, and requests being served for the others, at most each. */
export const MAX_PENDING = 256;
export const MAX_SERVING = 256;
/** A mission plan is the largest payload; beyond this a message is refused unread. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** The events about one vehicle: they run on the server that has the vehicle's link, which holds its control. */
export const ROUTED_EVENTS = [
  "control:take", "control:release", "control:override", "vehicle:command", "mission:upload", "mission:download", "mission:clear",
] as const satisfies readonly (keyof ClientToServerEvents)[];
type Routed = (typeof ROUTED_EVENTS)[number];

/** What a refused delivery is audited as (the other routed events are not audited when refused locally either). */
const REFUSAL_ACTION: Partial<Record<Routed, "command_refused" | "mission_upload_refused" | "mission_clear_refused">> = {
  "vehicle:command": "command_refused", "mission:upload": "mission_upload_refused", "mission:clear": "mission_clear_refused",
};

const serverName = z.string().min(1).max(64);
const callerSchema = z.object({
  user: z.object({ name: z.string().min(1).max(200), roles: z.array(z.enum(ROLES as [string, ...string[]])).max(8) }),
  sessionHash: z.string().min(1).max(200),
  address: z.string().max(200),
}).strict();
const resultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string().max(64), message: z.string().max(2000) }) }),
]);
const wireSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("request"), from: serverName, id: z.number().int().nonnegative(), event: z.enum(ROUTED_EVENTS),
    payload: z.unknown(), caller: callerSchema }),
  z.object({ kind: z.literal("progress"), from: serverName, id: z.number().int().nonnegative(),
    progress: z.number().min(0).max(100).nullable() }),
  z.object({ kind: z.literal("reply"), from: serverName, id: z.number().int().nonnegative(), result: resultSchema }),
]);
type Wire = z.infer<typeof wireSchema>;
const broadcastSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("sessions-ended"),
    from: serverName,
    match: z.union([z.object({ sessionHash: z.string().min(1).max(200) }).strict(), z.object({ user: z.string().min(1).max(200) }).strict()]),
    reason: z.string().max(200),
  }),
  z.object({
    kind: z.literal("alert-acknowledged"),
    from: serverName,
    id: z.number().int().positive(),
    by: z.string().min(1).max(200),
    at: z.number(),
  }),
]);
type Broadcast = z.infer<typeof broadcastSchema>;

interface Pending {
  server: string;
  timer: NodeJS.Timeout;
  resolve(result: Result<unknown>): void;
  progress(progress: number | null): void;
}

export interface RequestStats {
  /** Requests sent to the server that has the vehicle, since start. */
  forwarded: number;
  /** Requests from other servers run here, since start. */
  served: number;
  /** Waiting for another server's answer now. */
  pending: number;
  /** Forwarded requests that got no answer (server gone, Redis away, timeout) or could not be sent. */
  failed: number;
  /** Messages refused since start (unreadable, too long, over the bounds). */
  refused: number;
}

/** Where a vehicle's link is: this server, another server, or nowhere known (then it runs here, and is not found). */
export type Locate = (key: VehicleKey) => "here" | { server: string } | null;

export interface ClusterRequestDeps {
  /** Publishes on a channel; resolves to how many servers listen there (0: the server is not there). */
  publish(channel: string, message: string): Promise<number>;
  audit: Pick<AuditLog, "record">;
  log: Logger;
  timeoutMs?: number;
}

/**
 * Requests about a vehicle reach the server that has its link, and their answers come back. A pilot's screen may be
 * connected to any server: taking control, a command, a mission transfer go to the one server whose link hears the
 * vehicle. It holds the vehicle's control (so control is unique across the deployment), runs the same checks, sends
 * to the vehicle, audits, and answers; a command's progress comes back as it happens. Each server listens on its own
 * channel. The asking server has checked the session, the role and the payload; the serving one checks the role and
 * the payload again before acting. Both sides are bounded, and what is refused is counted.
 */
export class ClusterRequests {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private serving = 0;
  private local: CommandHandlers | null = null;
  private ended: ((match: SessionMatch, reason: string) => void) | null = null;
  private acknowledged: ((id: number, by: string, at: number) => void) | null = null;
  private readonly counts = { forwarded: 0, served: 0, failed: 0, refused: 0 };

  constructor(readonly server: string, private readonly deps: ClusterRequestDeps) {}

  /** The channel this server listens on for requests and replies. */
  get channel(): string {
    return SERVER_CHANNEL_PREFIX + this.server;
  }

  /**
   * The live events' handlers, with those about a vehicle that another server has sent there. `local` also serves
   * the other servers' requests.
   */
  route(local: CommandHandlers, locate: Locate): CommandHandlers {
    this.local = local;
    const routed = { ...local };
    for (const event of ROUTED_EVENTS) {
      const run = local[event] as (payload: { key: VehicleKey }, caller: Caller) => Result<unknown> | Promise<Result<unknown>>;
      const handler = (payload: { key: VehicleKey }, caller: Caller): Result<unknown> | Promise<Result<unknown>> => {
        const where = locate(payload.key);
        if (where === null || where === "here") return run(payload, caller);
        return this.ask(where.server, event, payload, caller);
      };
      (routed as Record<Routed, unknown>)[event] = handler;
    }
    // Acknowledged here (alerts are in the shared database): the other servers' copies of it are acknowledged too.
    routed["alert:ack"] = async (payload, caller) => {
      const result = await local["alert:ack"](payload, caller);
      if (result.ok && result.value.acknowledgedBy !== null && result.value.acknowledgedAt !== null) {
        this.broadcast({ kind: "alert-acknowledged", from: this.server, id: result.value.id, by: result.value.acknowledgedBy, at: result.value.acknowledgedAt });
      }
      return result;
    };
    return routed;
  }

  /** What to do when another server says sessions ended (release what was held in them here). */
  onSessionsEnded(handler: (match: SessionMatch, reason: string) => void): void {
    this.ended = handler;
  }

  /** What to do when another server says an alert was acknowledged (this server's copy of it is acknowledged). */
  onAlertAcknowledged(handler: (id: number, by: string, at: number) => void): void {
    this.acknowledged = handler;
  }

  /** Tells the other servers that sessions ended. Best effort: each server's own session checks catch what is lost. */
  sessionsEnded(match: SessionMatch, reason: string): void {
    this.broadcast({ kind: "sessions-ended", from: this.server, match, reason });
  }

  private broadcast(message: Broadcast): void {
    this.deps.publish(BROADCAST_CHANNEL, JSON.stringify(message)).catch((err: unknown) => {
      this.deps.log.warn({ err, kind: message.kind }, "not told to the other servers (Redis away): their own checks catch up");
    });
  }

  /** A message on this server's channel or on the sessions channel. */
  receive(channel: string, raw: string): void {
    if (channel === BROADCAST_CHANNEL) {
      this.receiveBroadcast(raw);
      return;
    }
    const read = readMessage(wireSchema, raw, MAX_REQUEST_BYTES);
    if (!read.ok) {
      this.refuse(read.why);
      return;
    }
    const message = read.value;
    if (message.kind === "request") {
      this.serve(message);
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending || pending.server !== message.from) return;
    if (message.kind === "progress") {
      pending.progress(message.progress);
      return;
    }
    this.settle(message.id, message.result as Result<unknown>);
  }

  /** Another server went away (stopped, or silent): what it was asked will not be answered. */
  serverGone(server: string): void {
    for (const [id, p] of this.pending) {
      if (p.server !== server) continue;
      this.counts.failed += 1;
      this.settle(id, fail("unavailable", "the server that had the vehicle's link went away before answering: the outcome is unknown, check the vehicle"));
    }
  }

  stats(): RequestStats {
    return { ...this.counts, pending: this.pending.size };
  }

  /** Fails whatever still waits (this server stops). */
  close(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, fail("unavailable", "this server is stopping"));
  }

  private ask(server: string, event: Routed, payload: { key: VehicleKey }, caller: Caller): Promise<Result<unknown>> {
    const refused = (code: string, message: string): Result<unknown> => {
      this.counts.failed += 1;
      const action = REFUSAL_ACTION[event];
      if (action) {
        this.deps.audit.record({ actor: caller.user.name, address: caller.address, action, target: payload.key, result: "not_sent",
          detail: { reason: message, server } });
      }
      return fail(code, message);
    };
    if (this.pending.size >= MAX_PENDING) {
      return Promise.resolve(refused("busy", "too many requests are waiting for other servers: try again"));
    }
    const id = this.nextId++;
    const message: Wire = {
      kind: "request", from: this.server, id, event, payload,
      caller: { user: { name: caller.user.name, roles: [...caller.user.roles] }, sessionHash: caller.sessionHash, address: caller.address },
    };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.counts.failed += 1;
        this.settle(id, fail("timeout", "the server that has the vehicle's link did not answer in time: the outcome is unknown, check the vehicle"));
      }, this.deps.timeoutMs ?? REQUEST_TIMEOUT_MS);
      this.pending.set(id, {
        server, timer, resolve,
        progress: (progress) => {
          if (event === "vehicle:command") {
            const command = (payload as Parameters<ClientToServerEvents["vehicle:command"]>[0]).command.kind;
            caller.progress({ key: payload.key, command, progress } satisfies CommandProgressEvent);
          }
        },
      });
      this.counts.forwarded += 1;
      this.deps.publish(SERVER_CHANNEL_PREFIX + server, JSON.stringify(message)).then((listeners) => {
        if (listeners > 0 || !this.pending.has(id)) return;
        this.drop(id);
        resolve(refused("unavailable", "the server that has the vehicle's link cannot be reached: nothing was sent"));
      }, (err: unknown) => {
        if (!this.pending.has(id)) return;
        this.drop(id);
        this.deps.log.warn({ err, server, event }, "request not sent to the server that has the vehicle");
        resolve(refused("unavailable", "the deployment's message bus (Redis) cannot be reached: nothing was sent"));
      });
    });
  }

  private serve(message: Extract<Wire, { kind: "request" }>): void {
    const reply = (result: Result<unknown>) => this.send(message.from, { kind: "reply", from: this.server, id: message.id, result });
    const local = this.local;
    if (!local) {
      reply(fail("unavailable", "the server that has the vehicle's link is still starting: try again"));
      return;
    }
    if (this.serving >= MAX_SERVING) {
      this.refuse("too many requests being served");
      reply(fail("busy", "the server that has the vehicle's link is busy: try again"));
      return;
    }
    const access = COMMAND_ACCESS[message.event];
    const user = { name: message.caller.user.name, roles: message.caller.user.roles as Caller["user"]["roles"] };
    if (!access.roles.some((r) => user.roles.includes(r))) {
      reply(fail("forbidden", `needs role ${access.roles.join(" or ")}`));
      return;
    }
    const payload = access.schema.safeParse(message.payload);
    if (!payload.success) {
      this.refuse("request payload does not parse");
      reply(fail("bad_request", payload.error.issues[0]?.message ?? "bad request"));
      return;
    }
    const caller: Caller = {
      user, sessionHash: message.caller.sessionHash, address: message.caller.address,
      progress: (event) => this.send(message.from, { kind: "progress", from: this.server, id: message.id, progress: event.progress }),
      // Watching is per screen, on the screen's own server: never asked of another.
      watch: () => [],
    };
    const handler = local[message.event] as (p: unknown, c: Caller) => Result<unknown> | Promise<Result<unknown>>;
    this.serving += 1;
    this.counts.served += 1;
    Promise.resolve()
      .then(() => handler(payload.data, caller))
      .then(reply, (err: unknown) => {
        this.deps.log.error({ err, event: message.event, from: message.from }, "request from another server failed");
        reply(fail("internal", "internal server error"));
      })
      .finally(() => { this.serving -= 1; });
  }

  private send(server: string, message: Wire): void {
    this.deps.publish(SERVER_CHANNEL_PREFIX + server, JSON.stringify(message)).catch((err: unknown) => {
      this.deps.log.warn({ err, server, kind: message.kind }, "answer to another server not sent: it will time out there");
    });
  }

  private receiveBroadcast(raw: string): void {
    const read = readMessage(broadcastSchema, raw, MAX_REQUEST_BYTES);
    if (!read.ok) {
      this.refuse(read.why);
      return;
    }
    const parsed = read.value;
    if (parsed.from === this.server) return;
    if (parsed.kind === "sessions-ended") this.ended?.(parsed.match, parsed.reason);
    else this.acknowledged?.(parsed.id, parsed.by, parsed.at);
  }

  private settle(id: number, result: Result<unknown>): void {
    const p = this.drop(id);
    p?.resolve(result);
  }

  private drop(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }

  private refuse(why: string): void {
    this.counts.refused += 1;
    if (this.counts.refused === 1 || this.counts.refused % 1000 === 0) {
      this.deps.log.warn({ why, refused: this.counts.refused }, "message from another server refused");
    }
  }
}
