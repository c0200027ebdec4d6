/**
 * What a storm of events costs the server when every screen gets it: N link events (a link dropping N vehicles) sent
 * to M real socket.io-client screens in another process, one message each (as the realtime server sent them before)
 * against one batch (as "vehicles:events" sends them now), in one run, rounds interleaved. Measured: the server's CPU
 * (this process, all threads) from the first emit until every screen has counted every event, and that time.
 * Socket.io's own server and the loopback sockets only: no vehicles, no frames, no Redis.
 * Usage: npm run bench:events [-- --events 400 --screens 100 --rounds 6]
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Server } from "socket.io";
import type { LinkEvent, VehicleKey } from "../server/protocol";
import { numberArg as arg } from "./number-arg";

const EVENTS = arg("events", 400);
const SCREENS = arg("screens", 100);
const ROUNDS = arg("rounds", 6);

/** The screens' process: counts every event, alone or batched, and says how many when asked. */
async function screens(port: number): Promise<void> {
  const { io } = await import("socket.io-client");
  let got = 0;
  for (let i = 0; i < SCREENS; i++) {
    const s = io(`http://127.0.0.1:${port}`, { transports: ["websocket"] });
    s.on("one", () => { got += 1; });
    s.on("batch", (events: unknown[]) => { got += events.length; });
  }
  process.on("message", () => process.send?.(got));
}

function lost(i: number): LinkEvent {
  return { key: `${(i % 250) + 1}:1` as VehicleKey, state: "lost", time: Date.now(), heartbeatAgeMs: 5000 + i };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const http = createServer();
  const io = new Server(http);
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const port = (http.address() as AddressInfo).port;
  const child = fork(fileURLToPath(import.meta.url), ["--screens-of", String(port), "--screens", String(SCREENS)], { execArgv: ["--import", "tsx"] });
  while (io.sockets.sockets.size < SCREENS) await new Promise((r) => setTimeout(r, 100));
  const counted = () => new Promise<number>((resolve) => { child.once("message", (m) => resolve(m as number)); child.send("count"); });
  const results = { one: { cpu: [] as number[], wall: [] as number[] }, batch: { cpu: [] as number[], wall: [] as number[] } };
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of ["one", "batch"] as const) {
      const before = await counted();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      if (mode === "one") for (let i = 0; i < EVENTS; i++) io.emit("one", lost(i));
      else io.emit("batch", Array.from({ length: EVENTS }, (_, i) => lost(i)));
      while (await counted() < before + EVENTS * SCREENS) await new Promise((r) => setTimeout(r, 2));
      const cpu = process.cpuUsage(cpu0);
      results[mode].wall.push(performance.now() - t0);
      results[mode].cpu.push((cpu.user + cpu.system) / 1000);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill();
  await io.close();
  console.log(`events to every screen: ${EVENTS} link events, ${SCREENS} screens (socket.io-client, another process), median of ${ROUNDS} rounds, node ${process.version}`);
  for (const [mode, r] of Object.entries(results)) {
    console.log(`  ${mode === "one" ? "one message each" : "one batch       "}: server CPU ${median(r.cpu).toFixed(0)} ms, all on every screen after ${median(r.wall).toFixed(0)} ms`);
  }
  console.log(`  ratio of server CPU: ${(median(results.one.cpu) / median(results.batch.cpu)).toFixed(0)} x`);
}

const at = process.argv.indexOf("--screens-of");
if (at >= 0) void screens(Number(process.argv[at + 1]));
else await main();
