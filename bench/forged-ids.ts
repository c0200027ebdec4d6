/**
 * Forged system ids against a running server, measured from outside: the server runs as its own process (npm
 * start's entry point, its own data directory), a real ArduCopter recording is played to it at 1x over UDP as
 * "the real vehicle", and a forger sends vehicle HEARTBEATs under new (sysid, compid) pairs from many source
 * ports. Reported, for the server process: open file descriptors, RSS, CPU, fsync calls per second (strace, when
 * it can attach), and the longest gap between the ground-station HEARTBEATs the real vehicle received while the
 * forging went on (ArduPilot's GCS failsafe fires after 5 s).
 * Usage: npm run bench:forged -- [--ids 10000] [--rate 1000] [--ports 64] [--server-dir DIR]
 *   --server-dir runs another checkout's server (for a before/after in one session).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import dgram from "node:dgram";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import pino from "pino";
import { createLink, readTlogFile, vehicleHeartbeat } from "../server/mavlink";
import { TlogPlayer } from "../sitl";
import { freeTcpPorts, freeUdpPort } from "../test/helpers/ports";

interface Sample {
  at: number;
  fds: number;
  rssMb: number;
  cpuTicks: number;
}

const HZ = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


function sample(pid: number): Sample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return {
    at: Date.now(),
    fds: fs.readdirSync(`/proc/${pid}/fd`).length,
    rssMb: Math.round(Number(rss?.[1] ?? 0) / 1024),
    // utime + stime of the process and its threads (fields 14 and 15 of /proc/pid/stat).
    cpuTicks: Number(stat[11]) + Number(stat[12]),
  };
}

/** The node process behind tsx (tsx starts node as its child). */
function nodePid(child: ChildProcess): number {
  const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return kids.length > 0 ? Number(kids[kids.length - 1]) : child.pid!;
}

