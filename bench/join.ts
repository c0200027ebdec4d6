/**
 * What screens joining a long-running fleet cost the server: V vehicles whose trails are full (TRAIL_MAX_POINTS each,
 * in shapes police drones fly: orbits over a scene, survey legs, transits, a hover drifting with the GPS, all with
 * GPS noise), and S real socket.io-client screens in another process joining at once (a control room reconnecting).
 * Two ways, in one run, rounds interleaved:
 * - "whole": every trail as objects in one message, as the snapshot carried them before (built and sent by this
 *   bench on a plain socket.io server, in one turn, the way the realtime server did);
 * - "parts": the realtime server as it is (RealtimeServer, its welcome and sendTrails), fed by Tracks.
 * Measured: the longest the event loop was held (a 1 ms timer's worst lateness), the server's CPU (this process)
 * from the screens' connecting until every screen holds every trail, that time, and the JSON each screen read.
 * Left out: vehicles, frames, events and sessions (the snapshot's other parts are the same both ways); the screens'
 * own decoding is in their process, not measured.
 * Usage: npm run bench:join [-- --vehicles 200 --screens 20 --rounds 3]
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { Server } from "socket.io";
import { TRAIL_MAX_POINTS, TRAIL_TOLERANCE_M, unpackTrail } from "../server/protocol";
import type { SessionUser, TrailPoint, TrailsPart, VehicleKey } from "../server/protocol";
import { RealtimeServer } from "../server/realtime";
import type { CommandHandlers, LiveSource } from "../server/realtime";
import { Track } from "../server/vehicles";
import { numberArg as arg } from "./number-arg";

const VEHICLES = arg("vehicles", 200);
const SCREENS = arg("screens", 20);
const ROUNDS = arg("rounds", 3);

/** Per screen: trails held, points, and the JSON characters read; sent to the parent when asked. */
interface ScreenCounts { trails: number; points: number; chars: number }

/** The screens' process: S screens connect to the port it is told, count what they get, and report when asked. */
function screens(): void {
  let sockets: { close(): void }[] = [];
  let counts: ScreenCounts[] = [];
  process.on("message", (m: { connect?: number; report?: true; close?: true }) => {
    void (async () => {
      const { io } = await import("socket.io-client");
      if (m.connect !== undefined) {
        counts = Array.from({ length: SCREENS }, () => ({ trails: 0, points: 0, chars: 0 }));
        sockets = counts.map((c) => {
          const s = io(`http://127.0.0.1:${m.connect}`, { transports: ["websocket"], extraHeaders: { cookie: "bench=1" } });
          s.on("whole", (trails: Record<VehicleKey, TrailPoint[]>) => {
            c.chars += JSON.stringify(trails).length;
            for (const t of Object.values(trails)) { c.trails += 1; c.points += t.length; }
          });
          s.on("vehicles:trails", (part: TrailsPart) => {
            c.chars += JSON.stringify(part).length;
            for (const t of Object.values(part.trails)) { c.trails += 1; c.points += unpackTrail(t).length; }
          });
          return s;
        });
      }
      if (m.close) { for (const s of sockets) s.close(); sockets = []; }
      if (m.report) process.send?.(counts);
    })();
  });
}

/** A seeded random number in [0, 1): the fleet is the same every run. */
function randomOf(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** Vehicle i's track, full: an orbit, survey legs, a transit or a drifting hover, 5 positions a second, GPS noise. */
function fleetTrack(i: number): Track {
  const random = randomOf(i + 1);
  const noise = () => (random() + random() + random() - 1.5) * 0.5; // about 0.3 m standard deviation
  const track = new Track();
  const lat0 = 51.45 + (i % 20) * 0.005, lon0 = -0.2 + Math.floor(i / 20) * 0.008;
  const kx = Math.cos((lat0 * Math.PI) / 180) * 111_195;
  let t = 1_700_000_000_000;
  const put = (east: number, north: number) => track.add(lat0 + (north + noise()) / 111_195, lon0 + (east + noise()) / kx, 60 + noise(), (t += 200));
  const radius = 40 + random() * 110;
  let heading = random() * 2 * Math.PI, x = 0, y = 0;
  for (let step = 0; track.length < TRAIL_MAX_POINTS && step < 50_000; step++) {
    switch (i % 4) {
      case 0: { const a = (step * 1) / radius; put(radius * Math.cos(a), radius * Math.sin(a)); break; } // 5 m/s orbit
      case 1: { const leg = Math.floor(step / 40), along = (step % 40) * 5; put(leg % 2 ? 200 - along : along, leg * 20); break; } // survey
      case 2: { if (step % 300 === 0) heading += (random() - 0.5) * 1.5; x += 12 * 0.2 * Math.cos(heading); y += 12 * 0.2 * Math.sin(heading); put(x, y); break; } // transit
      default: { x += (random() - 0.5) * 1.6; y += (random() - 0.5) * 1.6; x *= 0.98; y *= 0.98; put(x, y); } // hover, drifting
    }
  }
  return track;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The worst lateness of a 1 ms timer between start() and stop(): the longest the event loop was held. */
function loopWatch(): { stop(): number } {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 1);
    last = now;
  }, 1);
  return { stop() { clearInterval(timer); return worst; } };
}

