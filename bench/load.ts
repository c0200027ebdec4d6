/**
 * Load harness: many vehicles over UDP and many live-map viewers against one server process, measured in one run.
 *  - the server: started here as `npm start` runs it (its own process, a fresh data directory), or attached to;
 *  - vehicles: one process, one UDP peer per vehicle, each an armed ArduCopter at its usual rates (bench/load/streams.ts);
 *  - viewers: another process, real socket.io-client connections signed in with real (observer) accounts (or split
 *    between --viewer-processes processes, each one thread, to see how much of the latency is their own queue);
 *  - probes (--probes, 2): the same screens in a process of their own, measured apart: the viewers' process parses
 *    100 screens' frames on this machine's two cores, a real screen has its own CPU.
 * After a warm-up (start-up figures: how long until every vehicle is on screen, what the server sent the vehicles),
 * it measures for --seconds: packet -> viewer latency (p50/p99/max), frames/s, bytes/s per viewer, datagrams the
 * kernel dropped (/proc/net/snmp, machine-wide), vehicles falsely lost, server CPU (% of one core) and RSS.
 * With --servers N (N > 1): N server processes started as a deployment runs them (one PostgreSQL and one Redis,
 * started here from Debian's packages in temp dirs; each server its own data directory and UDP link), behind one
 * address (a round-robin TCP proxy, bench/load/proxy.ts); the vehicles are split between the servers' links, so a
 * viewer's latency includes the vehicle's way through Redis when its server is not the one it is connected to.
 * Usage: npm run load -- --vehicles 200 --viewers 100 --seconds 60 [--servers 2] [--viewer-processes 4] [--outage 6] [--report load.json]
 *        npm run load -- --attach http://host:8080 --udp host:14550 --user NAME --password PW [--server-pid PID]
 */
