/**
 * Two servers of one deployment (--database postgres://, --redis redis://), each started the usual way, against a
 * real PostgreSQL and a real redis-server (Debian's, in temp dirs): a vehicle heard by one is on the screens of the
 * other, its status texts reach them through Socket.IO's adapter, and it leaves them once its server is gone.
 */
import path from "node:path";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../server/config";
import type { RunningServer } from "../../server/main";
import { createLink } from "../../server/mavlink";
import type { MavLink } from "../../server/mavlink";
import type { HealthResponse, StatusTextEvent } from "../../server/protocol";
import { SERVER_GONE_MS } from "../../server/cluster";
import { TlogPlayer } from "../../sitl";
import { Postgres } from "../helpers/postgres";
import { Redis } from "../helpers/redis";
import { api, connectClient, signIn, startTestServer, waitFor } from "../helpers/server";
import type { LiveSocket } from "../helpers/server";
import { flightEntries } from "../helpers/udp";

const entries = flightEntries();

let postgres: Postgres;
let redis: Redis;
const servers: RunningServer[] = [];
const sockets: LiveSocket[] = [];
let player: MavLink | undefined;

beforeAll(async () => {
  [postgres, redis] = await Promise.all([Postgres.create(), Redis.create()]);
}, 120_000);
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await player?.close();
  player = undefined;
  for (const s of servers.splice(0)) await s.close();
});
afterAll(async () => {
  await Promise.all([postgres.dispose(), redis.dispose()]);
});

/** What every server of the deployment is started with (its own data directory apart). */
let shared: Pick<Config, "database" | "redis">;

async function deployment(n: number): Promise<RunningServer[]> {
  const url = await postgres.createDatabase("dmc_cluster");
  shared = { database: { kind: "postgres", url, host: "127.0.0.1", database: url.split("/").at(-1)! }, redis: { kind: "redis", url: redis.url, host: "127.0.0.1" } };
  for (let i = 0; i < n; i++) {
    // One after the other: the first brings the database to its schema, the next finds it done.
    servers.push(await startTestServer({ links: ["udpin://127.0.0.1:0"], ...shared }));
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
    viewer.socket.on("vehicle:statustext", (e) => texts.push(e));

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
    viewer.socket.on("vehicle:statustext", (e) => texts.push(e));
    await playing;
    await waitFor("every packet at A", () => a.links[0]!.status().counters.frames === entries.length);
    // The vehicle's messages reach B's screens through the adapter, each once.
    await waitFor("status texts on B's screen", () => texts.length > 5);
    const mode = texts.filter((t) => t.key === "1:1").map((t) => `${t.status.time}:${t.status.text}`);
    expect(new Set(mode).size).toBe(mode.length);
    expect(viewer.latest.get("1:1")!.armed).toBe(false);

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
});
