/**
 * Two servers of one deployment (--database postgres://, --redis redis://), each started the usual way, against a
 * real PostgreSQL and a real redis-server (Debian's, in temp dirs): a vehicle heard by one is on the screens of the
 * other, its status texts reach them through Socket.IO's adapter, and it leaves them once its server is gone. A pilot
 * on either server flies it: control, commands and their answers go to the server that has its link.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../server/config";
import type { RunningServer } from "../../server/main";
import { createLink } from "../../server/mavlink";
import type { MavLink } from "../../server/mavlink";
import { unpackTrail } from "../../server/protocol";
import type { CommandReply, HealthResponse, Result, Snapshot, StatusTextEvent, TrailsPart, VehicleControl } from "../../server/protocol";
import { LEASE_MS, LEASE_TICK_MS, SERVER_GONE_MS } from "../../server/cluster";
import { TlogPlayer } from "../../sitl";
import type { SimFleet } from "../../sitl/sim/fleet";
import { MODE } from "../../sitl/sim/modes";
import { Postgres } from "../helpers/postgres";
import { Redis } from "../helpers/redis";
import { api, connectClient, createUser, login, openSocket, signIn, startTestServer, waitFor, onLiveEvent } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";
import { startServerProcess } from "../helpers/server-process";
import { oneCopter } from "../helpers/sim";
import { flightEntries } from "../helpers/udp";

const entries = flightEntries();

let postgres: Postgres;
let redis: Redis;
const servers: RunningServer[] = [];
const sockets: LiveSocket[] = [];
let player: MavLink | undefined;
let fleet: SimFleet | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  [postgres, redis] = await Promise.all([Postgres.create(), Redis.create()]);
}, 120_000);
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  for (const s of sockets.splice(0)) s.disconnect();
  await player?.close();
  player = undefined;
  await fleet?.stop();
  fleet = undefined;
  for (const s of servers.splice(0)) await s.close();
});
afterAll(async () => {
  await Promise.all([postgres.dispose(), redis.dispose()]);
});

/** What every server of the deployment is started with (its own data directory apart). */
let shared: Pick<Config, "database" | "redis">;

/** n servers; the first has `links` (a UDP port of its own otherwise), the others one UDP port each. */
async function deployment(n: number, links: string[] = ["udpin://127.0.0.1:0"]): Promise<RunningServer[]> {
  const url = await postgres.createDatabase("dmc_cluster");
  shared = { database: { kind: "postgres", url, host: "127.0.0.1", database: url.split("/").at(-1)! }, redis: { kind: "redis", url: redis.url, host: "127.0.0.1" } };
  for (let i = 0; i < n; i++) {
    // One after the other: the first brings the database to its schema, the next finds it done.
    servers.push(await startTestServer({ links: i === 0 ? links : ["udpin://127.0.0.1:0"], ...shared }));
  }
  return servers;
}

