/**
 * A large .tlog imported through the HTTP route of a running server (its own process, as `npm start` runs it)
 * while a vehicle is connected over UDP. Measured in one run:
 *  - the server's memory: resident set before the upload (idle) and its peak during upload + import (sampled
 *    every 50 ms from /proc, and the kernel's high-water mark VmHWM), reported as the peak over idle;
 *  - the heartbeat: the longest time between two ground-station HEARTBEATs the vehicle received (ArduPilot's GCS
 *    failsafe fires at 5 s), and the slowest answer of GET /api/health polled every 250 ms;
 *  - throughput: upload, then import (read, hash, cut, extracts, catalogue, series) in MB/s.
 * Usage: npm run bench:import-load [-- --size 1GiB] [--file path/to/reuse.tlog]   (Linux: reads /proc)
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import { existsSync, openAsBlob, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { MSG_ID, MavlinkFramer, RawEncoder } from "../server/mavlink";
import type { ImportJobStatus } from "../server/protocol";
import { writeLongTlog } from "../sitl/tlog-gen";
import { freeUdpPort } from "../test/helpers/ports";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const PASSWORD = "bench reviewer password";
export const MiB = 1024 ** 2;

export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function sizeOf(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(k|m|g)?i?b?$/i.exec(text.trim());
  if (!m) throw new Error(`--size: expected e.g. 1GiB or 300MiB, got ${text}`);
  return Math.round(Number(m[1]) * 1024 ** ({ k: 1, m: 2, g: 3 }[(m[2] ?? "").toLowerCase() as "k"] ?? 0));
}

/** VmRSS and VmHWM of a process, bytes (one process: the worker threads are inside it). */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}


let built = false;

