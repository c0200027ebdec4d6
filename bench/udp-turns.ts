/**
 * Why the UDP links are read by a thread of their own: Node's event loop takes at most 32 datagrams from a socket per
 * turn (libuv's limit, so that one socket cannot starve the rest). A sender in another thread sends 21,000 small
 * datagrams at 7,000/s (200 vehicles at ArduCopter's rates) to a socket read on an event loop whose every turn is
 * kept busy for B ms; the kernel's buffer (what the links ask for: 4 MiB, doubled by Linux) holds what is not read
 * yet, until it is full. Printed: how many were read, and how many turns the loop made.
 * Usage: npm run bench:udp-turns [-- --busy 0,5,10,20]
 */
import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";

const TOTAL = 21_000;
const RATE = 7_000;
const busyArg = process.argv.indexOf("--busy");
const busies = (busyArg >= 0 ? process.argv[busyArg + 1]! : "0,5,10,20").split(",").map(Number);

/** Sends TOTAL datagrams at RATE a second, from a thread of its own, then says "sent". */
const SENDER = `
  const { workerData, parentPort } = require("node:worker_threads");
  const socket = require("node:dgram").createSocket("udp4");
  const bytes = Buffer.alloc(40);
  const t0 = Date.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.min(workerData.total, Math.floor(((Date.now() - t0) * workerData.rate) / 1000));
    for (; sent < due; sent++) socket.send(bytes, workerData.port, "127.0.0.1");
    if (sent >= workerData.total) { clearInterval(timer); setTimeout(() => { socket.close(); parentPort.postMessage("sent"); }, 100); }
  }, 2);
`;

async function run(busyMs: number): Promise<{ read: number; turns: number }> {
  const socket = createSocket("udp4");
  let read = 0;
  socket.on("message", () => { read += 1; });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  socket.setRecvBufferSize(4 * 1024 * 1024);
  const port = (socket.address() as AddressInfo).port;
  let turns = 0;
  let done = false;
  const spin = (): void => {
    const until = performance.now() + busyMs;
    while (performance.now() < until) { /* a busy turn: other work on the event loop */ }
    turns += 1;
    if (!done) setImmediate(spin);
  };
  setImmediate(spin);
  const sender = new Worker(SENDER, { eval: true, workerData: { port, total: TOTAL, rate: RATE } });
  await new Promise((resolve) => sender.once("message", resolve));
  // What is left in the kernel's buffer is read in the turns that follow.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  done = true;
  await sender.terminate();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return { read, turns };
}

console.log(`${TOTAL} datagrams of 40 bytes at ${RATE}/s to a socket read on the event loop, node ${process.version}`);
for (const busy of busies) {
  const { read, turns } = await run(busy);
  console.log(`  turns busy ${String(busy).padStart(3)} ms: read ${read} (${((read / TOTAL) * 100).toFixed(0)} %) in ${turns} turns`);
}
