/**
 * The "/replay" namespace's own rules (handshake roles, payload schemas, one session per socket, audit), on a
 * real Socket.IO server and client. ReplaySessions is replaced by an in-test double (ReplaySessionsDouble): the
 * sessions themselves are tested beside their code and, with this namespace, in test/integration/replay.test.ts.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { Server } from "socket.io";
import { io as connectTo } from "socket.io-client";
import type { Socket as ClientSocket } from "socket.io-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditInput } from "../audit";
import type {
  InterServerEvents, ReplayClientEvents, ReplayControl, ReplayInfo, ReplayOpenRequest, ReplayServerEvents, ReplayState, Result, Role,
  SocketData,
} from "../protocol";
import { fail, ok } from "../protocol";
import type { ReplayHandle, ReplaySink } from "./sessions";
import { attachReplay } from "./socket";
import type { ReplayNamespace, ReplayOpener } from "./socket";

type Client = ClientSocket<ReplayServerEvents, ReplayClientEvents>;

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const stateAt = (time: number, playing = false): ReplayState => ({ playing, speed: 1, time, vehicleTime: {}, loop: null, ended: false });

/** Stands in for ReplaySessions: opens what it is asked (flight 404 is unknown), remembers every handle and sink. */
class ReplaySessionsDouble implements ReplayOpener {
  readonly opened: { user: string; req: ReplayOpenRequest; sink: ReplaySink; closed: boolean; controls: ReplayControl[] }[] = [];
  /** While set, opens wait for it: two opens can race. */
  gate: Promise<void> | null = null;
  /** Opens that have started (waiting at the gate or past it). */
  started = 0;

  async open(user: string, req: ReplayOpenRequest, sink: ReplaySink): Promise<Result<ReplayHandle>> {
    this.started += 1;
    if (this.gate) await this.gate;
    if (req.flights.includes(404)) return fail("not_found", "no flight 404");
    const entry = { user, req, sink, closed: false, controls: [] as ReplayControl[] };
    this.opened.push(entry);
    const info: ReplayInfo = { start: T0, end: T0 + 60_000, flights: [], marks: [], warnings: [`opened ${this.opened.length}`] };
    sink.snapshot({ time: T0, vehicles: [], links: [], trails: {}, control: {}, missions: {}, alerts: [] });
    return ok({
      info,
      control: (c) => {
        entry.controls.push(c);
        const s = stateAt(c.action === "seek" ? c.time : T0, c.action === "play");
        sink.state(s);
        return ok(s);
      },
      close: () => {
        entry.closed = true;
      },
    });
  }
}

let server: http.Server;
let io: Server;
let sessions: ReplaySessionsDouble;
let audit: AuditInput[];
let alive: boolean;
let endedHashes: string[];
const clients: Client[] = [];

/** Cookie "user=NAME;roles=a,b": the cookie check of the live server is not this file's subject. */
function authenticate(nsp: ReplayNamespace): void {
  nsp.use((socket, next) => {
    const m = /user=(\w+);roles=([\w,]+)/.exec(socket.request.headers.cookie ?? "");
    if (!m) {
      next(new Error("unauthenticated"));
      return;
    }
    socket.data.user = { name: m[1]!, roles: m[2]!.split(",") as Role[] };
    socket.data.sessionHash = `hash-${m[1]!}`;
    next();
  });
}