interface Round { loopMs: number; cpuMs: number; wallMs: number; counts: ScreenCounts[] }

async function round(child: ChildProcess, port: number, connected: () => number, complete: (c: ScreenCounts[]) => boolean): Promise<Round> {
  const report = () => new Promise<ScreenCounts[]>((resolve) => { child.once("message", (m) => resolve(m as ScreenCounts[])); child.send({ report: true }); });
  const watch = loopWatch();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  child.send({ connect: port });
  let counts = await report();
  while (!complete(counts)) {
    await new Promise((r) => setTimeout(r, 5));
    counts = await report();
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const loopMs = watch.stop();
  child.send({ close: true });
  while (connected() > 0) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300));
  return { loopMs, cpuMs: (cpu.user + cpu.system) / 1000, wallMs, counts };
}

async function main(): Promise<void> {
  const tracks = new Map<VehicleKey, Track>();
  for (let i = 0; i < VEHICLES; i++) tracks.set(`${i + 1}:1` as VehicleKey, fleetTrack(i));
  const points = [...tracks.values()].reduce((n, t) => n + t.length, 0);
  const log = pino({ level: "silent" });

  // Before: one message of every trail as objects, built and sent in one turn when the screens have joined.
  const wholeHttp = createServer();
  const whole = new Server(wholeHttp);
  let waiting: string[] = [];
  let joinTimer: NodeJS.Timeout | null = null;
  whole.on("connection", (socket) => {
    waiting.push(socket.id);
    joinTimer ??= setTimeout(() => {
      joinTimer = null;
      const trails: Record<VehicleKey, TrailPoint[]> = {};
      for (const [key, track] of tracks) trails[key] = track.points();
      whole.to(waiting).emit("whole", trails);
      waiting = [];
    }, 25);
  });

  // Now: the realtime server itself.
  const partsHttp = createServer();
  const source: LiveSource = {
    now: () => Date.now(), snapshot: () => [], changed: () => [], links: () => [], control: () => ({}), missions: () => ({}), alerts: () => [],
    trailKeys: () => [...tracks.keys()],
    trail: (key) => tracks.get(key)?.packed(TRAIL_TOLERANCE_M) ?? null,
  };
  const user: SessionUser = { name: "bench", roles: ["observer"] };
  const rt = new RealtimeServer(partsHttp, source, { tickMs: 100, refusal: () => null }, {
    authenticate: () => Promise.resolve({ user, sessionHash: "bench" }), isLive: () => Promise.resolve(true), ended: () => {},
  }, {} as CommandHandlers, log);
  rt.start();

  for (const h of [wholeHttp, partsHttp]) await new Promise<void>((r) => h.listen(0, "127.0.0.1", r));
  const child = fork(fileURLToPath(import.meta.url), ["--screens-process", "--screens", String(SCREENS)], { execArgv: ["--import", "tsx"] });
  const done = (c: ScreenCounts[]) => c.length === SCREENS && c.every((s) => s.trails === VEHICLES);
  const results: Record<"whole" | "parts", Round[]> = { whole: [], parts: [] };
  for (let r = 0; r < ROUNDS; r++) {
    results.whole.push(await round(child, (wholeHttp.address() as AddressInfo).port, () => whole.sockets.sockets.size, done));
    results.parts.push(await round(child, (partsHttp.address() as AddressInfo).port, () => rt.io.sockets.sockets.size, done));
  }
  const frameStats = rt.frameStats();
  child.kill();
  await rt.close();
  await whole.close();

  console.log(`screens joining a fleet with full trails: ${VEHICLES} vehicles, ${points.toLocaleString("en")} trail points, ${SCREENS} screens joining at once`);
  console.log(`(socket.io-client in another process), median of ${ROUNDS} rounds, node ${process.version}`);
  for (const [mode, rounds] of Object.entries(results)) {
    const c = rounds[0]!.counts[0]!;
    console.log(`  ${mode === "whole" ? "whole, as objects, one message" : "parts (realtime server)       "}: event loop held up to ${median(rounds.map((x) => x.loopMs)).toFixed(0)} ms, `
      + `server CPU ${median(rounds.map((x) => x.cpuMs)).toFixed(0)} ms, every screen has every trail after ${median(rounds.map((x) => x.wallMs)).toFixed(0)} ms, `
      + `${(c.chars / 1e6).toFixed(2)} MB of JSON and ${c.points.toLocaleString("en")} points per screen`);
  }
  // A screen whose socket still holds earlier writes when a tick comes is skipped (and later sent a full frame).
  console.log(`  screens the realtime server counted as behind while trails went out: ${frameStats.viewersBehind} (of ${SCREENS * ROUNDS} joins)`);
}

if (process.argv.includes("--screens-process")) screens();
else await main();
