import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { createLink } from "./create";
import type { MavLink } from "../types";
import { threadedUdpSockets } from "./udp-thread";
import type { UdpThreadOptions } from "./udp-thread";
import { startWorker } from "../../worker-entry";
import { heartbeats, nextEvent, silent, until } from "../../../test/support/mavlink/links";

const open: MavLink[] = [];
const threads: Worker[] = [];
const senders: Worker[] = [];

function link(options: UdpThreadOptions = {}): MavLink {
  const udpSocket = threadedUdpSockets((data) => {
    const worker = startWorker("mavlink/links/udp-worker", data);
    threads.push(worker);
    return worker;
  }, options);
  const l = createLink("udpin://127.0.0.1:0", { logger: silent, udpSocket });
  open.push(l);
  return l;
}

/**
 * A sender in a thread of its own, which sends `packets` to `port` once told to: it goes on while this thread is
 * blocked, as vehicles do while the server's event loop is busy.
 */
function sender(port: number, packets: Buffer[]): { ready: Promise<void>; go(): void; done: Promise<void> } {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(`
    const { workerData, parentPort } = require("node:worker_threads");
    const socket = require("node:dgram").createSocket("udp4");
    const flag = new Int32Array(workerData.flag);
    parentPort.postMessage("ready");
    Atomics.wait(flag, 0, 0);
    let left = workerData.packets.length;
    for (const p of workerData.packets) socket.send(Buffer.from(p), workerData.port, "127.0.0.1", () => {
      if (--left === 0) { socket.close(); parentPort.postMessage("sent"); }
    });
  `, { eval: true, workerData: { flag: flag.buffer, port, packets } });
  senders.push(worker);
  const said = (what: string) => new Promise<void>((resolve) => worker.on("message", (m) => { if (m === what) resolve(); }));
  return { ready: said("ready"), go: () => { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); }, done: said("sent") };
}

/** Blocks this thread, as a long stretch of other work on the server's event loop would. */
function block(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * A link, sent `packets` from another thread while this one is blocked for 400 ms (nothing is taken meanwhile), and
 * the seq of each frame it then emitted, once every packet is a frame or counted as dropped.
 */
async function burstWhileBlocked(options: UdpThreadOptions, packets: Buffer[]): Promise<{ server: MavLink; seqs: number[] }> {
  const server = link(options);
  await server.start();
  const seqs: number[] = [];
  server.on("frame", (frame) => seqs.push(frame.seq));
  const s = sender(server.localAddress()!.port, packets);
  await s.ready;
  s.go();
  block(400);
  await s.done;
  await until("every packet a frame or dropped", () => seqs.length + server.status().counters.droppedDatagrams === packets.length, 5000);
  return { server, seqs };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
  await Promise.all([...threads.splice(0), ...senders.splice(0)].map((w) => w.terminate()));
});

describe("a UDP link read by a thread of its own", () => {
  it("keeps reading while the event loop is blocked, and hands every datagram over in order", async () => {
    const packets = heartbeats(7, 3000);
    const { server, seqs } = await burstWhileBlocked({}, packets);
    expect(seqs).toEqual(packets.map((_, i) => i % 256));
    expect(server.status().counters).toMatchObject({ frames: 3000, droppedDatagrams: 0, bytesIn: packets.reduce((n, p) => n + p.length, 0) });
  });

  it("bounds what waits for a blocked event loop: past it, datagrams are dropped in the thread and counted", async () => {
    const packets = heartbeats(7, 200);
    const { server, seqs } = await burstWhileBlocked({ maxQueuedDatagrams: 40 }, packets);
    expect(seqs).toEqual(packets.slice(0, 40).map((_, i) => i));
    expect(server.status().counters.droppedDatagrams).toBe(160);
    // Once the event loop has taken them, there is room again.
    const later = sender(server.localAddress()!.port, heartbeats(8, 10));
    await later.ready;
    later.go();
    await later.done;
    await until("10 more frames", () => seqs.length === 50, 5000);
    expect(server.status().counters.droppedDatagrams).toBe(160);
  });

  it("bounds the bytes that wait, as well as the datagrams", async () => {
    const packets = heartbeats(7, 100);
    const { seqs } = await burstWhileBlocked({ maxQueuedBytes: packets[0]!.length * 25 }, packets);
    expect(seqs).toHaveLength(25);
  });

  it("sends from the port it listens on, so vehicles hear the ground station where they send", async () => {
    const server = link();
    await server.start();
    const vehicle = createLink(`udpout://127.0.0.1:${server.localAddress()!.port}`, { logger: silent });
    open.push(vehicle);
    await vehicle.start();
    const joined = nextEvent(server, "peerConnected");
    vehicle.send(heartbeats(1, 1)[0]!);
    await joined;
    const heard = nextEvent(vehicle, "frame");
    server.send(heartbeats(255, 1)[0]!);
    const [frame] = await heard;
    expect(frame.sysid).toBe(255);
  });

  it("says so on the link when the thread stops, and starts it again on the same port", async () => {
    const server = link();
    await server.start();
    const port = server.localAddress()!.port;
    const stopped = nextEvent(server, "status", (s) => /UDP thread stopped/.test(s.lastError ?? ""));
    await threads[0]!.terminate();
    const [status] = await stopped;
    expect(status.lastError).toBe(`127.0.0.1:${port}: UDP thread stopped (exit code 1): nothing is received until it restarts`);
    expect(server.localAddress()).toBeNull();
    // About a second later: a new thread, the same port, the problem cleared, and datagrams read again.
    await nextEvent(server, "status", (s) => s.lastError === null, 5000);
    expect(threads).toHaveLength(2);
    expect(server.localAddress()!.port).toBe(port);
    const vehicle = createLink(`udpout://127.0.0.1:${port}`, { logger: silent });
    open.push(vehicle);
    await vehicle.start();
    const heard = nextEvent(server, "frame");
    vehicle.send(heartbeats(1, 1)[0]!);
    expect((await heard)[0].sysid).toBe(1);
  });
});
