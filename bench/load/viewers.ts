/**
 * The load's viewers, in their own process: M real socket.io-client connections, each signed in with a real
 * account, as M control-room screens. For every position a frame brings it records how old the packet behind it is
 * (the send time rides in the relative altitude, see streams.ts), in a 1 ms histogram; and counts frames, bytes
 * received (engine.io payloads, as on the wire less WebSocket framing) and vehicles falsely marked lost. Each screen
 * has one vehicle selected, as a control-room screen showing one drone's instruments does: viewer n watches vehicle
 * n+1 (modulo the fleet), so its detail ("vehicles:detail") is in the bytes. With the viewers split over several
 * processes, each is given the index of its first viewer; viewer 0 (the one that watches start-up and losses) is in
 * the first.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { mergeFrame } from "../../server/protocol";
import type { ClientToServerEvents, ServerToClientEvents, VehicleState } from "../../server/protocol";
import { sentAt } from "./streams";

export interface ViewersReport {
  kind: "viewers";
  viewers: number;
  connected: number;
  /** Latency histogram, 1 ms buckets; the last one holds everything at or above it. */
  histogram: number[];
  /** Packet sent -> the frame holding it built on the server (its `time`): the server's part of the latency. */
  serverHistogram: number[];
  frames: number;
  /** Detail frames of the watched vehicle. */
  detailFrames: number;
  /** Of those, full frames (every vehicle whole: a resync after falling behind). */
  fullFrames: number;
  /** Changes to a vehicle the viewer did not hold whole, which it could not use (should stay 0). */
  unusable: number;
  bytes: number;
  /** Bytes each viewer received, while measuring. */
  bytesPerViewer: number[];
  /** Distinct vehicles viewer 0 saw, and when (ms since the epoch) it first saw `expect` of them, or null. */
  vehiclesSeen: number;
  allSeenAt: number | null;
  /** When (ms since the epoch) every viewer was first connected at once, or null. */
  allConnectedAt: number | null;
  /** Vehicles viewer 0 saw go from ok to lost (while measuring), and how many such changes in all. */
  lostVehicles: string[];
  lostChanges: number;
  /** Changes from lost back to ok viewer 0 saw (while measuring), and when (ms since the epoch) it saw the last. */
  regainedChanges: number;
  lastRegainedAt: number | null;
  /**
   * This process's own event loop delay while measuring (p99, max; of the worst process when summed): how late the
   * viewers' JavaScript ran, a backlog of their own that is in their latency but not in the server's.
   */
  loopDelayMs: { p99: number; max: number };
  errors: string[];
}

const MAX_MS = 10_000;
const [base = "", accountsJson = "[]", countText = "1", expectText = "0", firstText = "0"] = process.argv.slice(2);
const accounts = JSON.parse(accountsJson) as { name: string; password: string }[];
const count = Number(countText);
const expect = Number(expectText);
/** The index, among all the load's viewers, of this process's first. */
const first = Number(firstText);

let histogram = new Array<number>(MAX_MS + 1).fill(0);
let serverHistogram = new Array<number>(MAX_MS + 1).fill(0);
let frames = 0;
let detailFrames = 0;
let bytes = 0;
let bytesPerViewer = new Array<number>(count).fill(0);
const seen = new Set<string>();
let allSeenAt: number | null = null;
let allConnectedAt: number | null = null;
let lostVehicles = new Set<string>();
let lostChanges = 0;
let regainedChanges = 0;
let lastRegainedAt: number | null = null;
let fullFrames = 0;
let unusable = 0;
const errors: string[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];

async function login(account: { name: string; password: string }): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify(account) });
  const cookie = /dmc_session=[^;]+/.exec(res.headers.get("set-cookie") ?? "")?.[0];
  if (!cookie) throw new Error(`login of ${account.name} answered ${res.status}`);
  return cookie;
}

