/**
 * Fuzz run: a real server (in this process, its own data directory) takes hostile MAVLink on its UDP port from
 * several source ports: bit flips of the real ArduCopter recording's packets, truncations, lying lengths, the signed
 * flag without a signature, v1 copies of v2 frames, frames and heartbeats under forged ids, random bytes, and the
 * recording's own packets from one "vehicle" port. Then it reports what the server counted, what it admitted,
 * and what it holds (file descriptors, files written, RSS).
 *
 * What must hold: every byte sent is read (no datagram lost unread), no forged id becomes a vehicle, no file is
 * opened per forged id, and the server answers HTTP afterwards.
 * Usage: npm run fuzz -- --frames 1000000 [--seed 7] [--senders 8]
 */
import dgram from "node:dgram";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Command } from "commander";
import pino from "pino";
import { loadConfig } from "../server/config";
import { startServer } from "../server/main";
import { MUTATION_KINDS, mutate, readTlogFile } from "../server/mavlink";
import type { MutationKind } from "../server/mavlink";
import { emptyAdmissionCounters } from "../server/protocol";
import type { AdmissionCounters, LinkCounters } from "../server/protocol";
import { seededRandom } from "../test/support/mavlink/fixtures";

export interface FuzzOptions {
  frames: number;
  seed: number;
  /** Source ports the junk comes from (besides the vehicle's). */
  senders: number;
}

export interface FuzzReport {
  sent: { datagrams: number; bytes: number; byKind: Record<MutationKind, number> };
  counters: LinkCounters;
  admission: AdmissionCounters;
  vehicles: string[];
  /** Open file descriptors of this process once the server runs, and after the fuzz. */
  fds: { before: number; after: number };
  /** Files under the data directory's sessions/ and quarantine/. */
  files: { sessions: number; quarantine: number };
  rssMb: { before: number; after: number };
  seconds: number;
  httpOk: boolean;
}

const FIXTURE = path.resolve(import.meta.dirname, "../test/fixtures/copter_flight_1.tlog");
const BATCH = 64;
const MIN_RUN_MS = 3000;
/** Longer than a candidate's time to live (3 s) plus a sweep period (1 s). */
const SETTLE_MS = 4500;

const openFds = (): number => fs.readdirSync("/proc/self/fd").length;
const filesUnder = (dir: string): number => (fs.existsSync(dir)
  ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length : 0);
const rssMb = (): number => Math.round(process.memoryUsage().rss / 1024 ** 2);

async function sendBatch(socket: dgram.Socket, port: number, datagrams: Buffer[]): Promise<void> {
  await Promise.all(datagrams.map((d) => new Promise<void>((resolve, reject) => {
    socket.send(d, port, "127.0.0.1", (err) => (err ? reject(err) : resolve()));
  })));
}

