/**
 * The server on PostgreSQL (--database postgres://...): started the usual way against a real PostgreSQL (Debian's,
 * in a temp dir), it migrates the database itself, and everything the application keeps (users and sessions,
 * the audit log, flights and their alerts) goes there; the data directory keeps the files and the series.
 */
import { createHash } from "node:crypto";
import pino from "pino";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DatabaseUnavailableError } from "../../server/main";
import type { RunningServer } from "../../server/main";
import { createLink } from "../../server/mavlink";
import type { MavLink } from "../../server/mavlink";
import type { FlightsPage } from "../../server/protocol";
import { TlogPlayer } from "../../sitl";
import { freeTcpPorts } from "../helpers/ports";
import { Postgres } from "../helpers/postgres";
import { api, signIn, startTestServer, waitFor } from "../helpers/server";
import { flightEntries } from "../helpers/udp";

const entries = flightEntries();

let postgres: Postgres;
let server: RunningServer | undefined;
let player: MavLink | undefined;
let databases = 0;

beforeAll(async () => {
  postgres = await Postgres.create();
}, 120_000);
afterEach(async () => {
  await player?.close();
  await server?.close();
  server = player = undefined;
});
afterAll(async () => {
  await postgres.dispose();
});

async function database(): Promise<{ kind: "postgres"; url: string; host: string; database: string }> {
  const name = `dmc_server_${++databases}`;
  await postgres.query(`CREATE DATABASE ${name}`);
  return { kind: "postgres", url: postgres.urlOf(name), host: "127.0.0.1", database: name };
}

describe("the server on PostgreSQL", () => {
  it("migrates the database at start, keeps users, audit and flights there, and the flight's file in the data directory", async () => {
    const target = await database();
    server = await startTestServer({ links: ["udpin://127.0.0.1:0"], database: target });
    expect(server.sql.engine).toBe("postgres");
    const dataDir = path.dirname(server.db.name);
    const pilot = await signIn(server, ["pilot"], "pia");
    const port = server.links[0]!.localAddress()!.port;
    player = createLink(`udpout://127.0.0.1:${port}`, { id: "player", logger: pino({ level: "silent" }) });
    await player.start();
    await new TlogPlayer(entries, player, { speed: 40 }).play();
    await waitFor("every packet at the server", () => server!.links[0]!.status().counters.frames === entries.length);
    await waitFor("the flight catalogued", async () => (await server!.sql.run<{ n: number }>("SELECT count(*) AS n FROM flights"))[0]!.n === 1);
    const reviewer = await signIn(server, ["reviewer"], "rita");
    await server.close();

    // A second start on the same database and data directory: nothing to migrate, the flight closed, as recorded.
    server = await startTestServer({ links: ["udpin://127.0.0.1:0"], database: target, dataDir });
    const page = (await (await api(server, reviewer, "/api/flights")).json()) as FlightsPage;
    expect(page.total).toBe(1);
    const flight = page.flights[0]!;
    expect(flight).toMatchObject({ status: "closed", source: "live", vehicle: { key: "1:1" } });
    const bytes = fs.readFileSync(path.join(dataDir, flight.tlogPath));
    expect(flight.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(flight.sizeBytes).toBe(bytes.length);
    // The session made before the restart is still good: sessions are in PostgreSQL too.
    expect((await api(server, pilot, "/api/health")).status).toBe(200);
    // Both runs appended to one chain there, and it verifies.
    const verify = await server.audit.verify();
    expect(verify).toMatchObject({ ok: true, problems: [] });
    const [{ n }] = await server.sql.run<{ n: number }>("SELECT count(*) AS n FROM audit_log") as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    expect(verify.entries).toBe(n);
    // The data directory's SQLite file holds none of it.
    const local = server.db.prepare("SELECT (SELECT count(*) FROM flights) AS flights, (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM audit_log) AS audit").get();
    expect(local).toEqual({ flights: 0, users: 0, audit: 0 });
    const remote = await server.sql.run<{ flights: number; users: number }>("SELECT (SELECT count(*) FROM flights) AS flights, (SELECT count(*) FROM users) AS users");
    expect(remote).toEqual([{ flights: 1, users: 2 }]);
  }, 60_000);

  it("does not start without its database, and says which without the password", async () => {
    const [closed] = await freeTcpPorts(1);
    const start = startTestServer({ database: { kind: "postgres", url: `postgres://dmc:s3cret@127.0.0.1:${closed}/dmc`, host: "127.0.0.1", database: "dmc" } });
    const err = await start.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    expect((err as Error).message).toMatch(/^the PostgreSQL database dmc on 127\.0\.0\.1 cannot be used: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain("s3cret");
  }, 30_000);
});