import { spawnSync, fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { freeUdpPort } from "../test/helpers/ports";
import { Postgres } from "../test/helpers/postgres";
import { Redis } from "../test/helpers/redis";
import { MiB, ROOT, memoryOf, startServer } from "./import-load";
import type { VehiclesReport } from "./load/vehicles";
import type { ViewersReport } from "./load/viewers";
import type { HealthResponse } from "../server/protocol";
import { PACKETS_PER_SECOND } from "./load/streams";

const program = new Command("load")
  .option("--vehicles <n>", "simulated vehicles, one UDP peer each", "50")
  .option("--viewers <n>", "socket.io viewers", "20")
  .option("--seconds <s>", "measured time, after the warm-up", "30")
  .option("--warmup <s>", "seconds before measuring (start-up figures are taken then)", "15")
  .option("--probes <n>", "screens in a process of their own besides the viewers, measured apart: the latency a screen with its own CPU sees", "2")
  .option("--viewer-processes <n>", "processes the viewers are split between (one thread each); 1 puts them all in one", "1")
  .option("--outage <s>", "every vehicle silent this long halfway through the measurement (a radio or router outage for the fleet): all lost, then all regained at once", "0")
  .option("--servers <n>", "server processes sharing one PostgreSQL and one Redis, behind one address; vehicles split between them", "1")
  .option("--server-args <args>", "more arguments for the server(s) the harness starts, e.g. \"--tick-ms 25\"", "")
  .option("--attach <url>", "a running server's base URL instead of starting one")
  .option("--udp <host:port>", "with --attach: the server's MAVLink UDP address")
  .option("--user <name>", "with --attach: an account the viewers sign in with")
  .option("--password <pw>", "with --attach: its password")
  .option("--server-pid <pid>", "with --attach: the server's pid on this machine, for CPU and RSS")
  .option("--report <file>", "where to write the JSON report", "load-report.json");
const opts = program.parse().opts<{
  vehicles: string; viewers: string; seconds: string; warmup: string; probes: string; viewerProcesses: string; outage: string; servers: string; serverArgs: string; attach?: string; udp?: string; user?: string; password?: string; serverPid?: string; report: string;
}>();
const serverArgs = opts.serverArgs.split(" ").filter(Boolean);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = "load viewer password";

function udpCounters(): { inErrors: number; rcvbufErrors: number; inDatagrams: number } {
  const lines = readFileSync("/proc/net/snmp", "utf8").split("\n").filter((l) => l.startsWith("Udp:"));
  const names = lines[0]!.split(/\s+/).slice(1);
  const values = lines[1]!.split(/\s+/).slice(1).map(Number);
  const at = (n: string) => values[names.indexOf(n)] ?? 0;
  return { inErrors: at("InErrors"), rcvbufErrors: at("RcvbufErrors"), inDatagrams: at("InDatagrams") };
}

/** utime + stime of a process, in seconds of CPU. */
/** CPU seconds of a process (all its threads), or of one thread with `tid` (the main thread's tid is the pid). */
function cpuOf(pid: number, tid?: number): number {
  const file = tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`;
  const fields = readFileSync(file, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function child(script: string, args: string[]): ChildProcess {
  return fork(path.join(ROOT, "bench/load", script), args, { execArgv: ["--import", "tsx", ...(process.env.BENCH_HARNESS_NODE_ARGS ?? "").split(" ").filter(Boolean)], cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

function ask<T>(c: ChildProcess, message: string): Promise<T> {
  return new Promise((resolve) => {
    c.once("message", (m) => resolve(m as T));
    c.send(message);
  });
}

/** What the servers' vehicle mirrors have published since they started, all together (bytes). */
async function mirrorBytes(bases: readonly string[], account: { name: string; password: string }): Promise<number> {
  const healths = await Promise.all(bases.map((b) => serverHealth(b, account)));
  return healths.reduce((n, h) => n + (h.cluster?.published.bytes ?? 0), 0);
}

/** The server's /api/health, signed in as one of the viewers' accounts. */
async function serverHealth(base: string, account: { name: string; password: string }): Promise<HealthResponse> {
  const cookie = await signInAt(base, account);
  const res = await fetch(`${base}/api/health`, { headers: { cookie, origin: base } });
  if (!res.ok) throw new Error(`/api/health answered ${res.status}`);
  return (await res.json()) as HealthResponse;
}

/** Datagrams the servers' links dropped unread, all links of all servers. */
function linkDropped(healths: readonly HealthResponse[]): number {
  return healths.reduce((n, hh) => n + hh.links.reduce((m, l) => m + l.counters.droppedDatagrams, 0), 0);
}

/** p50, p99 and max of a 1 ms histogram, and how many samples it holds; null when empty. */
function latencyOf(histogram: number[]): { p50: number; p99: number; max: number; samples: number } | null {
  const samples = histogram.reduce((a, b) => a + b, 0);
  let max = 0;
  histogram.forEach((n, ms) => { if (n > 0) max = ms; });
  return samples > 0 ? { p50: percentile(histogram, 0.5), p99: percentile(histogram, 0.99), max, samples } : null;
}

function percentile(histogram: number[], p: number): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let ms = 0; ms < histogram.length; ms++) {
    acc += histogram[ms]!;
    if (acc >= total * p) return ms;
  }
  return histogram.length - 1;
}

async function main(): Promise<void> {
  const vehicles = Number(opts.vehicles);
  const viewers = Number(opts.viewers);
  const seconds = Number(opts.seconds);
  const warmup = Number(opts.warmup);
  const serverCount = Number(opts.servers);
  let server: ChildProcess | null = null;
  let work: string | null = null;
  let base: string;
  let udp: { host: string; port: number };
  let accounts: { name: string; password: string }[];
  let pid: number | null = opts.serverPid ? Number(opts.serverPid) : null;
  let deployment: Deployment | null = null;
  if (opts.attach) {
    if (!opts.udp || !opts.user || !opts.password) throw new Error("--attach needs --udp, --user and --password");
    base = opts.attach.replace(/\/$/, "");
    const [host, port] = opts.udp.split(":");
    udp = { host: host!, port: Number(port) };
    accounts = [{ name: opts.user, password: opts.password }];
  } else if (serverCount > 1) {
    work = await mkdtemp(path.join(os.tmpdir(), "dmc-load-"));
    deployment = await startDeployment(work, serverCount);
    base = deployment.base;
    accounts = deployment.accounts;
    udp = deployment.udp[0]!;
  } else {
    work = await mkdtemp(path.join(os.tmpdir(), "dmc-load-"));
    const dataDir = path.join(work, "data");
    accounts = Array.from({ length: 4 }, (_, i) => ({ name: `screen${i + 1}`, password: PASSWORD }));
    for (const a of accounts) {
      const add = spawnSync(process.execPath, ["--import", "tsx", "server/cli/user.ts", "add", a.name, "--role", "observer", "--data-dir", dataDir],
        { cwd: ROOT, input: `${PASSWORD}\n`, encoding: "utf8", env: { ...process.env, DMC_DATA_DIR: "" } });
      if (add.status !== 0) throw new Error(`could not create ${a.name}: ${add.stderr}${add.stdout}`);
    }
    udp = { host: "127.0.0.1", port: await freeUdpPort() };
    const started = await startServer(dataDir, udp.port, { args: serverArgs });
    server = started.child;
    pid = server.pid!;
    base = `http://127.0.0.1:${started.port}`;
  }
  console.log(`load: ${vehicles} vehicles (${PACKETS_PER_SECOND} packets/s each) and ${viewers} viewers against ${base}, ${warmup} s warm-up, ${seconds} s measured`);
  const snmp0 = udpCounters();
  const viewersStarted = Date.now();
  // The viewers, split evenly between --viewer-processes processes (each told the index of its first viewer).
  const viewerShares = Math.max(1, Math.min(viewers, Number(opts.viewerProcesses)));
  const viewerProcs = Array.from({ length: viewerShares }, (_, i) => {
    const from = Math.floor((viewers * i) / viewerShares);
    const to = Math.floor((viewers * (i + 1)) / viewerShares);
    return child("viewers.ts", [base, JSON.stringify(accounts), String(to - from), String(vehicles), String(from)]);
  });
  const askViewers = async (message: string): Promise<ViewersReport> => sumViewers(await Promise.all(viewerProcs.map((c) => ask<ViewersReport>(c, message))));
  const viewersCpu = () => viewerProcs.reduce((n, c) => n + cpuOf(c.pid!), 0);
  await sleep(2000);
  const t0 = Date.now();
  // One vehicles process per server link, the system ids following on.
  const links = deployment?.udp ?? [udp];
  const vehicleProcs = links.map((link, i) => {
    const from = Math.floor((vehicles * i) / links.length);
    const to = Math.floor((vehicles * (i + 1)) / links.length);
    return child("vehicles.ts", [link.host, String(link.port), String(to - from), String(from + 1)]);
  });
  const askVehicles = async (message: string): Promise<VehiclesReport> => sumVehicles(await Promise.all(vehicleProcs.map((c) => ask<VehiclesReport>(c, message))));
  await sleep(warmup * 1000);
  // Every screen connected before measuring: a screen's first snapshot is start-up, not the steady state measured.
  let startViewers = await askViewers("report");
  const waitUntil = Date.now() + 120_000;
  while (startViewers.allConnectedAt === null && Date.now() < waitUntil) {
    await sleep(1000);
    startViewers = await askViewers("report");
  }
  // The probe screens, once the viewers are in: the same as a viewer, in a process that is not busy with 100 others.
  const probes = Number(opts.probes);
  const probeProc = probes > 0 ? child("viewers.ts", [base, JSON.stringify(accounts), String(probes), String(vehicles)]) : null;
  for (let waited = 0; probeProc && waited < 30; waited++) {
    await sleep(1000);
    if ((await ask<ViewersReport>(probeProc, "report")).allConnectedAt !== null) break;
  }
  const startVehicles = await askVehicles("report-now");
  const snmp1 = udpCounters();
  const linkDropped1 = linkDropped(await Promise.all((deployment?.bases ?? [base]).map((b) => serverHealth(b, accounts[0]!))));
  probeProc?.send("measure");
  for (const c of viewerProcs) c.send("measure");
  for (const c of vehicleProcs) c.send("measure");
  const pids = deployment?.pids ?? (pid ? [pid] : []);
  const sumCpu = (main: boolean) => (pids.length > 0 ? pids.reduce((n, p) => n + cpuOf(p, main ? p : undefined), 0) : null);
  const vehiclesCpu = () => vehicleProcs.reduce((n, c) => n + cpuOf(c.pid!), 0);
  const cpu0 = sumCpu(false);
  const loop0 = sumCpu(true);
  const harness0 = { viewers: viewersCpu(), vehicles: vehiclesCpu(), proxy: deployment ? cpuOf(deployment.proxy.pid!) : 0 };
  const published0 = deployment ? await mirrorBytes(deployment.bases, accounts[0]!) : 0;
  const m0 = Date.now();
  let rssPeak = 0;
  const rssSamples: number[] = [];
  const sampler = setInterval(() => {
    if (pids.length === 0) return;
    // Several servers: their RSS together (each server's own is in the per-server health below).
    const rss = pids.reduce((n, p) => n + memoryOf(p).rss, 0);
    rssSamples.push(rss);
    rssPeak = Math.max(rssPeak, rss);
  }, 500);
  const outage = Number(opts.outage);
  let outageEnd: number | null = null;
  if (outage > 0) {
    await sleep(seconds * 500);
    for (const c of vehicleProcs) c.send({ outageMs: outage * 1000 });
    outageEnd = Date.now() + outage * 1000;
    await sleep(Math.max(0, seconds * 1000 - (Date.now() - m0)));
  } else {
    await sleep(seconds * 1000);
  }
  clearInterval(sampler);
  const cpu1 = sumCpu(false);
  const loop1 = sumCpu(true);
  const harness1 = { viewers: viewersCpu(), vehicles: vehiclesCpu(), proxy: deployment ? cpuOf(deployment.proxy.pid!) : 0 };
  const elapsed = (Date.now() - m0) / 1000;
  const snmp2 = udpCounters();
  // Each server's own account (several servers: asked directly, not through the proxy).
  const healths = await Promise.all((deployment?.bases ?? [base]).map((b) => serverHealth(b, accounts[0]!)));
  const health = healths[0]!;
  const publishedBytes = healths.reduce((n, hh) => n + (hh.cluster?.published.bytes ?? 0), 0) - published0;
  const endViewers = await askViewers("stop");
  const endProbes = probeProc ? await ask<ViewersReport>(probeProc, "stop") : null;
  const endVehicles = await askVehicles("stop");

  const perViewer = endViewers.bytesPerViewer.map((b) => b / elapsed);
  const report = {
    when: new Date().toISOString(), node: process.version, cores: os.cpus().length, base,
    load: { vehicles, viewers, viewerProcesses: viewerShares, servers: deployment ? serverCount : 1, packetsPerVehiclePerSecond: PACKETS_PER_SECOND, warmupS: warmup, measuredS: elapsed },
    startup: {
      vehiclesOnScreen: startViewers.vehiclesSeen, allOnScreenAfterMs: startViewers.allSeenAt === null ? null : startViewers.allSeenAt - t0,
      viewersConnected: startViewers.connected,
      /** From the viewers' start (they sign in one after another) to every one connected. */
      allViewersConnectedAfterMs: startViewers.allConnectedAt === null ? null : startViewers.allConnectedAt - viewersStarted,
      toVehiclesDatagrams: startVehicles.received, toVehiclesBytes: startVehicles.receivedBytes,
      droppedDatagrams: (snmp1.inErrors - snmp0.inErrors) + 0, rcvbufErrors: snmp1.rcvbufErrors - snmp0.rcvbufErrors,
      /** Dropped by the server's links before reading them (the UDP thread's queue full, the peer table full), since it started. */
      linkDroppedDatagrams: linkDropped1,
      lostChanges: startViewers.lostChanges,
    },
    measured: {
      latencyMs: latencyOf(endViewers.histogram),
      serverLatencyMs: latencyOf(endViewers.serverHistogram),
      /** The probe screens' packet -> viewer age (a process of their own; not in latencyMs). */
      probeLatencyMs: endProbes ? latencyOf(endProbes.histogram) : null,
      probes,
      /** How late the harness's own JavaScript ran (event loop delay, the worst viewers' process; the probes' process). */
      harnessLoopDelayMs: { viewers: endViewers.loopDelayMs, probes: endProbes?.loopDelayMs ?? null },
      framesPerSecondPerViewer: endViewers.frames / elapsed / viewers,
      detailFramesPerSecondPerViewer: endViewers.detailFrames / elapsed / viewers,
      fullFramesPerViewer: endViewers.fullFrames / viewers, unusableChanges: endViewers.unusable,
      bytesPerSecondPerViewer: { mean: perViewer.reduce((a, b) => a + b, 0) / Math.max(1, perViewer.length), max: Math.max(0, ...perViewer) },
      droppedDatagrams: snmp2.inErrors - snmp1.inErrors, rcvbufErrors: snmp2.rcvbufErrors - snmp1.rcvbufErrors,
      linkDroppedDatagrams: linkDropped(healths) - linkDropped1,
      vehiclesSent: endVehicles.sent - startVehicles.sent,
      toVehiclesDatagrams: endVehicles.received - startVehicles.received,
      gcsHeartbeats: { perVehicleFewestPerSecond: endVehicles.heartbeats.fewest / elapsed, longestGapMs: endVehicles.heartbeats.longestGapMs },
      vehiclesFalselyLost: outage > 0 ? null : endViewers.lostVehicles.length, lostChanges: endViewers.lostChanges,
      /** With --outage: what viewer 0 saw of it, and how long after the vehicles spoke again it saw the last of them back. */
      outage: outageEnd === null ? null : {
        seconds: outage, vehiclesLost: endViewers.lostVehicles.length, lostChanges: endViewers.lostChanges, regainedChanges: endViewers.regainedChanges,
        lastRegainedAfterMs: endViewers.lastRegainedAt === null ? null : endViewers.lastRegainedAt - outageEnd,
      },
      vehiclesOnScreen: endViewers.vehiclesSeen, viewersConnected: endViewers.connected,
      // Several servers: all of them together (PostgreSQL and Redis apart, see deploymentCpuPercentOfOneCore).
      serverCpuPercentOfOneCore: cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) / elapsed) * 100 : null,
      // The main thread alone: the event loop that sends the heartbeats and the frames (the rest is worker threads,
      // the series writer among them, and libuv's pool doing the fsyncs).
      serverMainThreadCpuPercent: loop0 !== null && loop1 !== null ? ((loop1 - loop0) / elapsed) * 100 : null,
      // The harness shares the machine: when the viewers' process nears 100 %, latency includes its own backlog.
      harnessCpuPercentOfOneCore: {
        viewers: ((harness1.viewers - harness0.viewers) / elapsed) * 100, vehicles: ((harness1.vehicles - harness0.vehicles) / elapsed) * 100,
        proxy: ((harness1.proxy - harness0.proxy) / elapsed) * 100,
      },
      perServer: deployment ? healths.map((hh) => ({ eventLoop: hh.eventLoop.current, frames: hh.frames, cluster: hh.cluster })) : null,
      // Several servers: what their vehicle mirrors published on Redis, all servers together (each message reaches
      // every other server).
      mirrorBytesPerSecond: deployment ? publishedBytes / elapsed : null,
      // The server's own account of its event loop (the minute under way, which covers the measurement if it is the
      // last minute of the run) and of screens that fell behind.
      serverEventLoop: health.eventLoop, serverFrames: health.frames,
      serverRssMiB: pids.length > 0 ? { median: (rssSamples.sort((a, b) => a - b)[Math.floor(rssSamples.length / 2)] ?? 0) / MiB, peak: rssPeak / MiB } : null,
    },
    errors: endViewers.errors,
  };
  writeFileSync(opts.report, `${JSON.stringify(report, null, 2)}\n`);
  const l = report.measured.latencyMs;
  const sl = report.measured.serverLatencyMs;
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB/s`;
  console.log(`start-up: ${report.startup.vehiclesOnScreen}/${vehicles} vehicles on screen${report.startup.allOnScreenAfterMs !== null ? ` after ${(report.startup.allOnScreenAfterMs / 1000).toFixed(1)} s` : ""}; `
    + `${report.startup.viewersConnected}/${viewers} viewers connected${report.startup.allViewersConnectedAfterMs !== null ? ` after ${(report.startup.allViewersConnectedAfterMs / 1000).toFixed(1)} s` : ""}; `
    + `server -> vehicles ${report.startup.toVehiclesDatagrams} datagrams (${(report.startup.toVehiclesBytes / 1e6).toFixed(1)} MB); dropped ${report.startup.droppedDatagrams} (machine-wide), ${report.startup.linkDroppedDatagrams} (by the server's links); lost ${report.startup.lostChanges}`);
  console.log(`measured ${elapsed.toFixed(0)} s: packet -> viewer ${l ? `p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms (${l.samples} positions)` : "no samples"}${
    sl ? `, of which in the server (packet -> frame built) p50 ${sl.p50} ms, p99 ${sl.p99} ms, max ${sl.max} ms` : ""}; `
    + `${report.measured.framesPerSecondPerViewer.toFixed(1)} frames/s per viewer (+${report.measured.detailFramesPerSecondPerViewer.toFixed(1)} of its watched vehicle's detail; ${report.measured.fullFramesPerViewer.toFixed(1)} full each, ${report.measured.unusableChanges} unusable changes); ${kb(report.measured.bytesPerSecondPerViewer.mean)} per viewer (max ${kb(report.measured.bytesPerSecondPerViewer.max)})`);
  const pl = report.measured.probeLatencyMs;
  if (pl) console.log(`  on ${probes} probe screens in a process of their own: packet -> viewer p50 ${pl.p50} ms, p99 ${pl.p99} ms, max ${pl.max} ms (${pl.samples} positions)`);
  console.log(`  dropped datagrams ${report.measured.droppedDatagrams} (machine-wide), ${report.measured.linkDroppedDatagrams} (by the server's links); ${report.measured.outage === null ? `vehicles falsely lost ${report.measured.vehiclesFalselyLost}` : `outage of ${outage} s: ${report.measured.outage.vehiclesLost} vehicles lost (${report.measured.outage.lostChanges} changes), ${report.measured.outage.regainedChanges} regained, the last ${report.measured.outage.lastRegainedAfterMs ?? "?"} ms after they spoke again`}; on screen ${report.measured.vehiclesOnScreen}; `
    + `server ${report.measured.serverCpuPercentOfOneCore?.toFixed(0) ?? "?"} % of one core (main thread ${report.measured.serverMainThreadCpuPercent?.toFixed(0) ?? "?"} %), RSS ${report.measured.serverRssMiB ? `${report.measured.serverRssMiB.median.toFixed(0)} MiB (peak ${report.measured.serverRssMiB.peak.toFixed(0)})` : "?"}; `
    + `server -> vehicles ${report.measured.toVehiclesDatagrams} datagrams; harness: viewers ${report.measured.harnessCpuPercentOfOneCore.viewers.toFixed(0)} %, `
    + `vehicles ${report.measured.harnessCpuPercentOfOneCore.vehicles.toFixed(0)} % of one core`);
  const hl = report.measured.harnessLoopDelayMs;
  const delay = (d: { p99: number; max: number }) => `p99 ${d.p99.toFixed(0)} ms, max ${d.max.toFixed(0)} ms`;
  console.log(`  the harness's own event loop delay (in its latencies, not the server's): viewers' process ${delay(hl.viewers)}${hl.probes ? `; probes' process ${delay(hl.probes)}` : ""}`);
  if (report.measured.mirrorBytesPerSecond !== null) {
    console.log(`  vehicle mirror: ${kb(report.measured.mirrorBytesPerSecond)} published on Redis by all servers together`);
  }
  const loop = health.eventLoop.current;
  console.log(`  server event loop delay over the last ${loop.windowSeconds} s: p50 ${loop.p50Ms} ms, p99 ${loop.p99Ms} ms, max ${loop.maxMs} ms; `
    + `screens behind ${health.frames.viewersBehind}, resynced ${health.frames.resyncs}`);
  console.log(`  ground-station HEARTBEATs: the vehicle that got fewest had ${report.measured.gcsHeartbeats.perVehicleFewestPerSecond.toFixed(2)}/s; `
    + `longest any vehicle went without one ${report.measured.gcsHeartbeats.longestGapMs} ms (ArduPilot's GCS failsafe: 5 s)`);
  console.log(`report: ${opts.report}`);
  if (server) {
    server.kill("SIGTERM");
    if (server.exitCode === null) await new Promise((r) => server!.once("exit", r));
  }
  if (deployment) await deployment.stop();
  if (work) await rm(work, { recursive: true, force: true });
}

interface Deployment {
  /** The proxy's address: what the viewers connect to. */
  base: string;
  /** Each server's own address (health is asked there). */
  bases: string[];
  udp: { host: string; port: number }[];
  pids: number[];
  proxy: ChildProcess;
  accounts: { name: string; password: string }[];
  stop(): Promise<void>;
}

/** N servers on one PostgreSQL and one Redis (started here), behind a round-robin proxy; accounts made through the API. */
async function startDeployment(work: string, n: number): Promise<Deployment> {
  const [postgres, redis] = await Promise.all([Postgres.create(), Redis.create()]);
  const database = await postgres.createDatabase("dmc_load");
  const admin = { name: "loadadmin", password: `${PASSWORD} admin` };
  const servers: { child: ChildProcess; port: number }[] = [];
  const udp: { host: string; port: number }[] = [];
  for (let i = 0; i < n; i++) {
    const port = await freeUdpPort();
    udp.push({ host: "127.0.0.1", port });
    // One after the other: the first migrates the database and makes the administrator.
    servers.push(await startServer(path.join(work, `data-${i + 1}`), port, {
      args: ["--database", database, "--redis", redis.url, ...serverArgs],
      env: i === 0 ? { DMC_ADMIN_USER: admin.name, DMC_ADMIN_PASSWORD: admin.password } : {},
    }));
  }
  const bases = servers.map((s) => `http://127.0.0.1:${s.port}`);
  const cookie = await signInAt(bases[0]!, admin);
  const accounts = Array.from({ length: 4 }, (_, i) => ({ name: `screen${i + 1}`, password: PASSWORD }));
  for (const a of accounts) {
    const res = await fetch(`${bases[0]}/api/users`, { method: "POST", headers: { cookie, origin: bases[0]!, "content-type": "application/json" },
      body: JSON.stringify({ ...a, roles: ["observer"] }) });
    if (res.status !== 201) throw new Error(`could not create ${a.name}: ${res.status} ${await res.text()}`);
  }
  const proxy = child("proxy.ts", ["0", ...servers.map((s) => String(s.port))]);
  const proxyPort = await new Promise<number>((resolve) => proxy.once("message", (m) => resolve((m as { port: number }).port)));
  return {
    base: `http://127.0.0.1:${proxyPort}`, bases, udp, pids: servers.map((s) => s.child.pid!), proxy, accounts,
    stop: async () => {
      proxy.send("stop");
      for (const s of servers) {
        s.child.kill("SIGTERM");
        if (s.child.exitCode === null) await new Promise((r) => s.child.once("exit", r));
      }
      await Promise.all([postgres.dispose(), redis.dispose()]);
    },
  };
}

async function signInAt(base: string, account: { name: string; password: string }): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify(account) });
  const cookie = /dmc_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0];
  if (!cookie) throw new Error(`login of ${account.name} answered ${login.status}`);
  return cookie;
}

