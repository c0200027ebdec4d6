/**
 * The load's vehicles, in their own process: N sockets, one UDP peer each (as N radios or N SITLs would be), each
 * sending an armed ArduCopter's streams to the server. Counts what the ground station sends back to them: at start-up
 * that is where a stream-request storm shows. Reports to the parent every second over IPC.
 */
import dgram from "node:dgram";
import { RawEncoder } from "../../server/mavlink";
import { STREAMS, fieldsOf } from "./streams";

export interface VehiclesReport {
  kind: "vehicles";
  sent: number;
  received: number;
  receivedBytes: number;
  sendErrors: number;
}

const [host = "127.0.0.1", portText = "14550", countText = "1", firstSysidText = "1"] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const firstSysid = Number(firstSysidText);
const TICK_MS = 10;

const stats: VehiclesReport = { kind: "vehicles", sent: 0, received: 0, receivedBytes: 0, sendErrors: 0 };
const started = Date.now();

const vehicles = Array.from({ length: count }, (_, i) => {
  const socket = dgram.createSocket("udp4");
  socket.on("message", (msg) => { stats.received += 1; stats.receivedBytes += msg.length; });
  socket.on("error", () => { stats.sendErrors += 1; });
  // Spread the vehicles' phases so they do not all send on the same tick.
  const offset = (i * 997) % 1000;
  const next = STREAMS.map((s) => started + offset + ((i * 13) % Math.round(1000 / s.hz)));
  const encoder = new RawEncoder({ sysid: firstSysid + i, compid: 1 });
  return { i, socket, next, encoder, bootAt: started - 60_000 - i * 1000 };
});

function tick(): void {
  const now = Date.now();
  for (const v of vehicles) {
    STREAMS.forEach((s, k) => {
      if (now < v.next[k]!) return;
      v.next[k]! += Math.round(1000 / s.hz);
      if (v.next[k]! < now) v.next[k] = now + Math.round(1000 / s.hz);
      const bytes = v.encoder.encode(s.name, fieldsOf(s.name, v.i, now - v.bootAt, now));
      v.socket.send(bytes, port, host, (err) => { if (err) stats.sendErrors += 1; });
      stats.sent += 1;
    });
  }
}

const timer = setInterval(tick, TICK_MS);
const reporter = setInterval(() => process.send?.(stats), 1000);
process.on("message", (m) => {
  if (m === "report-now") process.send?.({ ...stats });
  if (m === "stop") {
    clearInterval(timer);
    clearInterval(reporter);
    process.send?.(stats, () => {
      for (const v of vehicles) v.socket.close();
      process.exit(0);
    });
  }
});
