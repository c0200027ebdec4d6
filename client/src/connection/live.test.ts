import { describe, expect, it, vi } from "vitest";
import { packTrail, trailColumns } from "../../../server/protocol";
import { createAppStore, type LiveEvent } from "../store";
import { frameOf, makeVehicle, moved, snapshotOf, T0 } from "../test/vehicles";
import { RETRY_FIRST_MS, RETRY_MAX_MS, startLiveConnection } from "./live";
import type { Scheduler } from "./scheduler";
import type { LiveSocket, LiveSocketEvents } from "./socket";

type Listener = (...args: never[]) => void;

/** Test double of a socket.io-client Socket: records listeners and lets the test play the server. */
class FakeSocketDouble implements LiveSocket {
  readonly listeners = new Map<string, Set<Listener>>();
  connectCalls = 0;
  disconnectCalls = 0;

  on<E extends keyof LiveSocketEvents>(event: E, listener: LiveSocketEvents[E]): this {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    this.listeners.set(event, set);
    return this;
  }
  off<E extends keyof LiveSocketEvents>(event: E, listener: LiveSocketEvents[E]): this {
    this.listeners.get(event)?.delete(listener as Listener);
    return this;
  }
  connect(): this {
    this.connectCalls++;
    return this;
  }
  disconnect(): this {
    this.disconnectCalls++;
    return this;
  }
  /** Delivers an event as if the server (or socket.io-client itself, for lifecycle events) sent it. */
  deliver<E extends keyof LiveSocketEvents>(event: E, ...args: Parameters<LiveSocketEvents[E]>): void {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: Parameters<LiveSocketEvents[E]>) => void)(...args);
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
}

/** A scheduler the test runs by hand, standing in for requestAnimationFrame. */
function manualScheduler() {
  const tasks: (() => void)[] = [];
  const schedule: Scheduler = (task) => {
    tasks.push(task);
    return () => {
      const i = tasks.indexOf(task);
      if (i >= 0) tasks.splice(i, 1);
    };
  };
  const runFrame = () => tasks.splice(0).forEach((t) => t());
  return { schedule, runFrame, pending: () => tasks.length };
}

function setup() {
  const socket = new FakeSocketDouble();
  const store = createAppStore();
  const frames = manualScheduler();
  let clock = T0;
  const conn = startLiveConnection({ socket, apply: store.getState().applyEvents, schedule: frames.schedule, now: () => clock });
  return { socket, store, frames, conn, setClock: (t: number) => (clock = t) };
}

