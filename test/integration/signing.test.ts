/**
 * MAVLink 2 signing end to end: the server with `--signing-key 1=...` and a simulated ArduCopter holding the same
 * key. Telemetry and a pilot's command make a signed round trip; unsigned, tampered and replayed frames injected
 * into the same UDP link are dropped, counted in signatureRejected, and change nothing about the vehicle.
 */
import dgram from "node:dgram";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MavlinkSigner, RawEncoder, signingKey } from "../../server/mavlink";
import type { Frame } from "../../server/mavlink";
import type { RunningServer } from "../../server/main";
import type { CommandReply, Result, VehicleControl } from "../../server/protocol";
import { SimFleet } from "../../sitl/sim/fleet";
import { createUser, login, openSocket, startTestServer, waitFor } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";

const SECRET = "unit 7 signing passphrase";
const HOME = { lat: 51.5074, lon: -0.1278, altAmsl: 10 };
const MSG = { HEARTBEAT: 0, COMMAND_LONG: 76, COMMAND_ACK: 77, HOME_POSITION: 242 } as const;

const msgidOf = (packet: Buffer): number => packet[7]! | (packet[8]! << 8) | (packet[9]! << 16);

describe("MAVLink signing between the server and a keyed vehicle", () => {
  let server: RunningServer;
  let fleet: SimFleet;
  let socket: LiveSocket | null = null;
  const forger = dgram.createSocket("udp4");
  const fromVehicle: Buffer[] = [];
  const toVehicle: Frame[] = [];
  let port = 0;

  beforeAll(async () => {
    server = await startTestServer({ links: ["udpin://127.0.0.1:0"], signingKeys: [{ sysid: 1, secret: SECRET }] });
    port = server.links[0]!.localAddress()!.port;
    fleet = new SimFleet({
      vehicles: [{ sysid: 1, home: HOME, signingKey: signingKey(SECRET) }],
      transport: { kind: "udp", target: `127.0.0.1:${port}` },
      bootTimeScale: 0.1,
      logger: pino({ level: "silent" }),
    });
    const sim = fleet.vehicle(0);
    sim.onSend((bytes) => fromVehicle.push(Buffer.from(bytes)));
    const receive = sim.receive.bind(sim);
    sim.receive = (frame: Frame) => {
      toVehicle.push(frame);
      receive(frame);
    };
    await fleet.start();
    await createUser(server, "pia", ["pilot"]);
  }, 30_000);
  afterAll(async () => {
    socket?.close();
    forger.close();
    await server?.close();
    await fleet?.stop();
  });

  const rejected = () => server.links[0]!.status().counters.signatureRejected;
  const inject = (packet: Buffer) => new Promise<void>((resolve, reject) => {
    forger.send(packet, port, "127.0.0.1", (err) => (err ? reject(err) : resolve()));
  });

  it("shows the vehicle with telemetry, and a pilot's command reaches it signed and is answered", async () => {
    const vehicle = await waitFor("vehicle 1:1 with a position", () => server.registry.get("1:1", Date.now())?.position, 15_000);
    expect(vehicle.lat).toBeCloseTo(HOME.lat, 3);
    expect(rejected()).toBe(0);

    const cookie = await login(server, "pia");
    socket = openSocket(server.httpPort, cookie);
    const s = socket;
    await new Promise<void>((resolve, reject) => {
      s.once("connect", () => resolve());
      s.once("connect_error", reject);
    });
    const taken = await new Promise<Result<VehicleControl>>((resolve) => s.emit("control:take", { key: "1:1" }, resolve));
    expect(taken).toMatchObject({ ok: true });
    const sentBefore = fromVehicle.length;
    const receivedBefore = toVehicle.length;
    const r = await new Promise<Result<CommandReply>>((resolve) =>
      s.emit("vehicle:command", { key: "1:1", command: { kind: "speed", mps: 5 } }, resolve));
    expect(r).toMatchObject({ ok: true, value: { result: "accepted" } });
    const command = await waitFor("COMMAND_LONG at the vehicle", () => toVehicle.slice(receivedBefore).find((f) => f.msgid === MSG.COMMAND_LONG));
    expect(command.signed).toBe(true);
    await waitFor("COMMAND_ACK from the vehicle", () => fromVehicle.slice(sentBefore).find((p) => msgidOf(p) === MSG.COMMAND_ACK));
    // Everything the server sent the vehicle was signed: the unsigned heartbeats before it heard the vehicle aside.
    expect(toVehicle.slice(receivedBefore).every((f) => f.signed)).toBe(true);
    expect(rejected()).toBe(0);
  });

  it("drops unsigned forged frames claiming sysid 1, counts them, and leaves the vehicle as it was", async () => {
    const before = server.registry.get("1:1", Date.now())!;
    const forged = new RawEncoder({ sysid: 1, compid: 1 });
    const count = rejected();
    await inject(forged.encode("HEARTBEAT", { type: 2, autopilot: 3, base_mode: 128 | 1, custom_mode: 6, system_status: 4, mavlink_version: 3 }));
    await inject(forged.encode("GLOBAL_POSITION_INT", { time_boot_ms: 1, lat: 0, lon: 0, alt: 0, relative_alt: 0, vx: 0, vy: 0, vz: 0, hdg: 0 }));
    await waitFor("two rejections", () => rejected() >= count + 2);
    await new Promise((r) => setTimeout(r, 200));
    const after = server.registry.get("1:1", Date.now())!;
    expect(after.armed).toBe(before.armed);
    expect(after.mode).toBe(before.mode);
    expect(after.position?.lat).toBeCloseTo(HOME.lat, 3);
    expect(server.links[0]!.status().counters.signatureRejected).toBe(count + 2);
  });

  it("drops a signed frame whose payload was altered (checksum fixed) and a replayed genuine frame", async () => {
    const signer = new MavlinkSigner({ key: signingKey(SECRET), linkId: 3 });
    const encoder = new RawEncoder({ sysid: 1, compid: 1 });
    const original = encoder.encode("GLOBAL_POSITION_INT", { time_boot_ms: 5, lat: 10 * 1e7, lon: 10 * 1e7, alt: 0, relative_alt: 0, vx: 0, vy: 0, vz: 0, hdg: 0 });
    const genuine = signer.sign(original);
    const altered = Buffer.from(original);
    altered[10 + 4] = altered[10 + 4]! ^ 0x01; // a byte of lat
    // Signing the altered packet recomputes its checksum; its signature block is then swapped for the genuine one.
    const tampered = signer.sign(altered);
    genuine.copy(tampered, tampered.length - 13, genuine.length - 13);
    const count = rejected();
    await inject(tampered);
    await waitFor("the tampered frame rejected", () => rejected() === count + 1);

    // A genuine frame the vehicle sent, heard again from someone else: its timestamp is not new.
    const heartbeat = fromVehicle.find((p) => msgidOf(p) === MSG.HEARTBEAT)!;
    await inject(heartbeat);
    await waitFor("the replayed frame rejected", () => rejected() === count + 2);
    expect(server.registry.get("1:1", Date.now())!.position?.lat).toBeCloseTo(HOME.lat, 3);
  });
});
