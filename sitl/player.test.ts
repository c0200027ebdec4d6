import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createLink, readTlogFile } from "../server/mavlink";
import type { MavLink, TlogEntry } from "../server/mavlink";
import { TlogPlayer } from "./player";

const FIXTURE = fileURLToPath(new URL("../test/fixtures/copter_flight_1.tlog", import.meta.url));
const entries = readTlogFile(FIXTURE).entries;
const silent = pino({ level: "silent" });

const open: MavLink[] = [];
function link(url: string): MavLink {
  const l = createLink(url, { logger: silent, backoff: { initialMs: 50, maxMs: 200 } });
  open.push(l);
  return l;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

/** Collects what a link receives until `count` frames have arrived. */
function receive(l: MavLink, count: number, timeoutMs = 2500): Promise<string[]> {
  const got: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${got.length} of ${count} frames`)), timeoutMs);
    l.on("frame", (f) => {
      got.push(f.bytes.toString("hex"));
      if (got.length === count) {
        clearTimeout(timer);
        resolve(got);
      }
    });
  });
}

const expected = entries.map((e) => e.frame.bytes.toString("hex"));

describe("TlogPlayer over real links", () => {
  it("replays the whole flight over udpout to a udpin ground station, every packet in order", async () => {
    const gcs = link("udpin://127.0.0.1:0");
    await gcs.start();
    const drone = link(`udpout://127.0.0.1:${gcs.localAddress()!.port}`);
    await drone.start();
    const received = receive(gcs, entries.length);
    const summary = await new TlogPlayer(entries, drone, { speed: Infinity }).play();
    expect(summary).toMatchObject({ packetsSent: 21259, passes: 1, stopped: false });
    expect(await received).toEqual(expected);
    expect(gcs.status().counters).toMatchObject({ frames: 21259, crcErrors: 0, garbageBytes: 0 });
  });

  it("replays over tcpin to a tcpout ground station that connects to it", async () => {
    const drone = link("tcpin://127.0.0.1:0");
    await drone.start();
    const gcs = link(`tcpout://127.0.0.1:${drone.localAddress()!.port}`);
    const connected = new Promise<void>((resolve) => drone.on("peerConnected", () => resolve()));
    await gcs.start();
    await connected;
    const received = receive(gcs, entries.length);
    const summary = await new TlogPlayer(entries, drone, { speed: Infinity }).play();
    expect(summary.packetsSent).toBe(21259);
    expect(await received).toEqual(expected);
  });
});

/** A sink that records when each packet was sent, on the player's own clock. */
function recorder(now: () => number): { sink: { send(p: Buffer): void }; times: number[]; packets: Buffer[] } {
  const times: number[] = [];
  const packets: Buffer[] = [];
  return { sink: { send: (p) => { times.push(now()); packets.push(p); } }, times, packets };
}

describe("TlogPlayer timing", () => {
  const clock = (): number => performance.now();
  // The first 10 s of the recording (840 packets): boot messages, then telemetry in bursts.
  const start = entries[0]!.timeUs;
  const slice: TlogEntry[] = entries.filter((e) => e.timeUs - start < 10_000_000);

  it("keeps the recorded timing, scaled by speed, never sending a packet early", async () => {
    const { sink, times, packets } = recorder(clock);
    const player = new TlogPlayer(slice, sink, { speed: 50, now: clock });
    const t0 = clock();
    const summary = await player.play();
    expect(packets).toEqual(slice.map((e) => e.frame.bytes));
    slice.forEach((e, i) => {
      const due = t0 + (e.timeUs - start) / 1000 / 50;
      expect(times[i]!).toBeGreaterThanOrEqual(due - 1);
    });
    expect(summary.durationMs).toBeGreaterThanOrEqual(player.spanMs / 50 - 1);
  });

  it("loops until stopped, and stops on an abort signal", async () => {
    const { sink, packets } = recorder(clock);
    const abort = new AbortController();
    const player = new TlogPlayer(slice.slice(0, 50), sink, {
      speed: Infinity, loop: true, signal: abort.signal, onPass: (n) => { if (n === 3) abort.abort(); },
    });
    const summary = await player.play();
    expect(summary).toMatchObject({ passes: 3, stopped: true, packetsSent: 150 });
    expect(packets.length).toBe(150);
    expect(packets[50]).toBe(slice[0]!.frame.bytes);
  });

  it("stop() ends a real-time playback at once", async () => {
    const { sink } = recorder(clock);
    const player = new TlogPlayer(entries, sink);
    const done = player.play();
    setTimeout(() => player.stop(), 30);
    const summary = await done;
    expect(summary.stopped).toBe(true);
    expect(summary.packetsSent).toBeLessThan(entries.length);
    expect(() => player.play()).toThrow(/plays once/);
  });
});