describe("startLiveConnection", () => {
  it("listens before connecting and starts in the connecting state", () => {
    const { socket, store } = setup();
    expect(socket.connectCalls).toBe(1);
    expect(socket.listeners.get("vehicles:frame")?.size).toBe(1);
    expect(store.getState().connection.status).toBe("connecting");
  });

  it("buffers events and applies them in one store update per animation frame", () => {
    const { socket, store, frames } = setup();
    const updates = vi.fn();
    store.subscribe(updates);
    const v = makeVehicle(1);

    socket.deliver("connect");
    socket.deliver("vehicles:snapshot", snapshotOf([v]));
    socket.deliver("vehicles:frame", frameOf([moved(v, 2)], 1));
    socket.deliver("vehicles:frame", frameOf([moved(v, 4)], 2));

    expect(updates).not.toHaveBeenCalled();
    expect(store.getState().vehicles).toEqual({});
    expect(frames.pending()).toBe(1); // one flush scheduled, not one per event

    frames.runFrame();
    expect(updates).toHaveBeenCalledTimes(1);
    const s = store.getState();
    expect(s.connection.status).toBe("connected");
    expect(s.lastFrameSeq).toBe(2);
    expect(s.trails["1:1"]).toHaveLength(3); // every buffered frame still lands in the trail
  });

  it("unpacks the trails that follow a live snapshot into the store, joined to the points drawn since", () => {
    const { socket, store, frames } = setup();
    const v = makeVehicle(1);
    const p = v.position!;
    // Where the vehicle was before this screen opened: 30 m and 20 m south, a second apart.
    const before = [30, 20].map((m, i) => ({ lat: p.lat - m / 111_195, lon: p.lon, altAmsl: p.altAmsl, time: v.lastUpdate - 2000 + i * 1000 }));
    socket.deliver("connect");
    socket.deliver("vehicles:snapshot", snapshotOf([v], v.lastUpdate));
    socket.deliver("vehicles:frame", frameOf([moved(v, 2)], 1));
    socket.deliver("vehicles:trails", { trails: { "1:1": packTrail(trailColumns(before)) }, last: true });
    frames.runFrame();
    const trail = store.getState().trails["1:1"]!;
    expect(trail).toHaveLength(4);
    expect(trail[0]!.lat).toBeCloseTo(before[0]!.lat, 7);
    expect(trail[1]!.time).toBe(before[1]!.time);
    expect(trail[3]!).toMatchObject({ lat: moved(v, 2).position!.lat });
  });

  it("schedules nothing and updates nothing while idle", () => {
    const { store, frames } = setup();
    const updates = vi.fn();
    store.subscribe(updates);
    frames.runFrame();
    expect(frames.pending()).toBe(0);
    expect(updates).not.toHaveBeenCalled();
  });

  it("records the receive time of each event, not the flush time", () => {
    const { socket, store, frames, setClock } = setup();
    setClock(T0 - 400);
    socket.deliver("vehicles:snapshot", snapshotOf([], T0));
    setClock(T0 + 5000);
    frames.runFrame();
    expect(store.getState().clockOffsetMs).toBe(400);
  });

  it("reports a disconnect with a readable reason, then a reconnect whose snapshot replaces the vehicles", () => {
    const { socket, store, frames, setClock } = setup();
    socket.deliver("connect");
    socket.deliver("vehicles:snapshot", snapshotOf([makeVehicle(1), makeVehicle(2)]));
    frames.runFrame();

    setClock(T0 + 1000);
    socket.deliver("disconnect", "transport close");
    frames.runFrame();
    expect(store.getState().connection).toEqual({ status: "disconnected", reason: "connection closed", since: T0 + 1000, willReconnect: true });
    expect(Object.keys(store.getState().vehicles)).toHaveLength(2); // last known state stays on screen

    socket.deliver("connect_error", new Error("xhr poll error"));
    frames.runFrame();
    expect(store.getState().connection).toMatchObject({ status: "disconnected", reason: "xhr poll error", willReconnect: true });

    socket.deliver("connect");
    socket.deliver("vehicles:snapshot", snapshotOf([makeVehicle(2)], T0 + 3000));
    frames.runFrame();
    expect(store.getState().connection.status).toBe("connected");
    expect(Object.keys(store.getState().vehicles)).toEqual(["2:1"]);
  });

  it("knows socket.io will not retry after the server closed the connection", () => {
    const { socket, store, frames } = setup();
    socket.deliver("disconnect", "io server disconnect");
    frames.runFrame();
    expect(store.getState().connection).toMatchObject({ reason: "closed by the server", willReconnect: false });
  });

  it("passes status texts, link events and link statuses through, one message each (the replay namespace)", () => {
    const { socket, store, frames } = setup();
    socket.deliver("vehicle:statustext", { key: "1:1", status: { time: T0, severity: "error", text: "Bad compass" } });
    socket.deliver("vehicle:link", { key: "1:1", state: "lost", time: T0, heartbeatAgeMs: 5000 });
    socket.deliver("links:status", []);
    frames.runFrame();
    const s = store.getState();
    expect(s.alerts.map((a) => a.source)).toEqual(["link", "statustext"]);
    expect(s.linkEvents).toHaveLength(1);
  });

  it("takes the live namespace's batched events in their order, each as if it came alone", () => {
    const socket = new FakeSocketDouble();
    const frames = manualScheduler();
    const batches: (readonly LiveEvent[])[] = [];
    startLiveConnection({ socket, apply: (b) => batches.push(b), schedule: frames.schedule, now: () => T0 + 7 });
    const text = { key: "1:1" as const, status: { time: T0, severity: "error" as const, text: "Bad compass" } };
    const lost = { key: "2:1" as const, state: "lost" as const, time: T0, heartbeatAgeMs: 5000 };
    const progress = { key: "1:1" as const, direction: "upload" as const, missionType: "mission" as const, done: 1, total: 4, stage: "transfer" as const };
    socket.deliver("vehicles:events", [
      { kind: "link", event: lost }, { kind: "statustext", event: text }, { kind: "missionProgress", event: progress },
    ]);
    socket.deliver("vehicles:frame", frameOf([], 1));
    frames.runFrame();
    expect(batches).toEqual([[
      { kind: "link", event: lost, receivedAt: T0 + 7 }, { kind: "statustext", event: text, receivedAt: T0 + 7 },
      { kind: "missionProgress", event: progress }, { kind: "frame", frame: frameOf([], 1), receivedAt: T0 + 7 },
    ]]);
  });

  it("shows batched events on the screen as it showed them one by one", () => {
    const { socket, store, frames } = setup();
    socket.deliver("vehicles:events", [
      { kind: "statustext", event: { key: "1:1", status: { time: T0, severity: "error", text: "Bad compass" } } },
      { kind: "link", event: { key: "1:1", state: "lost", time: T0, heartbeatAgeMs: 5000 } },
    ]);
    frames.runFrame();
    const s = store.getState();
    expect(s.alerts.map((a) => a.source)).toEqual(["link", "statustext"]);
    expect(s.linkEvents).toHaveLength(1);
  });

  it("stops cleanly: listeners removed, buffer dropped, socket disconnected", () => {
    const { socket, store, frames, conn } = setup();
    const apply = vi.fn();
    store.subscribe(apply);
    socket.deliver("vehicles:snapshot", snapshotOf([makeVehicle(1)]));
    conn.stop();
    frames.runFrame();
    expect(apply).not.toHaveBeenCalled();
    expect(socket.listenerCount()).toBe(0);
    expect(socket.disconnectCalls).toBe(1);
  });

  it("hands batches to any sink in arrival order", () => {
    const socket = new FakeSocketDouble();
    const frames = manualScheduler();
    const batches: (readonly LiveEvent[])[] = [];
    startLiveConnection({ socket, apply: (b) => batches.push(b), schedule: frames.schedule, now: () => T0 });
    socket.deliver("vehicles:frame", frameOf([], 1));
    socket.deliver("vehicles:frame", frameOf([], 2));
    frames.runFrame();
    socket.deliver("vehicles:frame", frameOf([], 3));
    frames.runFrame();
    expect(batches.map((b) => b.map((e) => (e.kind === "frame" ? e.frame.seq : -1)))).toEqual([[1, 2], [3]]);
  });

  it("applies control:state; reports session:ended and an unauthenticated handshake at once", () => {
    const socket = new FakeSocketDouble();
    const store = createAppStore();
    const frames = manualScheduler();
    const ended: string[] = [];
    startLiveConnection({ socket, apply: store.getState().applyEvents, schedule: frames.schedule, now: () => T0, onSessionEnded: (r) => ended.push(r) });
    socket.deliver("control:state", { "1:1": { holder: "pia", since: T0 } });
    frames.runFrame();
    expect(store.getState().control).toEqual({ "1:1": { holder: "pia", since: T0 } });
    socket.deliver("session:ended", "logged out");
    socket.deliver("connect_error", new Error("unauthenticated"));
    expect(ended).toEqual(["logged out", "not signed in"]);
    expect(frames.pending()).toBe(0); // not buffered as connection states
  });
});

