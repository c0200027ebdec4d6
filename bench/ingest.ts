/**
 * Ingest throughput, messages per CPU-second, measured in one run on the same bytes:
 *  (a) node-mavlink's documented path: MavLinkPacketSplitter -> MavLinkPacketParser -> protocol.data(payload, class)
 *  (b) this server's live path (bench/live-path.ts): a link's framing -> GroundStation (admission, signatures,
 *      decode to SI, vehicle state, stream requests) -> the registry's tick every 50 ms of the stream's clock, at the
 *      live rate; then the same with the frame of changes for the screens encoded at each tick. Sockets, .tlog and
 *      series writes are not in it.
 *  (c) for reference, the ingest without the ground station, our framer alone, and framer + decode.
 * Each path is measured in a process of its own, started afresh for each round: one warm-up run on the same bytes,
 * then RUNS_PER_PROCESS measured runs; the rounds interleave the paths, so a change in the machine's speed during the run falls on all of them. In
 * one process, a path measured after the others runs on the engine's type feedback from them (the framer's callback
 * seen with several functions, the ground station with two kinds of link), which is not how a server runs it.
 * Then the .tlog import benchmark (bench/import.ts) on a generated one-hour recording, same number of rounds.
 * Usage: npm run bench [-- --vehicles 5 --packets 500000 --rounds 3]
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { DEFAULT_TICK_MS } from "../server/config";
import { MavLinkPacketSplitter } from "node-mavlink";
import { MavlinkFramer, decodeFrame } from "../server/mavlink";
import { TelemetryIngest, VehicleRegistry } from "../server/vehicles";
import { runImportBench } from "./import";
import { decodeAll } from "./node-mavlink";
import { livePath } from "./live-path";
import { PACKETS_PER_VEHICLE_PER_SECOND, generateStream } from "./stream";
import type { GeneratedStream } from "./stream";
import { numberArg as arg } from "./number-arg";

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function nodeMavlink(stream: GeneratedStream): Promise<number> {
  return decodeAll(Readable.from(stream.chunks, { objectMode: false }), new MavLinkPacketSplitter());
}

function ours(stream: GeneratedStream, stage: "frame" | "decode" | "state"): number {
  let count = 0;
  const registry = new VehicleRegistry({ lostAfterMs: 5000 });
  const ingest = new TelemetryIngest(registry, null, { sysid: 255, compid: 190 }, pino({ level: "silent" }));
  const link = { id: "bench", countDecodeError: () => undefined };
  let time = 0;
  const framer = new MavlinkFramer(
    stage === "frame" ? () => { count += 1; }
      : stage === "decode" ? (f) => { decodeFrame(f); count += 1; }
        : (f) => { ingest.frame(link, f, time); count += 1; },
  );
  for (const chunk of stream.chunks) {
    time += 1;
    framer.push(chunk);
    // One frame to the browsers per 100 ms of stream, as the live server does.
    if (stage === "state" && time % 30 === 0) registry.takeChanged(time);
  }
  return count;
}

interface Measured {
  messages: number;
  cpu: number;
}

async function measure(run: () => number | Promise<number>): Promise<Measured> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = cpuSeconds();
  const messages = await run();
  return { messages, cpu: cpuSeconds() - start };
}

const PATHS: readonly [string, (stream: GeneratedStream) => number | Promise<number>][] = [
  ["(a) node-mavlink splitter -> parser -> decode", (stream) => nodeMavlink(stream)],
  ["(b) live path: link -> ground station -> state", (stream) => livePath(stream, { frames: false }).packets],
  ["    and the screens' frames (deltas + JSON)", (stream) => livePath(stream).packets],
  ["    ingest without the ground station", (stream) => ours(stream, "state")],
  ["    framer only", (stream) => ours(stream, "frame")],
  ["    framer -> decode", (stream) => ours(stream, "decode")],
];

/** The stream as two files (chunk lengths and counts; the bytes), so every measuring process has the same one. */
async function writeStream(stream: GeneratedStream, dir: string): Promise<string> {
  const base = path.join(dir, "stream");
  await writeFile(`${base}.json`, JSON.stringify({ lengths: stream.chunks.map((c) => c.length), packets: stream.packets, bytes: stream.bytes, vehicles: stream.vehicles }));
  await writeFile(`${base}.bin`, Buffer.concat(stream.chunks));
  return base;
}

