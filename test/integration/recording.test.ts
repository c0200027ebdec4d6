import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FlightCatalogue, importTlog } from "../../server/flights";
import type { FlightSummary, SeriesResponse } from "../../server/protocol";
import { createLink, readTlogFile } from "../../server/mavlink";
import type { Frame, MavLink } from "../../server/mavlink";
import type { RunningServer } from "../../server/main";
import { AppSql, openAppDatabase, serverIdOf } from "../../server/storage";
import { MIGRATIONS } from "../../server/migrations";
import type { Db } from "../../server/storage";
import { TlogPlayer } from "../../sitl";
import { FIXTURES, api, signIn, startTestServer, waitFor } from "../helpers/server";
import { flightEntries } from "../helpers/udp";

const log = pino({ level: "silent" });
const entries = flightEntries();
const SPEED = 40;
const hex = (bytes: Buffer) => bytes.toString("hex");
const place = (f: FlightSummary) => ({
  distanceM: f.distanceM, maxAltRelM: f.maxAltRelM, maxDistHomeM: f.maxDistHomeM, takeoff: f.takeoff, landing: f.landing,
});

let server: RunningServer | undefined;
let playerLink: MavLink | undefined;
const dbs: Db[] = [];
afterEach(async () => {
  await playerLink?.close();
  await server?.close();
  for (const db of dbs.splice(0)) if (db.open) db.close();
  server = playerLink = undefined;
});

describe("flight recording from a live link", () => {
  it("records the replayed flight as exactly one flight, byte for byte, with the statistics an import finds", async () => {
    server = await startTestServer({ links: ["udpin://127.0.0.1:0"] });
    const dataDir = path.dirname(server.db.name);
    const port = server.links[0]!.localAddress()!.port;
    playerLink = createLink(`udpout://127.0.0.1:${port}`, { id: "player", logger: log });
    await playerLink.start();
    const fromGcs: Frame[] = [];
    playerLink.on("frame", (f) => fromGcs.push({ ...f, bytes: Buffer.from(f.bytes) }));
    const summary = await new TlogPlayer(entries, playerLink, { speed: SPEED }).play();
    expect(summary.packetsSent).toBe(entries.length);
    await waitFor("every packet at the server", () => server!.links[0]!.status().counters.frames === entries.length);
    const live = new FlightCatalogue(server.sql);
    expect(await live.recording()).toHaveLength(1);
    // The telemetry series were sampled under this flight's id: a reviewer can chart its altitude.
    const reviewer = await signIn(server, ["reviewer"]);
    const id = (await live.recording())[0]!.id;
    const series = (await (await api(server, reviewer, `/api/flights/${id}/series?kind=position&fields=altRelative`)).json()) as SeriesResponse;
    // 5 Hz of wall time: the replay runs 40x faster than the flight, so about 4 s of samples.
    expect(series.samples.length).toBeGreaterThan(10);
    expect(Math.max(...series.samples.map((p) => p.values.altRelative ?? 0))).toBeGreaterThan(25);
    await server.close();
    server = undefined;

    const db = openAppDatabase(dataDir, log, MIGRATIONS);
    dbs.push(db);
    const catalogue = new FlightCatalogue(AppSql.sqlite(db));
    const { flights } = await catalogue.list({});
    expect(flights).toHaveLength(1);
    const flight = flights[0]!;
    expect(flight).toMatchObject({ status: "closed", source: "live", vehicle: { key: "1:1", type: "copter" }, previousId: null });
    const file = path.join(dataDir, flight.tlogPath);
    const bytes = fs.readFileSync(file);
    expect(flight.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(flight.sizeBytes).toBe(bytes.length);
    const recorded = readTlogFile(file);
    expect(recorded.counters).toMatchObject({ garbageBytes: 0, crcErrors: 0, unknownMessages: 0, truncated: 0 });
    expect(flight.packets).toBe(recorded.entries.length);
    // At 40x the 30 s pre-roll covers the whole recording: every packet the vehicle sent, in order, byte for byte.
    expect(recorded.entries.filter((e) => e.frame.sysid === 1).map((e) => hex(e.frame.bytes))).toEqual(entries.map((e) => hex(e.frame.bytes)));
    // And every packet the ground station sent it.
    const ours = recorded.entries.filter((e) => e.frame.sysid === 255).map((e) => hex(e.frame.bytes));
    expect(ours.length).toBeGreaterThan(10);
    expect(new Set(ours)).toEqual(new Set(fromGcs.filter((f) => f.sysid === 255).map((f) => hex(f.bytes))));

    // The source file imported gives the same flight: same places and heights, the same armed time (at 1x).
    const imported = await importTlog({ catalogue, dataDir, clock: Date.now, log, server: serverIdOf(dataDir) }, { path: path.join(FIXTURES, "copter_flight_1.tlog"), name: "copter_flight_1.tlog" });
    const fromSource = (await catalogue.get(imported.flights[0]!.id))!;
    expect(place(fromSource)).toEqual(place(flight));
    expect(fromSource.durationS).toBeGreaterThan(145);
    expect(fromSource.durationS).toBeLessThan(148);
    expect(flight.durationS! * SPEED).toBeGreaterThan(145 * 0.9);
    expect(flight.durationS! * SPEED).toBeLessThan(148 * 1.1);
    expect(fromSource.maxAltRelM).toBeGreaterThan(29);

    // The recorded file imported gives exactly the recorded flight.
    const again = await importTlog({ catalogue, dataDir, clock: Date.now, log, server: serverIdOf(dataDir) }, { path: file, name: "recorded.tlog" });
    const fromRecord = (await catalogue.get(again.flights[0]!.id))!;
    const { id: _a, tlogPath: _b, status: _c, source: _d, importedFileSha256: _i, ...same } = fromRecord;
    const { id: _e, tlogPath: _f, status: _g, source: _h, ...expected } = flight;
    expect(same).toEqual(expected);
  }, 30_000);
});