describe("a handshake the server could not check", () => {
  it("is tried again, after 2 s and then less and less often, until the server lets it in", () => {
    const socket = new FakeSocketDouble();
    Object.defineProperty(socket, "active", { value: false });
    const store = createAppStore();
    const frames = manualScheduler();
    const timers: { ms: number; task: () => void; cancelled: boolean }[] = [];
    const after = (ms: number, task: () => void) => {
      const t = { ms, task, cancelled: false };
      timers.push(t);
      return () => { t.cancelled = true; };
    };
    const connection = startLiveConnection({ socket, apply: (e) => store.getState().applyEvents(e), schedule: frames.schedule, now: () => T0, after });
    expect(socket.connectCalls).toBe(1);
    for (let i = 0; i < 6; i++) {
      socket.deliver("connect_error", new Error("unavailable"));
      frames.runFrame();
      expect(store.getState().connection).toMatchObject({ status: "disconnected", reason: "the server cannot check the session now", willReconnect: true });
      timers.at(-1)!.task();
    }
    expect(timers.map((t) => t.ms)).toEqual([RETRY_FIRST_MS, 4_000, 8_000, 16_000, RETRY_MAX_MS, RETRY_MAX_MS]);
    expect(socket.connectCalls).toBe(7);
    // Let in: the next refusal starts again from 2 s; a stopped connection tries no more.
    socket.deliver("connect");
    socket.deliver("connect_error", new Error("unavailable"));
    expect(timers.at(-1)!.ms).toBe(RETRY_FIRST_MS);
    connection.stop();
    expect(timers.at(-1)!.cancelled).toBe(true);
  });

  it("is not retried by hand for other refusals: socket.io retries what it can itself", () => {
    const socket = new FakeSocketDouble();
    const timers: number[] = [];
    startLiveConnection({ socket, apply: () => {}, schedule: manualScheduler().schedule, after: (ms) => { timers.push(ms); return () => {}; } });
    socket.deliver("connect_error", new Error("xhr poll error"));
    expect(timers).toEqual([]);
  });
});
