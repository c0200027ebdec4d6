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
  /**
   * The ground station's HEARTBEATs as the vehicles got them, since the last "measure": the fewest any vehicle got,
   * and the longest time (ms) any vehicle went without one. ArduPilot's GCS failsafe fires after FS_GCS_TIMEOUT (5 s).
   */
  heartbeats: { fewest: number; longestGapMs: number };
}

/** The message id of a MAVLink 1 or 2 frame at the start of a datagram, or -1. */
function msgidOf(d: Buffer): number {
  if (d.length >= 10 && d[0] === 0xfd) return d[7]! | (d[8]! << 8) | (d[9]! << 16);
  if (d.length >= 6 && d[0] === 0xfe) return d[5]!;
  return -1;
}

const [host = "127.0.0.1", portText = "14550", countText = "1", firstSysidText = "1"] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const firstSysid = Number(firstSysidText);
const TICK_MS = 10;

const stats: Omit<VehiclesReport, "heartbeats"> = { kind: "vehicles", sent: 0, received: 0, receivedBytes: 0, sendErrors: 0 };
let since = Date.now();
const started = Date.now();

const vehicles = Array.from({ length: count }, (_, i) => {
  const socket = dgram.createSocket("udp4");
  const beats = { count: 0, last: since, longestGap: 0 };
  socket.on("message", (msg) => {
    stats.received += 1;
    stats.receivedBytes += msg.length;
    if (msgidOf(msg) !== 0) return;
    const now = Date.now();
    beats.count += 1;
    beats.longestGap = Math.max(beats.longestGap, now - beats.last);
    beats.last = now;
  });
  socket.on("error", () => { stats.sendErrors += 1; });
  // Spread the vehicles' phases so they do not all send on the same tick.
  const offset = (i * 997) % 1000;
  const next = STREAMS.map((s) => started + offset + ((i * 13) % Math.round(1000 / s.hz)));
  const encoder = new RawEncoder({ sysid: firstSysid + i, compid: 1 });
  return { i, socket, next, encoder, beats, bootAt: started - 60_000 - i * 1000 };
});

/** Until then every vehicle is silent (`{ outageMs }` from the parent: a radio or router outage for the fleet). */
let silentUntil = 0;

function tick(): void {
  const now = Date.now();
  if (now < silentUntil) return;
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

function report(): VehiclesReport {
  const now = Date.now();
  return {
    ...stats,
    heartbeats: {
      fewest: Math.min(...vehicles.map((v) => v.beats.count)),
      longestGapMs: Math.max(...vehicles.map((v) => Math.max(v.beats.longestGap, now - v.beats.last))),
    },
  };
}

const timer = setInterval(tick, TICK_MS);
process.on("message", (m: unknown) => {
  if (typeof m === "object" && m !== null && "outageMs" in m) silentUntil = Date.now() + Number(m.outageMs);
  if (m === "report-now") process.send?.(report());
  if (m === "measure") {
    since = Date.now();
    for (const v of vehicles) Object.assign(v.beats, { count: 0, last: since, longestGap: 0 });
  }
  if (m === "stop") {
    clearInterval(timer);
    process.send?.(report(), () => {
      for (const v of vehicles) v.socket.close();
      process.exit(0);
    });
  }
});
