/**
 * Requests about a vehicle sent to the server that has its link, with Redis's channels played by an in-memory bus
 * (named as such: test/integration/cluster.test.ts runs them through a real redis-server with two real servers).
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { AuditInput } from "../audit";
import type { CommandProgressEvent, Result, Role, VehicleKey } from "../protocol";
import { fail, ok } from "../protocol";
import type { Caller, CommandHandlers } from "../realtime";
import { ClusterRequests, MAX_PENDING, BROADCAST_CHANNEL } from "./requests";
import type { Locate } from "./requests";

const log = pino({ level: "silent" });

/** An in-memory stand-in for Redis's publish and subscribe: delivery on a later turn, as over a socket. */
class FakeBus {
  private readonly subscribers = new Map<string, ((channel: string, raw: string) => void)[]>();
  readonly sent: { channel: string; raw: string }[] = [];
  held = false;
  private readonly heldBack: (() => void)[] = [];

  subscribe(channel: string, fn: (channel: string, raw: string) => void): void {
    this.subscribers.set(channel, [...this.subscribers.get(channel) ?? [], fn]);
  }

  unsubscribeAll(prefix: string): void {
    for (const channel of [...this.subscribers.keys()]) if (channel.startsWith(prefix)) this.subscribers.delete(channel);
  }

  publish(channel: string, raw: string): Promise<number> {
    this.sent.push({ channel, raw });
    const fns = this.subscribers.get(channel) ?? [];
    const deliver = () => { for (const fn of fns) fn(channel, raw); };
    if (this.held) this.heldBack.push(deliver);
    else setImmediate(deliver);
    return Promise.resolve(fns.length);
  }

  release(): void {
    this.held = false;
    for (const d of this.heldBack.splice(0)) d();
  }
}

function handlers(overrides: Partial<CommandHandlers> = {}): CommandHandlers & { calls: { event: string; who: string; address: string }[] } {
  const calls: { event: string; who: string; address: string }[] = [];
  const note = (event: string, c: Caller) => calls.push({ event, who: c.user.name, address: c.address });
  const base: CommandHandlers = {
    "vehicles:watch": (req) => ok({ keys: req.keys }),
    "control:take": (req, c) => { note("control:take", c); return ok({ holder: c.user.name, since: 1 }); },
    "control:release": (req, c) => { note("control:release", c); return ok({ holder: null, since: null }); },
    "control:override": (req, c) => { note("control:override", c); return ok({ holder: null, since: null }); },
    "vehicle:command": async (req, c) => {
      note("vehicle:command", c);
      c.progress({ key: req.key, command: req.command.kind, progress: 50 });
      await new Promise((r) => setImmediate(r));
      return ok({ result: "accepted", text: "Accepted by the vehicle", attempts: 1, vehicleTexts: [] });
    },
    "mission:upload": (req, c) => { note("mission:upload", c); return fail("not_holder", "take control first"); },
    "mission:download": (req, c) => { note("mission:download", c); return fail("not_found", "no mission"); },
    "mission:clear": (req, c) => { note("mission:clear", c); return fail("not_found", "no mission"); },
    "alert:ack": () => fail("not_found", "no alert"),
  };
  return Object.assign({ ...base, ...overrides }, { calls });
}

