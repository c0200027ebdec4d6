import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FlightCatalogue, FlightRecorder, statsOfEntries } from "../../server/flights";
import type { RecordedPacket } from "../../server/flights";
import { createLink, decodeFrame, readTlogFile } from "../../server/mavlink";
import type { Frame, MavLink, TlogEntry } from "../../server/mavlink";
import { AppSql, openAppDatabase } from "../../server/storage";
import { MIGRATIONS } from "../../server/migrations";
import type { Db } from "../../server/storage";
import { GroundStation, VehicleRegistry } from "../../server/vehicles";
import { TlogPlayer } from "../../sitl";
import { freeTcpPorts } from "../helpers/ports";
import { waitFor } from "../helpers/server";
import { flightEntries } from "../helpers/udp";

const log = pino({ level: "silent" });
const entries = flightEntries();
const SPEED = 40;
const STATUSTEXT = 253;
const hex = (bytes: Buffer) => bytes.toString("hex");

interface Station {
  dataDir: string;
  db: Db;
  catalogue: FlightCatalogue;
  recorder: FlightRecorder;
  gs: GroundStation;
  /** Every packet the ground station reported, in order (bytes copied). */
  packets: RecordedPacket[];
}

const open: { links: MavLink[]; stations: Station[] } = { links: [], stations: [] };
afterEach(async () => {
  for (const link of open.links.splice(0)) await link.close();
  for (const s of open.stations.splice(0)) {
    s.gs.stop();
    await s.recorder.close();
    if (s.db.open) s.db.close();
  }
});

/** The server's ground station and recorder, wired as main.ts wires them, on a real link. */
async function station(link: MavLink, heartbeatIntervalMs = 1000): Promise<Station> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-rec-peers-"));
  const db = openAppDatabase(dataDir, log, MIGRATIONS);
  const catalogue = new FlightCatalogue(AppSql.sqlite(db));
  const recorder = new FlightRecorder({ catalogue, dataDir, clock: Date.now, log, pilotOf: () => null, problem: () => {} });
  await recorder.start();
  const gs = new GroundStation(new VehicleRegistry({ lostAfterMs: 5000 }), {
    sysid: 255, compid: 190, passive: false, heartbeatIntervalMs,
  }, log);
  const packets: RecordedPacket[] = [];
  gs.onPacket((p) => {
    packets.push({ ...p, bytes: Buffer.from(p.bytes) });
    recorder.packet(p);
  });
  gs.attach(link);
  open.links.push(link);
  await link.start();
  const s = { dataDir, db, catalogue, recorder, gs, packets };
  open.stations.push(s);
  return s;
}

const forward = (list: readonly { timeUs: number }[]) => list.every((e, i) => i === 0 || e.timeUs >= list[i - 1]!.timeUs);

function tlogFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".tlog")).map((f) => path.join(dir, f));
}

describe("what the recorder is told we sent", () => {
  it("udpin: nothing before a vehicle is there; then only what reached it, in a record that reads forward, counted apart", async () => {
    const link = createLink("udpin://127.0.0.1:0", { id: "radio", logger: log });
    const s = await station(link, 50);
    // What the heartbeat timer does before any vehicle: the link has no peer to give them to.
    for (let i = 0; i < 5; i++) s.gs.sendOn("radio", [{ kind: "gcsHeartbeat" }]);
    expect(s.packets).toEqual([]);
    s.gs.start();

    const vehicle = createLink(`udpout://127.0.0.1:${link.localAddress()!.port}`, { id: "vehicle", logger: log });
    open.links.push(vehicle);
    await vehicle.start();
    const delivered: Frame[] = [];
    vehicle.on("frame", (f) => delivered.push({ ...f, bytes: Buffer.from(f.bytes) }));
    await new TlogPlayer(entries, vehicle, { speed: SPEED }).play();
    await waitFor("every packet at the station", () => link.status().counters.frames === entries.length);
    s.gs.stop();
    await s.recorder.close();

    // The first thing recorded is our greeting to the vehicle that just appeared, before its first packet.
    const firstIn = s.packets.findIndex((p) => p.direction === "in");
    expect(firstIn).toBe(1);
    expect(s.packets[0]).toMatchObject({ direction: "out", sysid: 0, compid: 0 });

    const { flights } = await s.catalogue.list({});
    expect(flights).toHaveLength(1);
    const flight = flights[0]!;
    const recorded = readTlogFile(path.join(s.dataDir, flight.tlogPath)).entries;
    // Across the first contact too: the greeting is stamped when sent, the vehicle's first frames when received.
    expect(forward(recorded)).toBe(true);
    for (const file of tlogFiles(path.join(s.dataDir, "sessions"))) expect(forward(readTlogFile(file).entries), file).toBe(true);

    const fromVehicle = recorded.filter((e) => e.frame.sysid === 1);
    const ours = recorded.filter((e) => e.frame.sysid === 255);
    expect(ours.length).toBeGreaterThan(10);
    expect(flight).toMatchObject({ packets: recorded.length, packetsReceived: fromVehicle.length, packetsSent: ours.length });
    // Every packet recorded as sent did reach the vehicle.
    const reached = new Set(delivered.map((f) => hex(f.bytes)));
    expect(ours.filter((e) => !reached.has(hex(e.frame.bytes)))).toEqual([]);
    // A rebuild from the file counts the same.
    expect(statsOfEntries(recorded, 1, 1)).toMatchObject({ packetsIn: fromVehicle.length, packetsOut: ours.length });

    // More messages than the live view keeps, each as the vehicle sent it, in the flight's record.
    const texts = (list: readonly TlogEntry[]) => list.filter((e) => e.frame.msgid === STATUSTEXT && e.frame.sysid === 1)
      .map((e) => decodeFrame(e.frame).message).map((m) => (m.kind === "statusText" ? m.text : ""));
    const messages = await s.catalogue.messages(flight.id);
    expect(messages.length).toBeGreaterThan(20);
    expect(messages.map((m) => m.text)).toEqual(texts(recorded));
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i));
    expect(flight).toMatchObject({ messageCount: messages.length, messagesDropped: 0 });
  }, 30_000);

  it("tcpout: nothing while the connection is not up", async () => {
    const [port] = await freeTcpPorts(1);
    const link = createLink(`tcpout://127.0.0.1:${port!}`, { id: "tcp", logger: log, backoff: { initialMs: 10_000, maxMs: 10_000 } });
    const s = await station(link);
    for (let i = 0; i < 3; i++) s.gs.sendOn("tcp", [{ kind: "gcsHeartbeat" }]);
    expect(s.packets).toEqual([]);
  });

  it("udpout: the configured address is the link's peer from the start, so what is sent there is recorded", async () => {
    const [port] = await freeTcpPorts(1);
    const link = createLink(`udpout://127.0.0.1:${port!}`, { id: "out", logger: log });
    const s = await station(link);
    s.gs.sendOn("out", [{ kind: "gcsHeartbeat" }]);
    // The greeting when the link came up, then the heartbeat.
    const heartbeat = { direction: "out", linkId: "out", sysid: 0, compid: 0 };
    expect(s.packets).toMatchObject([heartbeat, heartbeat]);
  });
});