beforeEach(async () => {
  sessions = new ReplaySessionsDouble();
  audit = [];
  alive = true;
  endedHashes = [];
  server = http.createServer();
  io = new Server<ReplayClientEvents, ReplayServerEvents, InterServerEvents, SocketData>(server, { serveClient: false });
  const nsp = io.of("/replay") as unknown as ReplayNamespace;
  authenticate(nsp);
  attachReplay(nsp, {
    sessions,
    audit: { append: (e) => { audit.push(e); return Promise.resolve(); } },
    session: { alive: () => Promise.resolve(alive), ended: (hash) => endedHashes.push(hash) },
    log: pino({ level: "silent" }),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await io.close();
});

/** A connected client, or the handshake's refusal message. */
function connect(user: string, roles: Role[]): Promise<Client | string> {
  const port = (server.address() as AddressInfo).port;
  const client: Client = connectTo(`http://127.0.0.1:${port}/replay`, {
    transports: ["websocket"], reconnection: false, extraHeaders: { cookie: `user=${user};roles=${roles.join(",")}` },
  });
  clients.push(client);
  return new Promise((resolve) => {
    client.once("connect", () => resolve(client));
    client.once("connect_error", (err) => resolve(err.message));
  });
}

async function reviewer(name = "rita"): Promise<Client> {
  const c = await connect(name, ["reviewer"]);
  if (typeof c === "string") throw new Error(c);
  return c;
}

type Ack = Result<unknown>;
/** Emits any payload (the point is to send what the contract's types would not allow). */
function send(client: Client, event: keyof ReplayClientEvents, payload: unknown): Promise<Ack> {
  const emit = client.emit.bind(client) as unknown as (e: string, p: unknown, ack: (r: Ack) => void) => void;
  return new Promise((resolve) => emit(event, payload, resolve));
}

describe("the /replay namespace", () => {
  it("lets reviewers and admins in and refuses every other role at the handshake", async () => {
    expect(await connect("olga", ["observer"])).toBe("forbidden");
    expect(await connect("pia", ["pilot"])).toBe("forbidden");
    expect(await connect("pia", ["pilot", "observer"])).toBe("forbidden");
    expect(typeof (await connect("rita", ["reviewer"]))).toBe("object");
    expect(typeof (await connect("ada", ["admin"]))).toBe("object");
    expect(typeof (await connect("pia", ["pilot", "reviewer"]))).toBe("object");
  });

  it("answers a bad payload with bad_request, and reaches no session", async () => {
    const c = await reviewer();
    const bad: [keyof ReplayClientEvents, unknown][] = [
      ["replay:open", { flights: [] }],
      ["replay:open", { flights: ["1"] }],
      ["replay:open", { flights: [1, 2, 3, 4, 5, 6, 7, 8, 9] }],
      ["replay:open", { flights: [1, 1] }],
      ["replay:open", { flights: [1], at: "2026-11-21T10:14:03Z" }],
      ["replay:open", { flights: [1], user: "someone else" }],
      ["replay:open", null],
      ["replay:control", { action: "seek" }],
      ["replay:control", { action: "speed", speed: 3 }],
      ["replay:control", { action: "loop", range: { from: 10, to: 5 } }],
      ["replay:control", { action: "eject" }],
    ];
    for (const [event, payload] of bad) {
      expect(await send(c, event, payload), JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: "bad_request" } });
    }
    expect(sessions.opened).toEqual([]);
    expect(audit).toEqual([]);
  });

  it("opens a session with the socket as its sink, audits it, and passes controls to it", async () => {
    const c = await reviewer();
    const snapshots: number[] = [];
    const states: ReplayState[] = [];
    c.on("vehicles:snapshot", (s) => snapshots.push(s.time));
    c.on("replay:state", (s) => states.push(s));
    expect(await send(c, "replay:control", { action: "play" })).toMatchObject({ ok: false, error: { code: "not_open" } });
    const opened = await send(c, "replay:open", { flights: [3, 7], at: T0 + 1000, alignTakeoff: true });
    expect(opened).toEqual({ ok: true, value: { start: T0, end: T0 + 60_000, flights: [], marks: [], warnings: ["opened 1"] } });
    expect(sessions.opened[0]).toMatchObject({ user: "rita", req: { flights: [3, 7], at: T0 + 1000, alignTakeoff: true } });
    expect(audit).toEqual([{
      actor: "rita", address: expect.any(String), action: "replay_opened", target: "flight:3,flight:7", result: "ok",
      detail: { flights: [3, 7], alignTakeoff: true, at: T0 + 1000, warnings: ["opened 1"], sha256: [] },
    }]);
    expect(await send(c, "replay:control", { action: "speed", speed: "max" })).toMatchObject({ ok: true });
    expect(await send(c, "replay:control", { action: "seek", time: T0 + 5000 })).toEqual({ ok: true, value: stateAt(T0 + 5000) });
    expect(sessions.opened[0]!.controls).toEqual([{ action: "speed", speed: "max" }, { action: "seek", time: T0 + 5000 }]);
    // Each emit arrives before the acknowledgement that follows it on the same connection.
    expect(snapshots).toEqual([T0]);
    expect(states.map((s) => s.time)).toEqual([T0, T0 + 5000]);
  });

  it("passes a refusal on, audited with its code", async () => {
    const c = await reviewer();
    expect(await send(c, "replay:open", { flights: [404] })).toEqual({ ok: false, error: { code: "not_found", message: "no flight 404" } });
    expect(audit).toMatchObject([{ action: "replay_opened", target: "flight:404", result: "not_found" }]);
  });

  it("keeps one session per socket: a new open closes the previous one, whose events no longer reach the socket", async () => {
    const c = await reviewer();
    const snapshots: number[] = [];
    c.on("vehicles:snapshot", (s) => snapshots.push(s.time));
    await send(c, "replay:open", { flights: [1] });
    await send(c, "replay:open", { flights: [2] });
    const [first, second] = sessions.opened;
    expect(first!.closed).toBe(true);
    expect(second!.closed).toBe(false);
    first!.sink.snapshot({ time: 1, vehicles: [], links: [], trails: {}, control: {}, missions: {}, alerts: [] });
    expect(await send(c, "replay:control", { action: "play" })).toMatchObject({ ok: true });
    expect(second!.controls).toEqual([{ action: "play" }]);
    expect(first!.controls).toEqual([]);
    expect(snapshots).toEqual([T0, T0]);
  });

  it("closes what a slower open opened once a later open has replaced it", async () => {
    const c = await reviewer();
    let release = () => {};
    sessions.gate = new Promise<void>((resolve) => { release = resolve; });
    const slow = send(c, "replay:open", { flights: [1] });
    const fast = send(c, "replay:open", { flights: [2] });
    // Both are in flight, the first one still waiting, when they are let through.
    await new Promise<void>((resolve) => {
      const check = () => (sessions.started === 2 ? resolve() : setImmediate(check));
      check();
    });
    release();
    expect(await slow).toMatchObject({ ok: false, error: { code: "superseded" } });
    expect(await fast).toMatchObject({ ok: true });
    expect(sessions.opened.map((o) => [o.req.flights[0], o.closed])).toEqual([[1, true], [2, false]]);
  });

  it("tells the socket when its session stops on its own (replay:closed)", async () => {
    const c = await reviewer();
    const closed = new Promise<string>((resolve) => c.once("replay:closed", resolve));
    await send(c, "replay:open", { flights: [1] });
    sessions.opened[0]!.sink.closed?.("a flight's file became unreadable");
    expect(await closed).toBe("a flight's file became unreadable");
  });

  it("closes the session when the socket disconnects", async () => {
    const c = await reviewer();
    await send(c, "replay:open", { flights: [1] });
    c.close();
    await new Promise<void>((resolve) => {
      const check = () => (sessions.opened[0]!.closed ? resolve() : setImmediate(check));
      check();
    });
    expect(sessions.opened[0]!.closed).toBe(true);
  });

  it("answers unauthenticated once the login session has ended, and ends it", async () => {
    const c = await reviewer("rob");
    alive = false;
    expect(await send(c, "replay:open", { flights: [1] })).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    expect(endedHashes).toEqual(["hash-rob"]);
    expect(sessions.opened).toEqual([]);
  });
});