/** `n`: this process's index of the viewer; `g`: its index among all the load's viewers. */
function watch(n: number, g: number, socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
  const last = new Map<string, { sent: number; state: string }>();
  const take = (vehicles: VehicleState[], now: number, frameTime: number | null) => {
    for (const v of vehicles) {
      const before = last.get(v.key);
      const sent = v.position ? sentAt(v.position.altRelative, now) : null;
      if (sent !== null && sent !== before?.sent) {
        histogram[Math.min(MAX_MS, Math.max(0, now - sent))]! += 1;
        // The server stamps each frame with its time: the part of the latency spent before the frame left the server.
        if (frameTime !== null) serverHistogram[Math.min(MAX_MS, Math.max(0, frameTime - sent))]! += 1;
      }
      if (g === 0) {
        seen.add(v.key);
        if (before?.state === "ok" && v.link.state === "lost") { lostVehicles.add(v.key); lostChanges += 1; }
        if (before?.state === "lost" && v.link.state === "ok") { regainedChanges += 1; lastRegainedAt = now; }
        if (allSeenAt === null && seen.size >= expect) allSeenAt = now;
      }
      last.set(v.key, { sent: sent ?? before?.sent ?? -1, state: v.link.state });
    }
  };
  // Each viewer keeps its copy of the fleet as a screen does, merging what changed (and counts what it could not use).
  const held = new Map<string, VehicleState>();
  socket.on("vehicles:snapshot", (s) => {
    held.clear();
    for (const v of s.vehicles) held.set(v.key, v);
    take(s.vehicles, Date.now(), null);
  });
  socket.on("vehicles:frame", (f) => {
    frames += 1;
    if (f.full) fullFrames += 1;
    const merged = mergeFrame(held, f);
    unusable += merged.unusable.length;
    take(merged.vehicles, Date.now(), f.time);
  });
  socket.on("vehicles:detail", () => { detailFrames += 1; });
  socket.on("connect", () => {
    if (allConnectedAt === null && sockets.length === count && sockets.every((s) => s.connected)) allConnectedAt = Date.now();
    socket.emit("vehicles:watch", { keys: [`${(g % Math.max(1, expect)) + 1}:1`] }, (r) => {
      if (!r.ok && errors.length < 20) errors.push(`viewer ${g}: watch refused: ${r.error.message}`);
    });
  });
  socket.io.engine?.on("packet", (p: { data?: unknown }) => {
    const size = typeof p.data === "string" ? Buffer.byteLength(p.data) : p.data instanceof ArrayBuffer ? p.data.byteLength : 0;
    bytes += size;
    bytesPerViewer[n]! += size;
  });
  socket.on("connect_error", (e) => { if (errors.length < 20) errors.push(`viewer ${g}: ${e.message}`); });
}

async function main(): Promise<void> {
  for (let n = 0; n < count; n++) {
    const cookie = await login(accounts[(first + n) % accounts.length]!);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(base, { transports: ["websocket"], reconnection: true, extraHeaders: { cookie, origin: base } });
    sockets.push(socket);
    watch(n, first + n, socket);
  }
}

function report(): ViewersReport {
  return {
    kind: "viewers", viewers: count, connected: sockets.filter((s) => s.connected).length, histogram, serverHistogram, frames, detailFrames, fullFrames, unusable, bytes, bytesPerViewer,
    vehiclesSeen: seen.size, allSeenAt, allConnectedAt, lostVehicles: [...lostVehicles], lostChanges, regainedChanges, lastRegainedAt,
    loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 }, errors,
  };
}

process.on("message", (m) => {
  if (m === "measure") {
    histogram = new Array<number>(MAX_MS + 1).fill(0);
    serverHistogram = new Array<number>(MAX_MS + 1).fill(0);
    frames = 0;
    detailFrames = 0;
    bytes = 0;
    bytesPerViewer = new Array<number>(count).fill(0);
    lostVehicles = new Set();
    lostChanges = 0;
    regainedChanges = 0;
    lastRegainedAt = null;
    fullFrames = 0;
    unusable = 0;
    loopDelay.reset();
  } else if (m === "report") {
    process.send?.(report());
  } else if (m === "stop") {
    process.send?.(report(), () => {
      for (const s of sockets) s.close();
      process.exit(0);
    });
  }
});
main().catch((err: unknown) => {
  errors.push(String(err));
  process.send?.(report());
});
