import dgram from "node:dgram";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MavlinkFramer, RawEncoder, readTlogFile, vehicleHeartbeat } from "../../server/mavlink";
import type { Frame } from "../../server/mavlink";
import type { RunningServer } from "../../server/main";
import type { Alert } from "../../server/protocol";
import { FlightCatalogue } from "../../server/flights";
import { connectClient, signIn, startTestServer, waitFor, onLiveEvent } from "../helpers/server";

/** A UDP source of MAVLink: sends bytes to the server and keeps the frames it gets back. */
class Source {
  readonly got: Frame[] = [];
  private readonly socket = dgram.createSocket("udp4");
  private readonly framer = new MavlinkFramer((f) => this.got.push({ ...f, bytes: Buffer.from(f.bytes) }));

  static async open(): Promise<Source> {
    const s = new Source();
    await new Promise<void>((r) => s.socket.bind(0, "127.0.0.1", () => r()));
    s.socket.on("message", (m) => s.framer.push(m));
    return s;
  }

  send(port: number, bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(bytes, port, "127.0.0.1", (e) => (e ? reject(e) : resolve())));
  }

  get peer(): string {
    return `udp:127.0.0.1:${this.socket.address().port}`;
  }

  close(): void {
    this.socket.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fdCount = () => fs.readdirSync("/proc/self/fd").length;
const filesUnder = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length : 0);

/** An ArduCopter's packets: heartbeat (armed or not) and a position. */
function copter(sysid = 1) {
  const enc = new RawEncoder({ sysid, compid: 1 });
  return {
    heartbeat: (armed = false) => enc.encode("HEARTBEAT", {
      type: 2, autopilot: 3, base_mode: armed ? 209 : 81, custom_mode: 4, system_status: armed ? 4 : 3, mavlink_version: 3,
    }),
    position: (lat: number, lon: number) => enc.encode("GLOBAL_POSITION_INT", {
      time_boot_ms: 1000, lat: Math.round(lat * 1e7), lon: Math.round(lon * 1e7), alt: 20_000, relative_alt: 10_000, hdg: 0,
    }),
    text: (text: string) => enc.encode("STATUSTEXT", { severity: 4, text }),
  };
}

const auditOf = async (s: RunningServer, action: string) => (await s.audit.list(500)).filter((e) => e.action === action);

let server: RunningServer | undefined;
const sources: Source[] = [];
afterEach(async () => {
  for (const s of sources.splice(0)) s.close();
  await server?.close();
  server = undefined;
});

async function source(): Promise<Source> {
  const s = await Source.open();
  sources.push(s);
  return s;
}

/** The real vehicle at 1 Hz: heartbeats and positions over London until stopped. */
function fly(s: Source, port: number, armed: () => boolean): () => void {
  const v = copter();
  let n = 0;
  const timer = setInterval(() => {
    void s.send(port, v.heartbeat(armed()));
    void s.send(port, v.position(51.5 + n++ * 1e-5, -0.12));
  }, 250);
  return () => clearInterval(timer);
}

describe("forged system ids", () => {
  it("are refused without a file, a slot or a packet sent to them, while the real vehicle is admitted and served", async () => {
    server = await startTestServer();
    const dataDir = path.dirname(server.db.name);
    const port = server.links[0]!.localAddress()!.port;
    const real = await source();
    const stop = fly(real, port, () => false);
    await waitFor("the real vehicle", () => server!.registry.get("1:1", Date.now()), 5000);
    // The forgers' sockets are in this process too: counted before.
    const forgers = await Promise.all(Array.from({ length: 32 }, () => source()));
    const fdsBefore = fdCount();

    for (let i = 0; i < 2000; i++) {
      await forgers[i % forgers.length]!.send(port, vehicleHeartbeat(2 + Math.floor(i / 200), i % 200, i & 0xff));
      if (i % 100 === 99) await sleep(5);
    }
    // Past the candidates' time to live, every forged id is given up.
    await waitFor("the forged ids refused", () => (server!.linkStatuses()[0]!.admission?.refusedIds ?? 0) >= 2000, 10_000);
    stop();

    expect(server.registry.snapshot(Date.now()).map((v) => v.key)).toEqual(["1:1"]);
    const admission = server.linkStatuses()[0]!.admission!;
    expect(admission).toMatchObject({ vehicles: 1, admitted: 1, candidates: 0, refusedIds: 2000 });
    // One session log for the link, not one per id, and no descriptor left open for them.
    expect(filesUnder(path.join(dataDir, "sessions"))).toBeLessThanOrEqual(2);
    expect(fdCount()).toBeLessThanOrEqual(fdsBefore + 2);
    // The forgers got at most the one greeting a new peer gets; never a stream request or a command.
    const toForgers = forgers.flatMap((f) => f.got);
    expect(toForgers.filter((f) => f.msgid !== 0)).toEqual([]);
    expect(toForgers.length).toBeLessThanOrEqual(forgers.length);
    // The real vehicle was asked for its streams, on its own peer.
    expect(real.got.some((f) => f.msgid === 76)).toBe(true);
  }, 30_000);
});