/** The viewers' processes' reports as one: counts and histograms summed; start-up and losses as viewer 0 (in the first) saw them. */
function sumViewers(reports: readonly ViewersReport[]): ViewersReport {
  const sum = (f: (r: ViewersReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const histogramSum = (f: (r: ViewersReport) => number[]) => f(reports[0]!).map((_, i) => sum((r) => f(r)[i]!));
  const first = reports[0]!;
  const connectedAt = reports.map((r) => r.allConnectedAt);
  return {
    kind: "viewers", viewers: sum((r) => r.viewers), connected: sum((r) => r.connected),
    histogram: histogramSum((r) => r.histogram), serverHistogram: histogramSum((r) => r.serverHistogram),
    frames: sum((r) => r.frames), detailFrames: sum((r) => r.detailFrames), fullFrames: sum((r) => r.fullFrames),
    unusable: sum((r) => r.unusable), bytes: sum((r) => r.bytes), bytesPerViewer: reports.flatMap((r) => r.bytesPerViewer),
    vehiclesSeen: first.vehiclesSeen, allSeenAt: first.allSeenAt,
    allConnectedAt: connectedAt.every((t) => t !== null) ? Math.max(...connectedAt) : null,
    lostVehicles: first.lostVehicles, lostChanges: first.lostChanges, regainedChanges: first.regainedChanges, lastRegainedAt: first.lastRegainedAt,
    loopDelayMs: { p99: Math.max(...reports.map((r) => r.loopDelayMs.p99)), max: Math.max(...reports.map((r) => r.loopDelayMs.max)) },
    errors: reports.flatMap((r) => r.errors),
  };
}

/** The vehicles processes' reports as one: counts added, the worst heartbeat figures kept. */
function sumVehicles(reports: readonly VehiclesReport[]): VehiclesReport {
  return {
    kind: "vehicles",
    sent: reports.reduce((n, r) => n + r.sent, 0),
    received: reports.reduce((n, r) => n + r.received, 0),
    receivedBytes: reports.reduce((n, r) => n + r.receivedBytes, 0),
    sendErrors: reports.reduce((n, r) => n + r.sendErrors, 0),
    heartbeats: { fewest: Math.min(...reports.map((r) => r.heartbeats.fewest)), longestGapMs: Math.max(...reports.map((r) => r.heartbeats.longestGapMs)) },
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