/** The server as `npm start` runs it: bundled by `npm run build:server` (once per benchmark), under plain node. */
export async function startServer(dataDir: string, udpPort: number, more: { args?: string[]; env?: Record<string, string> } = {}): Promise<{ child: ChildProcess; port: number }> {
  if (!built) {
    execFileSync("npm", ["run", "-s", "build:server"], { cwd: ROOT, stdio: "inherit" });
    built = true;
  }
  // BENCH_SERVER_NODE_ARGS: extra Node flags for the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--enable-source-maps", "dist/server/main.mjs", "--link", `udpin://127.0.0.1:${udpPort}`,
    "--data-dir", dataDir, "--http-port", "0", "--log-level", "warn", ...more.args ?? []], {
    cwd: ROOT, env: { ...process.env, DMC_ADMIN_USER: "", DMC_ADMIN_PASSWORD: "", ...more.env }, stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => { output += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { output += d.toString(); });
  const start = Date.now();
  for (;;) {
    const m = /Live map: http:\/\/[^:]+:(\d+)\//.exec(output);
    if (m) return { child, port: Number(m[1]) };
    if (child.exitCode !== null || Date.now() - start > 60_000) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A vehicle on the UDP link: heartbeat at 1 Hz, notes when each ground-station HEARTBEAT arrives. */
export function vehicle(port: number) {
  const beats: number[] = [];
  const socket = dgram.createSocket("udp4");
  const encoder = new RawEncoder({ sysid: 42, compid: 1 });
  const framer = new MavlinkFramer((f) => { if (f.msgid === MSG_ID.HEARTBEAT && f.sysid === 255) beats.push(performance.now()); });
  socket.on("message", (msg) => framer.push(msg));
  const beat = () => socket.send(encoder.encode("HEARTBEAT",
    { type: 2, autopilot: 3, base_mode: 89, custom_mode: 0, system_status: 3, mavlink_version: 3 }), port, "127.0.0.1");
  // Telemetry too: a system that only ever sends heartbeats is not kept as a vehicle (vehicles/admission.ts).
  const attitude = () => socket.send(encoder.encode("ATTITUDE", { time_boot_ms: 1000, roll: 0.01 }), port, "127.0.0.1");
  beat();
  const timer = setInterval(() => {
    beat();
    attitude();
  }, 1000);
  return {
    beats,
    maxGap(from: number, to: number): number {
      const times = [...beats.filter((t) => t < from).slice(-1), ...beats.filter((t) => t >= from && t <= to)];
      let max = 0;
      for (let i = 1; i < times.length; i++) max = Math.max(max, times[i]! - times[i - 1]!);
      return Math.max(max, to - (times.at(-1) ?? from));
    },
    close() {
      clearInterval(timer);
      socket.close();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runImportLoadBench(opts: { sizeBytes: number; file?: string }): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), "dmc-bench-import-load-"));
  let server: ChildProcess | null = null;
  try {
    const file = opts.file ?? path.join(work, "long.tlog");
    if (!existsSync(file) || statSync(file).size < opts.sizeBytes) {
      const t0 = performance.now();
      const g = await writeLongTlog(file, { minBytes: opts.sizeBytes });
      console.log(`generated ${file}: ${(g.sizeBytes / MiB).toFixed(0)} MiB, ${g.hours} h of 3 vehicles, ${g.packets} packets, `
        + `${g.flights} flights (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    const size = statSync(file).size;
    const dataDir = path.join(work, "data");
    const add = spawnSync(process.execPath, ["--import", "tsx", "server/cli/user.ts", "add", "bench", "--role", "reviewer", "--data-dir", dataDir],
      { cwd: ROOT, input: `${PASSWORD}\n`, encoding: "utf8", env: { ...process.env, DMC_DATA_DIR: "" } });
    if (add.status !== 0) throw new Error(`could not create the reviewer: ${add.stderr}${add.stdout}`);
    const udpPort = await freeUdpPort();
    const started = await startServer(dataDir, udpPort);
    server = started.child;
    const pid = server.pid!;
    const base = `http://127.0.0.1:${started.port}`;
    const login = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "bench", password: PASSWORD }) });
    const cookie = /dmc_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")?.[0];
    if (!cookie) throw new Error(`login failed: ${login.status}`);
    const v = vehicle(udpPort);

    // Idle: the server up, the vehicle connected, nothing imported.
    await sleep(3000);
    const idleSamples: number[] = [];
    for (let i = 0; i < 20; i++) {
      idleSamples.push(memoryOf(pid).rss);
      await sleep(100);
    }
    const idle = idleSamples.sort((a, b) => a - b)[10]!;
    const hwmBefore = memoryOf(pid).hwm;
    /** Peak RSS while uploading, then while importing. */
    const peaks = { upload: 0, import: 0 };
    let phase: keyof typeof peaks = "upload";
    const sampler = setInterval(() => { peaks[phase] = Math.max(peaks[phase], memoryOf(pid).rss); }, 50);
    let healthMax = 0;
    let polling = true;
    const health = (async () => {
      while (polling) {
        const t = performance.now();
        await fetch(`${base}/api/health`, { headers: { cookie } }).then((r) => r.arrayBuffer());
        healthMax = Math.max(healthMax, performance.now() - t);
        await sleep(250);
      }
    })();

    const t0 = performance.now();
    const form = new FormData();
    form.append("file", await openAsBlob(file), "long.tlog");
    const res = await fetch(`${base}/api/flights/import`, { method: "POST", body: form, headers: { cookie, prefer: "respond-async" } });
    const uploaded = performance.now();
    phase = "import";
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    const job = (await res.json()) as ImportJobStatus;
    let status = job;
    let lastLine = 0;
    while (status.phase !== "done" && status.phase !== "failed") {
      await sleep(500);
      status = (await (await fetch(`${base}/api/flights/import/${job.id}`, { headers: { cookie } })).json()) as ImportJobStatus;
      if (performance.now() - lastLine > 10_000) {
        lastLine = performance.now();
        console.log(`  ${status.phase}: ${(status.bytes / MiB).toFixed(0)}/${(status.totalBytes / MiB).toFixed(0)} MiB, `
          + `${status.packets} packets, ${status.flights} flights, ${status.seriesPoints} series points`);
      }
    }
    const done = performance.now();
    polling = false;
    await health;
    clearInterval(sampler);
    const hwm = memoryOf(pid).hwm;
    const gap = v.maxGap(t0, done);
    v.close();
    if (status.phase === "failed") throw new Error(`import failed: ${JSON.stringify(status.result)}`);
    const report = status.result!.body as { flights: unknown[]; packets: number; series: { points: number; problem: string | null } };
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const mbps = (ms: number) => `${(size / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
    console.log(`import of ${(size / MiB).toFixed(0)} MiB through POST /api/flights/import (node ${process.version}, ${os.cpus().length} cores):`);
    console.log(`  upload ${s(uploaded - t0)} (${mbps(uploaded - t0)}), import ${s(done - uploaded)} (${mbps(done - uploaded)}), total ${s(done - t0)}`);
    console.log(`  ${report.packets} packets, ${report.flights.length} flights, ${report.series.points} series points${report.series.problem ? ` (${report.series.problem})` : ""}`);
    const peak = Math.max(peaks.upload, peaks.import);
    const mib = (b: number) => `${(b / MiB).toFixed(0)} MiB`;
    console.log(`  server RSS idle ${mib(idle)}; peak ${mib(peak)} sampled (upload ${mib(peaks.upload)}, import ${mib(peaks.import)}), `
      + `VmHWM ${mib(hwm)} (before: ${mib(hwmBefore)}): peak over idle ${mib(Math.max(peak, hwm) - idle)}`);
    console.log(`  longest gap between ground-station HEARTBEATs: ${gap.toFixed(0)} ms; slowest GET /api/health: ${healthMax.toFixed(0)} ms`);
  } finally {
    server?.kill("SIGTERM");
    if (server && server.exitCode === null) await new Promise((r) => server!.once("exit", r));
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const file = arg("--file");
  runImportLoadBench({ sizeBytes: sizeOf(arg("--size") ?? "1GiB"), ...(file ? { file: path.resolve(file) } : {}) }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
