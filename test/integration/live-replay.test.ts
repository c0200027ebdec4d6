import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createLink, decodeFrame } from "../../server/mavlink";
import type { Frame, MavLink } from "../../server/mavlink";
import type { RunningServer } from "../../server/main";
import { TlogPlayer } from "../../sitl";
import { connectClient, signIn, startTestServer, waitFor } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";
import { flightEntries } from "../helpers/udp";

const entries = flightEntries();
/** Every position the vehicle reported, "lat,lon" rounded as the server's SI values are exact conversions. */
const recorded = new Set<string>();
for (const e of entries) {
  const m = decodeFrame(e.frame).message;
  if (m.kind === "globalPosition" && (m.lat !== 0 || m.lon !== 0)) recorded.add(`${m.lat.toFixed(7)},${m.lon.toFixed(7)}`);
}
const SPEED = 40; // 194 s of flight in under 5 s

let server: RunningServer | undefined;
let playerLink: MavLink | undefined;
let socket: LiveSocket | undefined;
afterEach(async () => {
  socket?.close();
  await playerLink?.close();
  await server?.close();
  server = playerLink = socket = undefined;
});

/** Plays the whole recording into `link` and checks what a real Socket.IO client saw of it. */
async function playAndCheck(link: MavLink, srv: RunningServer): Promise<void> {
  const client = await connectClient(srv.httpPort, await signIn(srv, ["observer"]));
  socket = client.socket;
  const fromGcs: Frame[] = [];
  link.on("frame", (f) => fromGcs.push(f));
  const summary = await new TlogPlayer(entries, link, { speed: SPEED }).play();
  expect(summary.packetsSent).toBe(entries.length);
  await waitFor("the landing", () => client.latest.get("1:1")?.armed === false && client.latest.get("1:1")?.mission?.reached.length === 6);

  // Coalesced: about one frame per 100 ms tick, never one per packet.
  const seconds = summary.durationMs / 1000;
  expect(client.frames.length).toBeLessThan(seconds * 10 * 1.5 + 5);
  expect(client.frames.length).toBeGreaterThan(seconds * 10 * 0.5);
  expect(client.frames.map((f) => f.seq)).toEqual([...client.frames.map((f) => f.seq)].sort((a, b) => a - b));

  // Every position the browser was shown is one the vehicle reported, and the flight was seen moving.
  const shown = client.frames.flatMap((f) => f.vehicles).filter((v) => v.position);
  expect(shown.length).toBeGreaterThan(20);
  for (const v of shown) expect(recorded.has(`${v.position!.lat.toFixed(7)},${v.position!.lon.toFixed(7)}`)).toBe(true);
  const maxAlt = Math.max(...shown.map((v) => v.position!.altRelative));
  expect(maxAlt).toBeGreaterThan(25);
  const lats = shown.map((v) => v.position!.lat);
  expect(Math.max(...lats) - Math.min(...lats)).toBeGreaterThan(0.0005);
  const modes = new Set(shown.map((v) => v.mode));
  expect(modes).toContain("GUIDED");
  expect(modes).toContain("AUTO");

  // The ground station talked back: heartbeats from 255/190 and telemetry requests to vehicle 1.
  const ids = new Set(fromGcs.filter((f) => f.sysid === 255 && f.compid === 190).map((f) => f.msgid));
  expect(ids).toContain(0);
  expect(ids).toContain(76);
}

describe("live telemetry from the recorded ArduCopter flight", () => {
  it("reaches a Socket.IO client over UDP (udpout -> udpin)", async () => {
    server = await startTestServer({ links: ["udpin://127.0.0.1:0"] });
    const port = server.links[0]!.localAddress()!.port;
    playerLink = createLink(`udpout://127.0.0.1:${port}`, { id: "player", logger: pino({ level: "silent" }) });
    await playerLink.start();
    await playAndCheck(playerLink, server);
  }, 30_000);

  it("reaches a Socket.IO client over TCP, the server connecting out (tcpout -> tcpin)", async () => {
    playerLink = createLink("tcpin://127.0.0.1:0", { id: "player", logger: pino({ level: "silent" }) });
    await playerLink.start();
    const port = playerLink.localAddress()!.port;
    server = await startTestServer({ links: [`tcpout://127.0.0.1:${port}`] });
    await waitFor("server connected", () => playerLink!.status().peers === 1);
    await playAndCheck(playerLink, server);
    const tcp = await waitFor("every packet", () => {
      const st = server!.links[0]!.status();
      return st.counters.frames === entries.length ? st : undefined;
    });
    expect(tcp).toMatchObject({ kind: "tcpout", connection: "open" });
    expect(tcp.counters.frames).toBe(entries.length);
    expect(tcp.counters.crcErrors + tcp.counters.garbageBytes).toBe(0);
  }, 30_000);
});
