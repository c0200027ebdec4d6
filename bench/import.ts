/**
 * .tlog import throughput, measured in one run on the same generated file (one hour, several ArduCopters flying):
 *  (a) node-mavlink's own tlog path: MavLinkTLogPacketSplitter -> MavLinkPacketParser -> protocol.data(payload,
 *      class), every packet decoded. The file is read whole and given as one chunk: streamed in chunks, that
 *      splitter drops the packets cut by a chunk boundary (it skips a start byte found in the first 8 bytes of its
 *      buffer, which after a boundary is the packet itself);
 *  (a') for the record, node-mavlink's README path (MavLinkPacketSplitter on the file stream): it takes start bytes
 *      inside timestamps for frames, and a false frame of an unknown message id swallows the real packet after it,
 *      so it misses packets; its count is printed, not required;
 *  (b) the ground station's whole import: importTlog (in a worker thread, streaming: hash, keep the original,
 *      parse, cut flights with the live recorder's segmenter, write and seal one extract per flight; then the
 *      catalogue rows in SQLite; no series store here: bench:import-load measures the import with its series);
 *  (c) for reference, our tlog parser alone.
 * Wall time, because an import is disk work a reviewer waits for; CPU time beside it.
 * Usage: npm run bench (after the ingest benchmark), or tsx bench/import.ts [--rounds 3]
 */
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import pino from "pino";
import { MavLinkPacketSplitter, MavLinkTLogPacketSplitter } from "node-mavlink";
import { FlightCatalogue, importTlog } from "../server/flights";
import { parseTlog } from "../server/mavlink";
import { AppSql, openAppDatabase } from "../server/storage";
import { MIGRATIONS } from "../server/migrations";
import { writeGeneratedTlog } from "../sitl/tlog-gen";
import { decodeAll } from "./node-mavlink";

export interface ImportBenchOptions {
  rounds: number;
  /** Length of the generated recording, seconds. */
  durationS?: number;
  vehicles?: number;
}

interface Run {
  packets: number;
  wall: number;
  cpu: number;
}

async function measure(run: () => Promise<number> | number): Promise<Run> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const packets = await run();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { packets, wall, cpu: (cpu.user + cpu.system) / 1e6 };
}

/** node-mavlink's splitter, parser and decode of every packet, on the file as a stream or as one buffer. */
async function nodeMavlink(file: string, how: "tlog" | "readme"): Promise<number> {
  return how === "tlog"
    ? decodeAll(Readable.from([await readFile(file)]), new MavLinkTLogPacketSplitter())
    : decodeAll(createReadStream(file), new MavLinkPacketSplitter());
}

/** One import into a fresh data directory (a second import of the same file would be a duplicate, no work). */
async function ours(file: string, work: string, round: number): Promise<Run> {
  const dataDir = path.join(work, `data-${round}`);
  const log = pino({ level: "silent" });
  const db = openAppDatabase(dataDir, log, MIGRATIONS);
  try {
    const deps = { catalogue: new FlightCatalogue(AppSql.sqlite(db)), dataDir, clock: Date.now, log };
    return await measure(async () => (await importTlog(deps, { path: file, name: "hour.tlog" })).packets);
  } finally {
    db.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function runImportBench(opts: ImportBenchOptions): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), "dmc-bench-import-"));
  try {
    const file = path.join(work, "hour.tlog");
    const t0 = performance.now();
    const gen = await writeGeneratedTlog(file, { durationS: opts.durationS ?? 3600, vehicles: opts.vehicles ?? 3 });
    const flights = gen.vehicles.reduce((n, v) => n + v.flights.length, 0);
    const mb = gen.sizeBytes / 1e6;
    console.log(`\nimport: generated .tlog of ${gen.durationS / 60} min, ${gen.packets} packets, ${mb.toFixed(1)} MB, `
      + `${gen.vehicles.length} vehicles, ${flights} flights (made in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

    // [name, run, must every packet be found]
    const paths: [string, (round: number) => Promise<Run>, boolean][] = [
      ["(a) node-mavlink: read, tlog splitter -> parser -> decode", () => measure(() => nodeMavlink(file, "tlog")), true],
      ["(a') node-mavlink: file stream -> splitter -> parser -> decode", () => measure(() => nodeMavlink(file, "readme")), false],
      ["(b) importTlog: hash, keep, parse, segment, extracts, catalogue", (round) => ours(file, work, round), true],
      ["    parseTlog only (file in memory)", async () => {
        const buf = await readFile(file);
        return measure(() => parseTlog(buf).entries.length);
      }, true],
    ];
    const runs = new Map<string, Run[]>();
    await ours(file, work, -1); // warm-up: JIT, SQLite
    for (let r = 0; r < opts.rounds; r++) {
      for (const [name, run, all] of paths) {
        const result = await run(r);
        // The compared paths must read every packet, or the rates would compare different work.
        if (all && result.packets !== gen.packets) throw new Error(`${name}: ${result.packets} packets, expected ${gen.packets}`);
        runs.set(name, [...(runs.get(name) ?? []), result]);
      }
    }
    // Rates count the file's packets, so a path that misses some is not credited for what it skipped.
    const rate = (name: string) => median(runs.get(name)!.map((x) => gen.packets / x.wall));
    const base = rate(paths[0]![0]);
    console.log(`packets per second (wall clock), median of ${opts.rounds} rounds (node ${process.version}):`);
    for (const [name, , all] of paths) {
      const pps = rate(name);
      const cpu = median(runs.get(name)!.map((x) => x.cpu));
      const found = all ? "" : `  (found ${runs.get(name)![0]!.packets.toLocaleString("en-GB")} of ${gen.packets.toLocaleString("en-GB")})`;
      console.log(`  ${name.padEnd(66)} ${Math.round(pps).toLocaleString("en-GB").padStart(10)} pkt/s `
        + `${((pps * mb) / gen.packets).toFixed(1).padStart(6)} MB/s  cpu ${cpu.toFixed(2)} s  x${(pps / base).toFixed(2)}${found}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const i = process.argv.indexOf("--rounds");
  const rounds = i >= 0 ? Number(process.argv[i + 1]) : 3;
  runImportBench({ rounds: Number.isInteger(rounds) && rounds > 0 ? rounds : 3 }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