function server(name: string, bus: FakeBus, locate: Locate, local = handlers(), timeoutMs?: number) {
  const audited: AuditInput[] = [];
  const requests = new ClusterRequests(name, {
    publish: (channel, raw) => bus.publish(channel, raw),
    audit: { record: (input: AuditInput) => { audited.push(input); } },
    log, ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  bus.subscribe(requests.channel, (channel, raw) => requests.receive(channel, raw));
  bus.subscribe(BROADCAST_CHANNEL, (channel, raw) => requests.receive(channel, raw));
  return { requests, local, routed: requests.route(local, locate), audited };
}

function caller(name: string, roles: Role[] = ["pilot"], progress: CommandProgressEvent[] = []): Caller {
  return { user: { name, roles }, sessionHash: `hash-${name}`, address: "10.0.0.7", progress: (e) => progress.push(e), watch: (k) => [...k] };
}

/** Vehicle 1:1 is on server A; B's screens see it through the mirror. */
const onA = (here: string): Locate => (key: VehicleKey) => key !== "1:1" ? null : here === "A" ? "here" : { server: "A" };

describe("requests about a vehicle across servers", () => {
  it("runs a command on the server that has the vehicle, as the pilot who asked, and brings back its progress and answer", async () => {
    const bus = new FakeBus();
    const a = server("A", bus, onA("A"));
    const b = server("B", bus, onA("B"));
    const progress: CommandProgressEvent[] = [];
    const reply = await b.routed["vehicle:command"]({ key: "1:1", command: { kind: "speed", mps: 5 } }, caller("p1", ["pilot"], progress));
    expect(reply).toEqual(ok({ result: "accepted", text: "Accepted by the vehicle", attempts: 1, vehicleTexts: [] }));
    expect(progress).toEqual([{ key: "1:1", command: "speed", progress: 50 }]);
    // Run on A alone, with the pilot's name and address (A audits it), never on B.
    expect(a.local.calls).toEqual([{ event: "vehicle:command", who: "p1", address: "10.0.0.7" }]);
    expect(b.local.calls).toEqual([]);
    expect(b.requests.stats()).toMatchObject({ forwarded: 1, pending: 0, failed: 0 });
    expect(a.requests.stats()).toMatchObject({ served: 1, refused: 0 });
    // A vehicle here, or known nowhere, runs here.
    await a.routed["control:take"]({ key: "1:1" }, caller("p2"));
    await b.routed["control:take"]({ key: "9:9" }, caller("p2"));
    expect(a.local.calls.at(-1)).toMatchObject({ event: "control:take", who: "p2" });
    expect(b.local.calls).toEqual([{ event: "control:take", who: "p2", address: "10.0.0.7" }]);
    // What is not about a vehicle is never sent.
    expect(await b.routed["vehicles:watch"]({ keys: ["1:1"] }, caller("p1"))).toEqual(ok({ keys: ["1:1"] }));
    expect(b.requests.stats().forwarded).toBe(1);
  });

  it("checks the role and the payload again where the request is run", async () => {
    const bus = new FakeBus();
    const a = server("A", bus, onA("A"));
    const b = server("B", bus, onA("B"));
    expect(await b.routed["control:take"]({ key: "1:1" }, caller("olga", ["observer"])))
      .toEqual(fail("forbidden", "needs role pilot"));
    const wrong = { key: "1:1", command: { kind: "speed", mps: 500 } } as const;
    expect(await b.routed["vehicle:command"](wrong, caller("p1"))).toMatchObject({ ok: false, error: { code: "bad_request" } });
    expect(a.local.calls).toEqual([]);
    expect(a.requests.stats().refused).toBe(1);
  });

  it("says at once that nothing was sent when the vehicle's server is not listening, and audits the refusal", async () => {
    const bus = new FakeBus();
    const b = server("B", bus, onA("B"));
    const reply = await b.routed["vehicle:command"]({ key: "1:1", command: { kind: "land" } }, caller("p1"));
    expect(reply).toMatchObject({ ok: false, error: { code: "unavailable", message: expect.stringMatching(/nothing was sent/) } });
    expect(b.audited).toEqual([expect.objectContaining({ actor: "p1", action: "command_refused", target: "1:1", result: "not_sent",
      detail: expect.objectContaining({ server: "A" }) })]);
    expect(b.requests.stats()).toMatchObject({ failed: 1, pending: 0 });
  });

  it("fails what waits on a server that goes away, saying the outcome is unknown; and what waits too long", async () => {
    const bus = new FakeBus();
    server("A", bus, onA("A"), handlers({ "mission:download": () => new Promise<never>(() => undefined) }));
    const b = server("B", bus, onA("B"));
    const waiting = b.routed["mission:download"]({ key: "1:1" }, caller("p1"));
    await new Promise((r) => setTimeout(r, 20));
    expect(b.requests.stats().pending).toBe(1);
    b.requests.serverGone("C");
    expect(b.requests.stats().pending).toBe(1);
    b.requests.serverGone("A");
    expect(await waiting).toMatchObject({ ok: false, error: { code: "unavailable", message: expect.stringMatching(/outcome is unknown/) } });

    const c = server("C", bus, onA("C"), handlers(), 30);
    expect(await c.routed["mission:download"]({ key: "1:1" }, caller("p1"))).toMatchObject({ ok: false, error: { code: "timeout" } });
    expect(c.requests.stats()).toMatchObject({ failed: 1, pending: 0 });
  });

  it("bounds what waits for other servers, and refuses what is not a request", async () => {
    const bus = new FakeBus();
    const a = server("A", bus, onA("A"));
    const b = server("B", bus, onA("B"));
    bus.held = true;
    const waiting: Promise<Result<unknown>>[] = [];
    for (let i = 0; i < MAX_PENDING; i++) waiting.push(Promise.resolve(b.routed["mission:download"]({ key: "1:1" }, caller("p1"))));
    expect(await b.routed["mission:clear"]({ key: "1:1" }, caller("p1"))).toMatchObject({ ok: false, error: { code: "busy" } });
    expect(b.audited.at(-1)).toMatchObject({ action: "mission_clear_refused", result: "not_sent" });
    bus.release();
    expect((await Promise.all(waiting)).every((r) => !r.ok && r.error.code === "not_found")).toBe(true);
    a.requests.receive(a.requests.channel, "not json");
    a.requests.receive(a.requests.channel, JSON.stringify({ kind: "request", from: "B", id: 1, event: "alert:ack", payload: {}, caller: {} }));
    a.requests.receive(a.requests.channel, "x".repeat(5 * 1024 * 1024));
    expect(a.requests.stats().refused).toBe(3);
  });

  it("tells the other servers when sessions end", async () => {
    const bus = new FakeBus();
    const a = server("A", bus, onA("A"));
    const b = server("B", bus, onA("B"));
    const ended: unknown[] = [];
    a.requests.onSessionsEnded((match, reason) => ended.push({ server: "A", match, reason }));
    b.requests.onSessionsEnded((match, reason) => ended.push({ server: "B", match, reason }));
    b.requests.sessionsEnded({ sessionHash: "hash-p1" }, "logged out");
    await new Promise((r) => setTimeout(r, 10));
    // Not to itself: the server where the session ended has let go already.
    expect(ended).toEqual([{ server: "A", match: { sessionHash: "hash-p1" }, reason: "logged out" }]);
  });

  it("tells the other servers of an alert acknowledged here, and nothing of one refused", async () => {
    const bus = new FakeBus();
    const acked = handlers({ "alert:ack": (req, c) => ok({ id: req.id, key: "1:1", acknowledgedBy: c.user.name, acknowledgedAt: 77 } as never) });
    const a = server("A", bus, onA("A"));
    const b = server("B", bus, onA("B"), acked);
    const told: unknown[] = [];
    a.requests.onAlertAcknowledged((id, by, at) => told.push({ id, by, at }));
    b.requests.onAlertAcknowledged(() => told.push("to itself"));
    expect(await b.routed["alert:ack"]({ id: 5 }, caller("p1"))).toMatchObject({ ok: true });
    expect(await a.routed["alert:ack"]({ id: 6 }, caller("p1"))).toMatchObject({ ok: false });
    await new Promise((r) => setTimeout(r, 10));
    expect(told).toEqual([{ id: 5, by: "p1", at: 77 }]);
  });
});
