/**
 * Ingest throughput, messages per CPU-second, measured in one run on the same bytes:
 *  (a) node-mavlink's documented path: MavLinkPacketSplitter -> MavLinkPacketParser -> protocol.data(payload, class)
 *  (b) this server's live path (bench/live-path.ts): a link's framing -> GroundStation (admission, signatures,
 *      decode to SI, vehicle state, stream requests) -> every 100 ms of the stream's clock, at the live rate, the
 *      frame of changes for the screens encoded once. Sockets, .tlog and series writes are not in it.
 *  (c) for reference, the ingest without the ground station, our framer alone, and framer + decode.
 * Then the .tlog import benchmark (bench/import.ts) on a generated one-hour recording, same number of rounds.
 * Usage: npm run bench [-- --vehicles 5 --packets 500000 --rounds 3]
 */
import { Readable } from "node:stream";
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

async function measure(run: () => number | Promise<number>): Promise<{ messages: number; cpu: number }> {
  // Each path starts on a collected heap: it is not charged for collecting the garbage of the path before it.
  (globalThis as { gc?: () => void }).gc?.();
  const start = cpuSeconds();
  const messages = await run();
  return { messages, cpu: cpuSeconds() - start };
}

async function main(): Promise<void> {
  const vehicles = arg("vehicles", 5);
  const packets = arg("packets", 500_000);
  const rounds = arg("rounds", 3);
  const stream = generateStream(vehicles, packets);
  console.log(`stream: ${stream.packets} packets, ${(stream.bytes / 1e6).toFixed(1)} MB, ${stream.vehicles} vehicles, ${stream.chunks.length} chunks`);

  const paths: [string, () => number | Promise<number>][] = [
    ["(a) node-mavlink splitter -> parser -> decode", () => nodeMavlink(stream)],
    ["(b) live path: link -> ground station -> state", () => livePath(stream, { frames: false }).packets],
    ["    and the screens' frames (deltas + JSON)", () => livePath(stream).packets],
    ["    ingest without the ground station", () => ours(stream, "state")],
    ["    framer only", () => ours(stream, "frame")],
    ["    framer -> decode", () => ours(stream, "decode")],
  ];
  const rates = new Map<string, number[]>();
  const warm = livePath(stream); // warm-up (JIT), and what the live path did with the stream
  const seconds = stream.packets / (stream.vehicles * PACKETS_PER_VEHICLE_PER_SECOND);
  console.log(`live path: ${seconds.toFixed(0)} s of stream at ${PACKETS_PER_VEHICLE_PER_SECOND} packets/s per vehicle, a frame every ${DEFAULT_TICK_MS} ms of it as the server sends; ${warm.frames} frames `
    + `(${(warm.frameBytes / warm.frames / 1024).toFixed(1)} KiB each), ${warm.vehiclesShown} vehicles shown, ${warm.sent} packets sent to them`);
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of paths) {
      const { messages, cpu } = await measure(run);
      if (messages !== stream.packets) throw new Error(`${name}: ${messages} messages, expected ${stream.packets}`);
      rates.set(name, [...(rates.get(name) ?? []), messages / cpu]);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(rates.get(paths[0]![0])!);
  console.log(`\nmessages per CPU-second, median of ${rounds} rounds (node ${process.version}):`);
  for (const [name] of paths) {
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
