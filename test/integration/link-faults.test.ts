import { afterEach, describe, expect, it } from "vitest";
import { decodeFrame } from "../../server/mavlink";
import type { HealthResponse, LinkEvent } from "../../server/protocol";
import type { RunningServer } from "../../server/main";
import { api, connectClient, signIn, startTestServer, waitFor, onLiveEvent } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";
import { RawUdpVehicle, flightEntries } from "../helpers/udp";

const entries = flightEntries();
const heartbeat = entries.find((e) => e.frame.msgid === 0)!.frame.bytes;
// Positions once the vehicle has GPS (the first ones are truncated all-zero payloads).
const positions = entries.filter((e) => {
  const m = decodeFrame(e.frame).message;
  return m.kind === "globalPosition" && m.lat !== 0;
}).map((e) => e.frame.bytes);

let server: RunningServer | undefined;
let vehicle: RawUdpVehicle | undefined;
let socket: LiveSocket | undefined;
afterEach(async () => {
  socket?.close();
  vehicle?.close();
  await server?.close();
  server = vehicle = socket = undefined;
});

/** Two heartbeats 0.6 s apart: what proves a new system id to be a vehicle (a real autopilot sends one a second). */
async function prove(v: RawUdpVehicle): Promise<void> {
  await v.send(heartbeat);
  await new Promise((r) => setTimeout(r, 600));
  await v.send(heartbeat);
}

async function health(cookie: string): Promise<HealthResponse> {
  return (await api(server!, cookie, "/api/health")).json() as Promise<HealthResponse>;
}

describe("a link carrying garbage and corrupted frames", () => {
  it("counts and skips them, and decodes everything else", async () => {
    server = await startTestServer();
    const cookie = await signIn(server, ["observer"]);
    const udpPort = server.links[0]!.localAddress()!.port;
    vehicle = new RawUdpVehicle(udpPort);
    await prove(vehicle);
    const garbage = Buffer.from("this is not MAVLink \x00\x01\x02 at all");
    const corrupted = Buffer.from(positions[0]!);
    corrupted[14] = corrupted[14]! ^ 0xff; // a byte of the latitude: the checksum no longer matches
    // Garbage, then a corrupted frame glued to a good one in the same datagram, then good frames.
    await vehicle.send(garbage);
    await vehicle.send(Buffer.concat([corrupted, positions[1]!]));
    for (const p of positions.slice(2, 12)) await vehicle.send(Buffer.concat([garbage.subarray(0, 7), p]));

    const h = await waitFor("all good frames counted", async () => {
      const r = await health(cookie);
      return r.links[0]!.counters.frames >= 13 ? r : undefined;
    });
    const c = h.links[0]!.counters;
    expect(c.frames).toBe(13);
    expect(c.crcErrors).toBe(1);
    expect(c.garbageBytes).toBeGreaterThanOrEqual(garbage.length + 10 * 7);
    expect(c.decodeErrors).toBe(0);
    const v = server.registry.snapshot(Date.now())[0]!;
    expect(v.position?.lat).toBeCloseTo(51.5074, 3);
    expect(v.link.packetsReceived).toBe(13);
  });
});

describe("a vehicle that stops sending", () => {
  it("is lost about 5 s after its last HEARTBEAT and regained when it resumes", async () => {
    server = await startTestServer({ lostAfterMs: 5000 });
    const cookie = await signIn(server, ["observer"]);
    const client = await connectClient(server.httpPort, cookie);
    socket = client.socket;
    const events: (LinkEvent & { at: number })[] = [];
    onLiveEvent(socket, "link", (e) => events.push({ ...e, at: Date.now() }));
    vehicle = new RawUdpVehicle(server.links[0]!.localAddress()!.port);
    await prove(vehicle);
    const silentSince = Date.now();
    await waitFor("vehicle seen", () => client.latest.get("1:1"));

    const lost = await waitFor("lost event", () => events.find((e) => e.state === "lost"), 9000);
    const after = lost.at - silentSince;
    expect(after).toBeGreaterThanOrEqual(5000);
    expect(after).toBeLessThan(6500);
    expect(lost.heartbeatAgeMs).toBeGreaterThan(5000);
    await waitFor("frame with lost state", () => client.latest.get("1:1")?.link.state === "lost");
    const health1 = await (await api(server, cookie, "/api/vehicles")).json() as { vehicles: { link: { state: string } }[] };
    expect(health1.vehicles[0]!.link.state).toBe("lost");

    await vehicle.send(heartbeat);
    const regained = await waitFor("regained event", () => events.find((e) => e.state === "regained"), 3000);
    expect(regained.key).toBe("1:1");
    await waitFor("frame with ok state", () => client.latest.get("1:1")?.link.state === "ok");
    expect(events.map((e) => e.state)).toEqual(["lost", "regained"]);
  }, 20_000);
});