describe("two servers sharing PostgreSQL and Redis", () => {
  it("show each other's vehicles and status texts, and drop them when their server is gone", async () => {
    const [a, first] = await deployment(2) as [RunningServer, RunningServer];
    let b = first;
    // One account for the whole deployment: made on A, signed in on B.
    const cookie = await signIn(a, ["observer"], "olga");
    let viewer = await connectClient(b.httpPort, await signIn(b, ["observer"], "olga"));
    sockets.push(viewer.socket);
    const texts: StatusTextEvent[] = [];
    onLiveEvent(viewer.socket, "statustext", (e) => texts.push(e));

    const port = a.links[0]!.localAddress()!.port;
    player = createLink(`udpout://127.0.0.1:${port}`, { id: "player", logger: pino({ level: "silent" }) });
    await player.start();
    const playing = new TlogPlayer(entries, player, { speed: 20 }).play();
    // Heard by A only, on B's screen with its position.
    const seen = await waitFor("the vehicle on the other server's screen", () => viewer.latest.get("1:1")?.position ? viewer.latest.get("1:1") : null, 15_000);
    expect(seen).toMatchObject({ key: "1:1", vehicleClass: "copter" });
    expect(b.registry.snapshot(Date.now())).toEqual([]);
    // B restarts while A records the flight: A's flight is A's to seal, not B's recovery's (B has no file of it).
    const [recording] = await waitFor("A's flight being recorded", async () => {
      const rows = await a.sql.run<{ id: number }>("SELECT id FROM flights WHERE status = 'recording'");
      return rows.length > 0 ? rows : null;
    });
    const bDir = path.dirname(b.db.name);
    sockets.splice(0).forEach((socket) => socket.disconnect());
    await b.close();
    servers.splice(servers.indexOf(b), 1);
    b = await startTestServer({ links: ["udpin://127.0.0.1:0"], ...shared, dataDir: bDir });
    servers.push(b);
    viewer = await connectClient(b.httpPort, await signIn(b, ["observer"], "olga"));
    sockets.push(viewer.socket);
    onLiveEvent(viewer.socket, "statustext", (e) => texts.push(e));
    await playing;
    await waitFor("every packet at A", () => a.links[0]!.status().counters.frames === entries.length);
    // The vehicle's messages reach B's screens through the adapter, each once.
    await waitFor("status texts on B's screen", () => texts.length > 5);
    const mode = texts.filter((t) => t.key === "1:1").map((t) => `${t.status.time}:${t.status.text}`);
    expect(new Set(mode).size).toBe(mode.length);
    expect(viewer.latest.get("1:1")!.armed).toBe(false);

    // A screen opened on B now gets A's vehicle with its trail, drawn at B from what A published since B's restart.
    const late = openSocket(b.httpPort, await signIn(b, ["observer"], "olga"));
    sockets.push(late);
    const trails = new Promise<TrailsPart>((resolve) => late.on("vehicles:trails", (part) => { if (part.last) resolve(part); }));
    const snapshot = await new Promise<Snapshot>((resolve) => late.once("vehicles:snapshot", resolve));
    expect(snapshot.vehicles.map((v) => v.key)).toEqual(["1:1"]);
    expect(unpackTrail((await trails).trails["1:1"] ?? []).length).toBeGreaterThan(1);

    const health = (await (await api(b, cookie, "/api/health")).json()) as HealthResponse;
    expect(health.cluster).toMatchObject({ servers: 1, vehicles: 1, refused: 0, conflicts: 0, redis: "ready" });
    expect(((await (await api(a, cookie, "/api/health")).json()) as HealthResponse).cluster).toMatchObject({ servers: 1, vehicles: 0, redis: "ready" });

    // A stops and says so: its vehicle leaves B's screens (a server that dies without a word is dropped after
    // SERVER_GONE_MS of silence: the mirror's own tests).
    await servers.shift()!.close();
    await waitFor("the vehicle gone from B's screen", () => !viewer.latest.has("1:1"), SERVER_GONE_MS);
    expect(viewer.frames.some((f) => f.removed?.includes("1:1"))).toBe(true);
    await waitFor("A gone from B's health", async () => ((await (await api(b, cookie, "/api/health")).json()) as HealthResponse).cluster?.vehicles === 0);
    // Sealed by A, as recorded: never "interrupted" by B's start.
    const [sealed] = await b.sql.run<{ status: string; sha256: string | null }>(`SELECT status, sha256 FROM flights WHERE id = ${recording!.id}`);
    expect(sealed).toMatchObject({ status: "closed", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  }, 60_000);

  it("let a pilot on either server fly a vehicle: control is held once, commands reach it and answer, a logout lets go", async () => {
    const copter = oneCopter();
    fleet = copter.fleet;
    const { toVehicle } = copter;
    const { links } = await fleet.start();
    const [a, b] = await deployment(2, links) as [RunningServer, RunningServer];
    await createUser(a, "p1", ["pilot"]);
    await createUser(a, "p2", ["pilot"]);
    // p1 flies from B (which has no link to the vehicle), p2 is at A (which has it).
    const p1Cookie = await login(b, "p1");
    const onB = await connectClient(b.httpPort, p1Cookie);
    const onA = await connectClient(a.httpPort, await login(a, "p2"));
    sockets.push(onB.socket, onA.socket);
    const statesOnA: Record<string, VehicleControl>[] = [];
    const statesOnB: Record<string, VehicleControl>[] = [];
    onA.socket.on("control:state", (state) => statesOnA.push(state));
    onB.socket.on("control:state", (state) => statesOnB.push(state));
    await waitFor("the vehicle on B's screen", () => onB.latest.get("1:1"), 15_000);
    const take = (s: LiveSocket) => new Promise<Result<VehicleControl>>((resolve) => s.emit("control:take", { key: "1:1" }, resolve));
    const changeSpeed = (s: LiveSocket) => new Promise<Result<CommandReply>>((resolve) =>
      s.emit("vehicle:command", { key: "1:1", command: { kind: "speed", mps: 5 } }, resolve));

    // Taken from B: held at A, where the link is, so the pilot at A is refused.
    expect(await take(onB.socket)).toMatchObject({ ok: true, value: { holder: "p1" } });
    expect(a.control.holderOf("1:1")).toBe("p1");
    expect(b.control.holderOf("1:1")).toBeNull();
    expect(await take(onA.socket)).toEqual({ ok: false, error: { code: "held", message: "held by p1" } });
    // Both servers' screens show who holds it.
    await waitFor("p1's control on A's screens", () => statesOnA.some((s) => s["1:1"]?.holder === "p1"));
    await waitFor("p1's control on B's screens", () => statesOnB.some((s) => s["1:1"]?.holder === "p1"));
    expect(await changeSpeed(onA.socket)).toMatchObject({ ok: false, error: { code: "not_holder" } });

    // The command from B reaches the vehicle through A's link, and the vehicle's answer comes back to B.
    const before = toVehicle.length;
    expect(await changeSpeed(onB.socket)).toMatchObject({ ok: true, value: { result: "accepted", text: "Accepted by the vehicle" } });
    expect(toVehicle.slice(before).some((f) => f.msgid === 76)).toBe(true);
    // One audit trail for the deployment: the command as p1 sent it, from p1's address, once.
    const trail = await a.audit.list(30);
    expect(trail.filter((e) => e.action === "command" && e.actor === "p1")).toEqual([expect.objectContaining({ target: "1:1", result: "sent" })]);
    expect(trail.find((e) => e.action === "command_result" && e.actor === "p1")).toMatchObject({ result: "accepted" });
    expect(trail.find((e) => e.action === "control_taken")).toMatchObject({ actor: "p1", target: "1:1" });
    const cookie = await signIn(b, ["admin"], "root");
    const health = (await (await api(b, cookie, "/api/health")).json()) as HealthResponse;
    expect(health.cluster?.requests).toMatchObject({ forwarded: 2, pending: 0, failed: 0, refused: 0 });

    // p1 signs out on B: A lets go of the vehicle, and p2 takes it.
    expect((await api(b, p1Cookie, "/api/auth/logout", { method: "POST" })).status).toBe(204);
    await waitFor("control let go at A", () => a.control.holderOf("1:1") === null);
    expect(await take(onA.socket)).toMatchObject({ ok: true, value: { holder: "p2" } });
  }, 60_000);

  it("take over the tcpout link of a server that dies within 10 s, keep its pilot in control, seal its open flight and continue it", async () => {
    const copter = oneCopter();
    fleet = copter.fleet;
    const { links } = await fleet.start();
    const url = await postgres.createDatabase("dmc_takeover");
    shared = { database: { kind: "postgres", url, host: "127.0.0.1", database: url.split("/").at(-1)! }, redis: { kind: "redis", url: redis.url, host: "127.0.0.1" } };
    // One evidence directory for both servers (--files): each can read, check and seal the other's flights.
    const files = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-cluster-files-"));
    // A: a real process (to be killed for real), configured with the vehicle's link; the first up holds it.
    const aDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-cluster-a-"));
    const a = await startServerProcess(["--data-dir", aDir, "--files", files, ...links.flatMap((l) => ["--link", l])], children,
      { DMC_DATABASE: url, DMC_REDIS: redis.url });
    // B: the same link, standing by.
    const b = await startTestServer({ links, ...shared, filesDir: files });
    servers.push(b);
    const cookie = await signIn(b, ["reviewer"], "rita");
    const cluster = async () => ((await (await api(b, cookie, "/api/health")).json()) as HealthResponse).cluster!;
    await waitFor("the vehicle at A, on B's screens", async () => (await cluster()).vehicles === 1, 15_000);
    expect((await cluster()).links).toEqual({ held: [], standby: [links[0]], takenOver: 0, lost: 0 });
    expect(b.registry.snapshot(Date.now())).toEqual([]);

    // The vehicle takes off (as a pilot at its controls would have it): A records the flight.
    const { sim } = copter;
    await waitFor("the vehicle armed and climbing", () => sim.actions.setMode(MODE.GUIDED) === 0 && sim.actions.arm(false) === 0
      && sim.actions.takeoff(20) === 0, 15_000);
    type Row = { id: number; status: string; sha256: string | null; recorded_by: string | null; previous_id: number | null };
    const flights = () => b.sql.run<Row>("SELECT id, status, sha256, recorded_by, previous_id FROM flights ORDER BY id");
    const [recording] = await waitFor("A's flight being recorded", async () => {
      const rows = (await flights()).filter((r) => r.status === "recording");
      return rows.length > 0 ? rows : null;
    }, 15_000);
    // A pilot on B flies it (control held at A, where its link is).
    await createUser(b, "p1", ["pilot"]);
    const pilot = await connectClient(b.httpPort, await login(b, "p1"));
    sockets.push(pilot.socket);
    const take = await new Promise<Result<VehicleControl>>((resolve) => pilot.socket.emit("control:take", { key: "1:1" }, resolve));
    expect(take).toMatchObject({ ok: true, value: { holder: "p1" } });
    // Some of the flight on disk (the recorder writes at least every second).
    await new Promise((r) => setTimeout(r, 2_000));

    a.kill("SIGKILL");
    const killedAt = Date.now();
    await waitFor("B hearing the vehicle on the link it took over", () => b.registry.get("1:1", Date.now())?.link.state === "ok", 10_000);
    const tookMs = Date.now() - killedAt;
    expect(tookMs).toBeLessThan(10_000);
    expect(tookMs).toBeLessThanOrEqual(LEASE_MS + LEASE_TICK_MS + 2_000);
    expect((await cluster()).links).toEqual({ held: [links[0]], standby: [], takenOver: 1, lost: 0 });
    // The pilot keeps the vehicle through the takeover, before A is even known gone.
    await waitFor("p1 in control at B", () => b.control.holderOf("1:1") === "p1", 3_000);
    expect(Date.now() - killedAt).toBeLessThan(SERVER_GONE_MS);

    // A's flight is sealed by B as interrupted, as A's own restart would have, and B's flight of the vehicle continues it.
    const sealed = await waitFor("A's flight sealed by B", async () => (await flights()).find((r) => r.id === recording!.id && r.status !== "recording"), 20_000);
    expect(sealed).toMatchObject({ status: "interrupted", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const next = await waitFor("B's flight continuing it", async () => (await flights()).find((r) => r.previous_id === recording!.id), 10_000);
    expect(next.recorded_by).not.toBe(recording!.recorded_by);
    expect((await cluster()).succession).toEqual({ succeeded: 1, settling: 0 });
    // ...and flies it from B.
    expect(b.control.holderOf("1:1")).toBe("p1");
    const speed = await new Promise<Result<CommandReply>>((resolve) =>
      pilot.socket.emit("vehicle:command", { key: "1:1", command: { kind: "speed", mps: 5 } }, resolve));
    expect(speed).toMatchObject({ ok: true, value: { result: "accepted" } });
    expect((await b.audit.list(50)).find((e) => e.action === "control_taken" && e.result === "carried_over")).toMatchObject({ actor: "p1", target: "1:1" });
    // B reads A's file where A wrote it, and it matches its seal.
    const verified = await api(b, cookie, `/api/flights/${recording!.id}/verify`, { method: "POST" });
    expect(await verified.json()).toMatchObject({ integrity: { state: "verified" } });
    fs.rmSync(aDir, { recursive: true, force: true });
  }, 90_000);
});
