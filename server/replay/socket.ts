import type { Namespace, Socket } from "socket.io";
import type { Logger } from "pino";
import { z } from "zod";
import type { AuditInput } from "../audit";
import type {
  InterServerEvents, ReplayClientEvents, ReplayInfo, ReplayOpenRequest, ReplayServerEvents, ReplaySpeed, ReplayState, Result, Role, SocketData,
} from "../protocol";
import { REPLAY_MAX_FLIGHTS, REPLAY_SPEEDS, fail, ok } from "../protocol";
import type { ReplayHandle, ReplaySink } from "./sessions";
import { orderedChecks } from "../realtime";

export type ReplaySocket = Socket<ReplayClientEvents, ReplayServerEvents, InterServerEvents, SocketData>;
export type ReplayNamespace = Namespace<ReplayClientEvents, ReplayServerEvents, InterServerEvents, SocketData>;

/** The namespace of the reviewers' replay, on the live io server (same origin check, same session cookie). */
export const REPLAY_NAMESPACE = "/replay";
/** Replaying is reviewing the archive: the control room and pilots are refused at the handshake. */
export const REPLAY_ROLES: readonly Role[] = ["reviewer", "admin"];

const flightId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** UTC ms; the largest value a Date holds. */
const utcMs = z.number().finite().min(0).max(8.64e15);

export const replayOpenSchema = z.object({
  flights: z.array(flightId).min(1).max(REPLAY_MAX_FLIGHTS)
    .refine((ids) => new Set(ids).size === ids.length, "each flight once"),
  at: utcMs.optional(),
  alignTakeoff: z.boolean().optional(),
}).strict();

const SPEEDS: readonly unknown[] = [...REPLAY_SPEEDS, "max"];
const speed = z.custom<ReplaySpeed>((v) => SPEEDS.includes(v), { message: `one of ${SPEEDS.join(", ")}` });

export const replayControlSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("play") }).strict(),
  z.object({ action: z.literal("pause") }).strict(),
  z.object({ action: z.literal("speed"), speed }).strict(),
  z.object({ action: z.literal("seek"), time: utcMs }).strict(),
  z.object({
    action: z.literal("loop"),
    range: z.object({ from: utcMs, to: utcMs }).strict().refine((r) => r.from < r.to, "from must be before to").nullable(),
  }).strict(),
]);

/** What the namespace needs of the replay sessions (ReplaySessions in sessions.ts). */
export interface ReplayOpener {
  open(user: string, req: ReplayOpenRequest, sink: ReplaySink): Promise<Result<ReplayHandle>>;
}

export interface ReplaySocketDeps {
  sessions: ReplayOpener;
  audit: { append(entry: AuditInput): Promise<unknown> };
  /**
   * Each request is a use of the login session and must not outlive it: `alive` checks (and counts the use),
   * `ended` ends the session's sockets everywhere (the live server's endSessions).
   */
  session: { alive(sessionHash: string): Promise<boolean>; ended(sessionHash: string): void };
  log: Logger;
}

const issues = (error: z.ZodError) =>
  error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");

/** Refuses at the handshake whoever may not replay; runs after the cookie check, which set the user. */
export function replayRoleCheck(socket: ReplaySocket, next: (err?: Error) => void): void {
  const roles = socket.data.user.roles;
  next(REPLAY_ROLES.some((r) => roles.includes(r)) ? undefined : new Error("forbidden"));
}

/** Serves the reviewers' replay on its namespace: one session per socket, the socket's emit as its sink. */
export function attachReplay(nsp: ReplayNamespace, deps: ReplaySocketDeps): void {
  nsp.use(replayRoleCheck);
  nsp.on("connection", (socket) => new ReplayConnection(socket, deps).listen());
}

/** Sends a session's events to its socket, as long as that session is the socket's current one. */
function sinkOf(socket: ReplaySocket, current: () => boolean): ReplaySink {
  const emit: ReplaySocket["emit"] = (...args) => (current() ? socket.emit(...args) : false);
  return {
    snapshot: (s) => emit("vehicles:snapshot", s),
    frame: (f) => emit("vehicles:frame", f),
    statusText: (e) => emit("vehicle:statustext", e),
    link: (e) => emit("vehicle:link", e),
    event: (e) => emit("vehicle:event", e),
    alert: (a) => emit("alert", a),
    mission: (m) => emit("mission:vehicle", m),
    state: (s) => emit("replay:state", s),
    closed: (reason) => emit("replay:closed", reason),
  };
}