async function readStream(base: string): Promise<GeneratedStream> {
  const meta = JSON.parse(await readFile(`${base}.json`, "utf8")) as { lengths: number[]; packets: number; bytes: number; vehicles: number };
  const all = await readFile(`${base}.bin`);
  const chunks: Buffer[] = [];
  let at = 0;
  for (const length of meta.lengths) {
    // Each chunk its own buffer, as datagrams arrive.
    chunks.push(Buffer.from(all.subarray(at, at + length)));
    at += length;
  }
  return { chunks, packets: meta.packets, bytes: meta.bytes, vehicles: meta.vehicles };
}

/** Runs measured in each process, after one to warm up. */
const RUNS_PER_PROCESS = 3;

/** In a measuring process: one path, once to warm up, then measured RUNS_PER_PROCESS times; on stdout as JSON. */
async function child(index: number, base: string): Promise<void> {
  const run = PATHS[index]![1];
  const stream = await readStream(base);
  await run(stream);
  const out: Measured[] = [];
  for (let i = 0; i < RUNS_PER_PROCESS; i++) out.push(await measure(() => run(stream)));
  process.stdout.write(JSON.stringify(out));
}

function measureInProcess(index: number, base: string): Measured[] {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", String(index), "--stream", base],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out) as Measured[];
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf("--child");
  if (childAt >= 0) {
    await child(Number(process.argv[childAt + 1]), process.argv[process.argv.indexOf("--stream") + 1]!);
    return;
  }
  const vehicles = arg("vehicles", 5);
  const packets = arg("packets", 500_000);
  const rounds = arg("rounds", 3);
  const stream = generateStream(vehicles, packets);
  console.log(`stream: ${stream.packets} packets, ${(stream.bytes / 1e6).toFixed(1)} MB, ${stream.vehicles} vehicles, ${stream.chunks.length} chunks`);
  const warm = livePath(stream); // what the live path did with the stream
  const seconds = stream.packets / (stream.vehicles * PACKETS_PER_VEHICLE_PER_SECOND);
  console.log(`live path: ${seconds.toFixed(0)} s of stream at ${PACKETS_PER_VEHICLE_PER_SECOND} packets/s per vehicle, a frame every ${DEFAULT_TICK_MS} ms of it as the server sends; ${warm.frames} frames `
    + `(${(warm.frameBytes / warm.frames / 1024).toFixed(1)} KiB each), ${warm.vehiclesShown} vehicles shown, ${warm.sent} packets sent to them`);

  const work = await mkdtemp(path.join(os.tmpdir(), "dmc-bench-ingest-"));
  const rates = new Map<string, number[]>();
  try {
    const base = await writeStream(stream, work);
    for (let r = 0; r < rounds; r++) {
      for (const [index, [name]] of PATHS.entries()) {
        for (const { messages, cpu } of measureInProcess(index, base)) {
          if (messages !== stream.packets) throw new Error(`${name}: ${messages} messages, expected ${stream.packets}`);
          rates.set(name, [...(rates.get(name) ?? []), messages / cpu]);
        }
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(rates.get(PATHS[0]![0])!);
  console.log(`\nmessages per CPU-second, median of ${rounds} rounds x ${RUNS_PER_PROCESS} runs, each path in a fresh process each round (node ${process.version}):`);
  for (const [name] of PATHS) {
    const m = median(rates.get(name)!);
    console.log(`  ${name.padEnd(48)} ${Math.round(m).toLocaleString("en-GB").padStart(12)}  x${(m / base).toFixed(2)}`);
  }
  // The .tlog import of a generated hour, beside node-mavlink's decode of the same file (bench/import.ts).
  await runImportBench({ rounds });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
