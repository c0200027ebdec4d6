/**
 * Replay figures on a generated one-hour .tlog of four ArduCopters (~1 M packets), measured in one run:
 *  - index build: the seek index (per-second offsets, a checkpoint of every vehicle's state every 30 s, the
 *    timeline marks, the alert rules run over the whole file), built in its worker thread; wall time, and the
 *    index's size;
 *  - seek: 200 seeks to random moments of one session, each from the control call to the snapshot handed to the
 *    sink (checkpoint read from disk, played forward silently to the target, snapshot built); p50/p99 and the
 *    longest the event loop was held meanwhile;
 *  - playback at 16x: CPU of the whole process (process.cpuUsage, user + system) over N s of wall time with one
 *    session playing, as % of one core; and, for reference, packets per second at "max";
 *  - memory of one session: RSS and heap after opening it and playing, minus before (gc first when run with
 *    --expose-gc, e.g. `node --expose-gc --import tsx bench/replay.ts`).
 * Usage: npm run bench:replay [-- --seconds 30] [--checkpoint-ms 30000]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pino from "pino";
import type { FlightSummary, ReplayState, Snapshot, WholeVehicleFrame } from "../server/protocol";
import { ReplaySessions, SeekIndexes } from "../server/replay";
import type { ReplaySink } from "../server/replay";
import { DEFAULT_ALERT_CONFIG } from "../server/config";
import { writeGeneratedTlog } from "../sitl/tlog-gen";

const SEEKS = 200;

function flight(tlogPath: string, startedAt: number): FlightSummary {
  return {
    id: 1, vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt, endedAt: null, armedAt: null,
    disarmedAt: null, durationS: null, distanceM: 0, maxAltRelM: null, maxDistHomeM: null, takeoff: null, landing: null, pilot: null,
    tlogPath, sizeBytes: null, sha256: null, status: "closed", packets: 0, packetsReceived: null, packetsSent: null, messageCount: 0,
    messagesDropped: 0, previousId: null, continuedBy: null,
    integrity: { state: "verified", checkedAt: null, actualSizeBytes: null, actualSha256: null }, source: "bench", notes: [],
  };
}

class CountingSink implements ReplaySink {
  snapshots = 0;
  frames = 0;
  packets = 0;
  last: ReplayState | null = null;
  onSnapshot: (() => void) | null = null;
  snapshot(_s: Snapshot): void {
    this.snapshots++;
    this.onSnapshot?.();
  }
  frame(f: WholeVehicleFrame): void {
    this.frames++;
    this.packets += f.vehicles.length;
  }
  statusText(): void {}
  link(): void {}
  event(): void {}
  alert(): void {}
  mission(): void {}
  state(s: ReplayState): void {
    this.last = s;
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(playSeconds: number, checkpointMs: number | undefined): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dmc-bench-replay-"));
  const log = pino({ level: "silent" });
  try {
    const file = path.join(dir, "hour.tlog");
    const gen = await writeGeneratedTlog(file, { durationS: 3600, vehicles: 4 });
    console.log(`file: ${gen.packets} packets, ${mb(gen.sizeBytes)}, 1 h, 4 vehicles`);

    const cp = checkpointMs !== undefined ? { checkpointMs } : {};
    const indexes = new SeekIndexes({ dataDir: dir, alerts: DEFAULT_ALERT_CONFIG, log, ...cp });
    const t0 = performance.now();
    const meta = await indexes.load({ tlogPath: file, sha256: null, vehicle: "1:1" });
    const buildS = (performance.now() - t0) / 1000;
    const idxSize = statSync(indexes.pathOf({ tlogPath: file, sha256: null, vehicle: "1:1" })).size;
    console.log(`index build (worker thread, whole file through decoder, registry and alert rules): ${buildS.toFixed(2)} s, `
      + `${(gen.packets / buildS / 1000).toFixed(0)} k packets/s; index ${mb(idxSize)}, ${meta.checkpoints.length} checkpoints, ${meta.marks.length} marks`);

    gc();
    const before = process.memoryUsage();
    const sessions = new ReplaySessions({
      catalogue: { get: () => Promise.resolve(flight("hour.tlog", meta.first!)) }, integrity: { current: (f) => Promise.resolve(f) },
      bookmarksOf: () => Promise.resolve([]), dataDir: dir, log, tickMs: 100, ...cp,
    });
    const sink = new CountingSink();
    const opened = await sessions.open("bench", { flights: [1] }, sink);
    if (!opened.ok) throw new Error(opened.error.message);
    const { info } = opened.value;
    const span = info.end - info.start;

    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const seekMs: number[] = [];
    for (let i = 0; i < SEEKS; i++) {
      const target = info.start + Math.random() * span;
      const done = new Promise<void>((resolve) => { sink.onSnapshot = resolve; });
      const s0 = performance.now();
      opened.value.control({ action: "seek", time: target });
      await done;
      seekMs.push(performance.now() - s0);
    }
    loop.disable();
    console.log(`seek (${SEEKS} random, control call to snapshot, server side): p50 ${pct(seekMs, 50).toFixed(1)} ms, `
      + `p99 ${pct(seekMs, 99).toFixed(1)} ms, max ${Math.max(...seekMs).toFixed(1)} ms; event loop held at most ${(loop.max / 1e6).toFixed(1)} ms`);

    opened.value.control({ action: "seek", time: info.start + 600_000 });
    await sleep(200);
    opened.value.control({ action: "speed", speed: 16 });
    opened.value.control({ action: "play" });
    await sleep(1000);
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const f0 = sink.frames;
    await sleep(playSeconds * 1000);
    const cpu = process.cpuUsage(c0);
    const wall = (performance.now() - w0) / 1000;
    gc();
    console.log(`playback at 16x over ${wall.toFixed(1)} s of wall time: ${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(1)} % of one core `
      + `(whole process), ${((sink.frames - f0) / wall).toFixed(1)} frames/s`);
    const after = process.memoryUsage();
    // RSS is printed as found, not as a difference: the generator's freed hour of packets is returned to the system
    // meanwhile, so RSS falls while the session opens.
    console.log(`memory of one session (opened, 200 seeks, ${playSeconds} s played): heap +${mb(after.heapUsed - before.heapUsed)}, `
      + `buffers +${mb(after.arrayBuffers - before.arrayBuffers)}; process RSS ${mb(after.rss)}`
      + `${(globalThis as { gc?: unknown }).gc ? "" : " (no --expose-gc: includes garbage)"}`);

    opened.value.control({ action: "pause" });
    const m0 = sink.last?.time ?? info.start;
    opened.value.control({ action: "speed", speed: "max" });
    opened.value.control({ action: "play" });
    const mw0 = performance.now();
    await sleep(5000);
    const replayedMs = (sink.last?.time ?? m0) - m0;
    console.log(`"max": ${(replayedMs / 1000 / ((performance.now() - mw0) / 1000)).toFixed(0)}x real time `
      + `(~${((gen.packets / 3600) * (replayedMs / 1000) / 5 / 1000).toFixed(0)} k packets/s), ticks of at most ~20 ms of work`);
    await sessions.stop();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
};
await main(arg("--seconds") ?? 30, arg("--checkpoint-ms"));