/** One socket: at most one session; a new open replaces it, a disconnect closes it. */
class ReplayConnection {
  private handle: ReplayHandle | null = null;
  /** Bumped by every open and by the disconnect: a slower open that lost the race closes what it opened. */
  private generation = 0;
  private gone = false;

  /** This socket's session checks, ending in the order its requests came. */
  private readonly checks = orderedChecks(() => this.deps.session.alive(this.socket.data.sessionHash));

  constructor(private readonly socket: ReplaySocket, private readonly deps: ReplaySocketDeps) {}

  listen(): void {
    const { socket } = this;
    socket.on("replay:open", (payload, ack) => this.request(ack, () => this.open(payload)));
    socket.on("replay:control", (payload, ack) => this.request(ack, () => this.control(payload)));
    socket.on("disconnect", () => {
      this.gone = true;
      this.replace();
    });
  }

  /** The checks every request passes: an acknowledgement to answer, a live session; then the handler, errors caught. */
  private request<T>(ack: unknown, handler: () => Result<T> | Promise<Result<T>>): void {
    // Every request of the contract is answered: one without an acknowledgement is not a client of ours.
    if (typeof ack !== "function") return;
    const reply = ack as (result: Result<T>) => void;
    const hash = this.socket.data.sessionHash;
    // In the order the requests came (a seek, then play), whatever order the session checks end in.
    this.checks().then((alive) => {
      if (!alive) {
        reply(fail("unauthenticated", "your session has ended: sign in again"));
        this.deps.session.ended(hash);
        return;
      }
      Promise.resolve().then(handler).then(reply, (err: unknown) => {
        this.deps.log.error({ err, user: this.socket.data.user.name }, "replay request failed");
        reply(fail("internal", "internal server error"));
      });
    }, (err: unknown) => {
      this.deps.log.error({ err, user: this.socket.data.user.name }, "session check failed");
      reply(fail("internal", "the session could not be checked: try again"));
    });
  }

  private replace(next: ReplayHandle | null = null): void {
    this.handle?.close();
    this.handle = next;
  }

  private async open(payload: unknown): Promise<Result<ReplayInfo>> {
    const parsed = replayOpenSchema.safeParse(payload);
    if (!parsed.success) return fail("bad_request", issues(parsed.error));
    const req: ReplayOpenRequest = parsed.data;
    // The previous session stops now: its events must not mix with the next one's.
    const generation = ++this.generation;
    this.replace();
    const user = this.socket.data.user.name;
    const result = await this.deps.sessions.open(user, req, sinkOf(this.socket, () => this.generation === generation && !this.gone));
    try {
      await this.audit(req, result);
    } catch (err) {
      // Not recorded, not served: the replay opened for nothing is closed.
      if (result.ok) result.value.close();
      throw err;
    }
    if (!result.ok) return result;
    if (this.generation !== generation || this.gone) {
      result.value.close();
      return fail("superseded", this.gone ? "the connection closed" : "another replay was opened on this connection");
    }
    this.replace(result.value);
    return ok(result.value.info);
  }

  private control(payload: unknown): Result<ReplayState> {
    const parsed = replayControlSchema.safeParse(payload);
    if (!parsed.success) return fail("bad_request", issues(parsed.error));
    if (this.handle === null) return fail("not_open", "open a replay first (replay:open)");
    return this.handle.control(parsed.data);
  }

  /** Every replay opened, or refused, is an access to evidence: who, from where, which flights, what came of it. */
  private async audit(req: ReplayOpenRequest, result: Result<ReplayHandle>): Promise<void> {
    const info = result.ok ? result.value.info : null;
    await this.deps.audit.append({
      actor: this.socket.data.user.name,
      address: this.socket.handshake.address,
      action: "replay_opened",
      target: req.flights.map((id) => `flight:${id}`).join(","),
      result: result.ok ? "ok" : result.error.code,
      detail: {
        flights: req.flights,
        alignTakeoff: req.alignTakeoff ?? false,
        ...(req.at !== undefined ? { at: req.at } : {}),
        ...(info ? { warnings: info.warnings, sha256: info.flights.map((f) => f.sha256) } : {}),
      },
    });
  }
}