/** Waits until the server has read `bytes` (the kernel's receive buffer must never overflow: nothing lost unread). */
async function drained(read: () => number, bytes: number): Promise<void> {
  const start = Date.now();
  while (read() < bytes && Date.now() - start < 5000) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-fuzz-"));
  const loaded = loadConfig(["--link", "udpin://127.0.0.1:0", "--http-port", "0", "--data-dir", dataDir, "--log-level", "silent",
    "--tile-url", "none"], {});
  if (loaded.ok !== true) throw new Error(`fuzz configuration: ${JSON.stringify(loaded)}`);
  const rssBefore = rssMb();
  const server = await startServer(loaded.config, pino({ level: "silent" }), { env: {} });
  // Counted once the server runs: what it holds from the start (databases, sockets, threads) is not per forged id.
  const fdsBefore = openFds();
  const started = Date.now();
  try {
    const link = server.links[0]!;
    const port = link.localAddress()!.port;
    const real = readTlogFile(FIXTURE).entries.map((e) => Buffer.from(e.frame.bytes));
    const random = seededRandom(opts.seed);
    const kinds = MUTATION_KINDS.filter((k) => k !== "original");
    let nextForged = 0;
    // Every forged id differs (sysid 2..255, compid 0..255): an id seen twice a second apart would be a vehicle.
    const nextId = (): [number, number] => {
      const n = nextForged++ % (254 * 256);
      return [2 + Math.floor(n / 256), n % 256];
    };
    const sockets = await Promise.all(Array.from({ length: opts.senders + 1 }, () => new Promise<dgram.Socket>((resolve) => {
      const s = dgram.createSocket("udp4");
      s.bind(0, "127.0.0.1", () => resolve(s));
    })));
    const [vehicle, ...junk] = sockets as [dgram.Socket, ...dgram.Socket[]];
    const byKind = Object.fromEntries(MUTATION_KINDS.map((k) => [k, 0])) as Record<MutationKind, number>;
    let bytes = 0;
    let sent = 0;
    let realAt = 0;
    while (sent < opts.frames) {
      const n = Math.min(BATCH, opts.frames - sent);
      // One in ten datagrams is the real vehicle's next packet, from its own port.
      const mine: Buffer[] = [];
      const theirs: Buffer[][] = junk.map(() => []);
      for (let i = 0; i < n; i++) {
        const source = real[Math.floor(random() * real.length)]!;
        if (random() < 0.1) {
          const packet = real[realAt++ % real.length]!;
          mine.push(packet);
          byKind.original++;
          bytes += packet.length;
          continue;
        }
        const kind = kinds[Math.floor(random() * kinds.length)]!;
        const datagram = mutate(kind, source, random, nextId);
        byKind[kind]++;
        bytes += datagram.length;
        theirs[Math.floor(random() * theirs.length)]!.push(datagram);
      }
      await Promise.all([sendBatch(vehicle, port, mine), ...junk.map((s, i) => sendBatch(s, port, theirs[i]!))]);
      await drained(() => link.status().counters.bytesIn, bytes);
      sent += n;
      // At least MIN_RUN_MS in all, so the real vehicle's heartbeats come about as far apart as on a real link.
      const behind = (sent / opts.frames) * MIN_RUN_MS - (Date.now() - started);
      if (behind > 0) await new Promise((r) => setTimeout(r, behind));
    }
    // Unknown ids not proven within their time to live are given up (and counted) by the next sweeps.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    for (const s of sockets) s.close();
    const health = await fetch(`http://127.0.0.1:${server.httpPort}/api/health`);
    const status = server.registry.snapshot(Date.now());
    const linkStatus = server.linkStatuses()[0]!;
    return {
      sent: { datagrams: sent, bytes, byKind },
      counters: linkStatus.counters,
      admission: linkStatus.admission ?? emptyAdmissionCounters(),
      vehicles: status.map((v) => v.key),
      fds: { before: fdsBefore, after: openFds() },
      files: { sessions: filesUnder(path.join(dataDir, "sessions")), quarantine: filesUnder(path.join(dataDir, "quarantine")) },
      rssMb: { before: rssBefore, after: rssMb() },
      seconds: (Date.now() - started) / 1000,
      // 401: it answers (the health route needs a session); the point is that it answers at all.
      httpOk: health.status === 401 || health.status === 200,
    };
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function print(r: FuzzReport): void {
  const kinds = Object.entries(r.sent.byKind).map(([k, n]) => `${k} ${n.toLocaleString("en")}`).join(", ");
  console.log(`fuzz: ${r.sent.datagrams.toLocaleString("en")} datagrams, ${(r.sent.bytes / 1024 ** 2).toFixed(1)} MiB in ${r.seconds.toFixed(1)} s`);
  console.log(`  sent: ${kinds}`);
  const c = r.counters;
  console.log(`  link: bytesIn ${c.bytesIn.toLocaleString("en")} (of ${r.sent.bytes.toLocaleString("en")} sent), frames ${c.frames.toLocaleString("en")}, `
    + `crcErrors ${c.crcErrors.toLocaleString("en")}, garbageBytes ${c.garbageBytes.toLocaleString("en")}, unknownMessages ${c.unknownMessages}, `
    + `decodeErrors ${c.decodeErrors}, droppedDatagrams ${c.droppedDatagrams}`);
  const a = r.admission;
  console.log(`  admission: vehicles ${a.vehicles}, admitted ${a.admitted}, refusedIds ${a.refusedIds.toLocaleString("en")}, `
    + `unknownFrames ${a.unknownFrames.toLocaleString("en")}, foreignFrames ${a.foreignFrames.toLocaleString("en")}, evicted ${a.evicted}`);
  console.log(`  vehicles: ${r.vehicles.join(", ") || "none"}; fds ${r.fds.before} -> ${r.fds.after}; files: sessions ${r.files.sessions}, `
    + `quarantine ${r.files.quarantine}; RSS ${r.rssMb.before} -> ${r.rssMb.after} MB; HTTP ${r.httpOk ? "answers" : "DOES NOT ANSWER"}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cmd = new Command("npm run fuzz --")
    .description("Hostile MAVLink against a real server on a UDP port; prints what it counted and holds.")
    .option("--frames <n>", "datagrams to send", "100000")
    .option("--seed <n>", "seed of the generator (the same seed sends the same datagrams)", "7")
    .option("--senders <n>", "source ports the junk comes from", "8")
    .parse();
  const o = cmd.opts<{ frames: string; seed: string; senders: string }>();
  runFuzz({ frames: Number(o.frames), seed: Number(o.seed), senders: Number(o.senders) }).then(print, (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