describe("a second source sending as a bound vehicle", () => {
  it("is kept out of the state and the flight, quarantined, alerted and audited; it takes over only after silence", async () => {
    server = await startTestServer({ lostAfterMs: 1000 });
    const dataDir = path.dirname(server.db.name);
    const port = server.links[0]!.localAddress()!.port;
    const cookie = await signIn(server, ["observer"]);
    const client = await connectClient(server.httpPort, cookie);
    const alerts: Alert[] = [];
    onLiveEvent(client.socket, "alert", (a) => alerts.push(a));
    const real = await source();
    let armed = true;
    const stop = fly(real, port, () => armed);
    await waitFor("the flight", async () => (await new FlightCatalogue(server!.sql).recording()).length === 1, 5000);

    const intruder = await source();
    const forged = copter();
    const forgedBytes = [forged.position(-33.86, 151.2), forged.text("Forged text"), forged.position(-33.87, 151.21)];
    for (const b of forgedBytes) await intruder.send(port, b);
    await waitFor("the conflict alert", () => alerts.find((a) => a.rule === "source_conflict"), 5000);
    await sleep(600);
    const state = server.registry.get("1:1", Date.now())!;
    expect(state.position!.lat).toBeGreaterThan(51);
    expect(state.statusTexts.map((t) => t.text)).not.toContain("Forged text");
    const alert = alerts.find((a) => a.rule === "source_conflict")!;
    expect(alert.text).toContain(intruder.peer);
    expect(alert.text).toContain(real.peer);
    expect(server.linkStatuses()[0]!.admission!.foreignFrames).toBe(3);
    expect((await auditOf(server, "vehicle_source_conflict")).map((e) => e.target)).toEqual(["1:1"]);

    // The flight ends; its file holds nothing of the intruder, the quarantine holds all of it.
    armed = false;
    await sleep(800);
    stop();
    client.socket.close();
    await server.close();
    server = undefined;
    const flights = fs.readdirSync(path.join(dataDir, "flights"), { recursive: true }).map(String).filter((f) => f.endsWith(".tlog"));
    expect(flights).toHaveLength(1);
    const inFlight = readTlogFile(path.join(dataDir, "flights", flights[0]!)).entries.map((e) => e.frame.bytes.toString("hex"));
    const quarantineDir = path.join(dataDir, "quarantine", "link1");
    const quarantined = fs.readdirSync(quarantineDir).flatMap((f) => readTlogFile(path.join(quarantineDir, f)).entries)
      .map((e) => e.frame.bytes.toString("hex"));
    for (const b of forgedBytes) {
      expect(inFlight).not.toContain(b.toString("hex"));
      expect(quarantined).toContain(b.toString("hex"));
    }
  }, 30_000);

  it("takes over as a failover when the first source has been silent for the link-loss time, audited", async () => {
    server = await startTestServer({ lostAfterMs: 1000 });
    const port = server.links[0]!.localAddress()!.port;
    const first = await source();
    const stop = fly(first, port, () => false);
    await waitFor("the vehicle", () => server!.registry.get("1:1", Date.now()), 5000);
    stop();
    await sleep(1300);
    const second = await source();
    const stop2 = fly(second, port, () => false);
    await waitFor("the source change", async () => (await auditOf(server!, "vehicle_source_changed")).length === 1, 5000);
    stop2();
    const entry = (await auditOf(server, "vehicle_source_changed"))[0]!;
    expect(JSON.parse(entry.detail)).toEqual({ from: `${first.peer} on link1`, to: `${second.peer} on link1` });
    expect(server.linkStatuses()[0]!.admission).toMatchObject({ sourceChanges: 1, foreignFrames: 0 });
  }, 30_000);
});