/** Signs in as the bench's administrator and reads the first link's admission counters from /api/health. */
async function healthOf(httpPort: number, password: string): Promise<unknown> {
  const base = `http://127.0.0.1:${httpPort}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST", headers: { "content-type": "application/json", origin: base }, body: JSON.stringify({ name: "bench", password }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const health = await fetch(`${base}/api/health`, { headers: { cookie } });
  if (!health.ok) return `HTTP ${health.status}`;
  const body = (await health.json()) as { vehicles: number; links: { admission?: unknown }[] };
  return { vehicles: body.vehicles, admission: body.links[0]?.admission ?? "not reported" };
}

export async function runForged(o: { ids: number; rate: number; ports: number; serverDir: string }): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-forged-"));
  const udpPort = await freeUdpPort();
  const [httpPort] = (await freeTcpPorts(1)) as [number];
  const password = `bench-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const server = spawn(path.join(o.serverDir, "node_modules/.bin/tsx"), ["server/main.ts", "--link", `udpin://127.0.0.1:${udpPort}`,
    "--http-port", String(httpPort), "--data-dir", dataDir, "--log-level", "error", "--tile-url", "none"], {
    cwd: o.serverDir, env: { ...process.env, DMC_ADMIN_USER: "bench", DMC_ADMIN_PASSWORD: password }, stdio: ["ignore", "ignore", "inherit"],
  });
  let strace: ChildProcess | null = null;
  const straceOut = path.join(dataDir, "strace.txt");
  try {
    for (let i = 0; ; i++) {
      if (i > 200) throw new Error("the server did not start");
      try {
        await fetch(`http://127.0.0.1:${httpPort}/api/config`);
        break;
      } catch {
        await sleep(100);
      }
    }
    const pid = nodePid(server);
    // The real vehicle: the recorded ArduCopter flight at 1x; it notes when our heartbeats reach it.
    const link = createLink(`udpout://127.0.0.1:${udpPort}`, { id: "vehicle", logger: pino({ level: "silent" }) });
    await link.start();
    const heartbeats: number[] = [];
    link.on("frame", (f) => {
      if (f.sysid === 255 && f.msgid === 0) heartbeats.push(Date.now());
    });
    const entries = readTlogFile(path.resolve(import.meta.dirname, "../test/fixtures/copter_flight_1.tlog")).entries;
    void new TlogPlayer(entries, link, { speed: 1 }).play().catch(() => {});
    await sleep(5000);
    strace = spawn("strace", ["-f", "--seccomp-bpf", "-c", "-e", "trace=fsync,fdatasync", "-o", straceOut, "-p", String(pid)], { stdio: "ignore" });
    await sleep(500);

    const sockets = await Promise.all(Array.from({ length: o.ports }, () => new Promise<dgram.Socket>((r) => {
      const s = dgram.createSocket("udp4");
      s.bind(0, "127.0.0.1", () => r(s));
    })));
    const samples: Sample[] = [sample(pid)];
    const start = Date.now();
    const forgeStart = start;
    let sent = 0;
    const timer = setInterval(() => samples.push(sample(pid)), 1000);
    while (sent < o.ids) {
      const due = Math.min(o.ids, Math.floor(((Date.now() - start) / 1000) * o.rate));
      for (; sent < due; sent++) {
        const n = sent % (254 * 256);
        const bytes = vehicleHeartbeat(2 + Math.floor(n / 256), n % 256, sent & 0xff);
        sockets[sent % sockets.length]!.send(bytes, udpPort, "127.0.0.1");
      }
      await sleep(5);
    }
    const forgeEnd = Date.now();
    await sleep(10_000);
    clearInterval(timer);
    samples.push(sample(pid));
    strace.kill("SIGINT");
    await new Promise((r) => strace!.once("exit", r));
    strace = null;
    for (const s of sockets) s.close();

    const during = heartbeats.filter((t) => t >= forgeStart - 1000 && t <= forgeEnd + 10_000);
    let gap = 0;
    for (let i = 1; i < during.length; i++) gap = Math.max(gap, during[i]! - during[i - 1]!);
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    const cpu = ((last.cpuTicks - first.cpuTicks) / HZ) / ((last.at - first.at) / 1000);
    const straceText = fs.existsSync(straceOut) ? fs.readFileSync(straceOut, "utf8") : "";
    const calls = straceText.split("\n").filter((l) => /fsync|fdatasync/.test(l)).map((l) => Number(l.trim().split(/\s+/)[3] ?? 0));
    const fsyncTotal = calls.reduce((a, b) => a + b, 0);
    const seconds = (last.at - first.at) / 1000;
    const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).length : 0);
    console.log(`forged ids: ${sent.toLocaleString("en")} at ${o.rate}/s from ${o.ports} ports, server ${o.serverDir}`);
    console.log(`  over ${seconds.toFixed(0)} s (forging ${((forgeEnd - forgeStart) / 1000).toFixed(1)} s + 10 s after):`);
    console.log(`  fds: ${first.fds} -> max ${Math.max(...samples.map((s) => s.fds))} -> ${last.fds}`);
    console.log(`  RSS: ${first.rssMb} -> max ${Math.max(...samples.map((s) => s.rssMb))} MB`);
    console.log(`  CPU: ${(cpu * 100).toFixed(0)} % of one core on average`);
    console.log(`  fsync+fdatasync: ${straceText ? `${fsyncTotal} calls, ${(fsyncTotal / seconds).toFixed(1)}/s` : "not measured (strace could not attach)"}`);
    console.log(`  ground-station heartbeats at the real vehicle: ${during.length}, longest gap ${gap} ms`);
    console.log(`  files: sessions ${files(path.join(dataDir, "sessions"))}, quarantine ${files(path.join(dataDir, "quarantine"))}`);
    console.log(`  /api/health, link admission: ${JSON.stringify(await healthOf(httpPort, password))}`);
    await link.close();
  } finally {
    strace?.kill("SIGKILL");
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const cmd = new Command("npm run bench:forged --")
  .description("Forged system ids against a server process; prints its fds, RSS, CPU, fsyncs and the real vehicle's heartbeat gap.")
  .option("--ids <n>", "forged (sysid, compid) pairs", "10000")
  .option("--rate <n>", "forged ids per second", "1000")
  .option("--ports <n>", "source ports the forger uses", "64")
  .option("--server-dir <dir>", "checkout whose server runs", path.resolve(import.meta.dirname, ".."))
  .parse();
const opts = cmd.opts<{ ids: string; rate: string; ports: string; serverDir: string }>();
runForged({ ids: Number(opts.ids), rate: Number(opts.rate), ports: Number(opts.ports), serverDir: path.resolve(opts.serverDir) })
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
