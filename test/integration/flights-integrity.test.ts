/**
 * A sealed flight whose file is altered on disk, through the real server: every answer says so, the content
 * derived from the file is refused, and the alteration is audited once.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlightCatalogue } from "../../server/flights";
import type { RunningServer } from "../../server/main";
import type { FlightSummary, FlightVerifyResponse, FlightsPage } from "../../server/protocol";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

const FIXTURE = fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog"));
const SHA256 = createHash("sha256").update(FIXTURE).digest("hex");
const T0 = 1_795_234_604_877;

let server: RunningServer;
let dataDir: string;
let reviewer: string;
let flightId: number;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-flights-integrity-"));
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "flights/1-1/sealed.tlog"), FIXTURE);
  server = await startTestServer({ dataDir });
  const catalogue = new FlightCatalogue(server.sql);
  flightId = await catalogue.create({
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: T0, tlogPath: "flights/1-1/sealed.tlog",
    status: "recording", pilot: null, previousId: null, source: "live",
  });
  await catalogue.seal(flightId, { endedAt: T0 + 192_000, sizeBytes: FIXTURE.length, sha256: SHA256 });
  reviewer = await signIn(server, ["reviewer"]);
}, 30_000);
afterAll(async () => {
  await server?.close();
});

const get = (p: string, cookie = reviewer) => api(server, cookie, p);
const verify = (cookie = reviewer) => api(server, cookie, `/api/flights/${flightId}/verify`, { method: "POST" });
const listed = async () => ((await (await get("/api/flights")).json()) as FlightsPage).flights.find((f) => f.id === flightId)!;
const failures = async () => (await server.audit.list(1000)).filter((e) => e.action === "flight_integrity_failed");

describe("a sealed flight's file", () => {
  it("is verified on request, by a reviewer or an admin, and every flight answer says so", async () => {
    const res = await verify();
    expect(res.status).toBe(200);
    expect(await res.json() as FlightVerifyResponse).toMatchObject({ id: flightId, sha256: SHA256, integrity: { state: "verified", actualSha256: null } });
    expect((await verify(await signIn(server, ["admin"]))).status).toBe(200);
    expect((await verify(await signIn(server, ["pilot"]))).status).toBe(403);
    expect((await listed()).integrity.state).toBe("verified");
    const detail = (await (await get(`/api/flights/${flightId}`)).json()) as FlightSummary;
    expect(detail.integrity.state).toBe("verified");
    const track = await get(`/api/flights/${flightId}/track`);
    expect(track.status).toBe(200);
    expect(track.headers.get("x-flight-integrity")).toBe("verified");
    expect((await server.audit.list(1000)).filter((e) => e.action === "flight_verified").map((e) => e.result)).toEqual(["verified", "verified"]);
  });

  it("altered by one byte: shown altered with both hashes, its track and exports refused, audited once", async () => {
    const bytes = Buffer.from(FIXTURE);
    bytes[5000] = bytes[5000]! ^ 0x01;
    fs.writeFileSync(path.join(dataDir, "flights/1-1/sealed.tlog"), bytes);
    const actual = createHash("sha256").update(bytes).digest("hex");

    const detail = (await (await get(`/api/flights/${flightId}`)).json()) as FlightSummary;
    expect(detail).toMatchObject({ sha256: SHA256, integrity: { state: "altered", actualSha256: actual, actualSizeBytes: FIXTURE.length } });
    expect((await listed()).integrity).toMatchObject({ state: "altered", actualSha256: actual });

    const track = await get(`/api/flights/${flightId}/track`);
    expect(track.status).toBe(409);
    expect(track.headers.get("x-flight-integrity")).toBe("altered");
    expect(await track.json()).toMatchObject({ error: { code: "tlog_altered" } });
    for (const format of ["tlog", "gpx"]) {
      const res = await get(`/api/flights/${flightId}/export?format=${format}`);
      expect(res.status, format).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: "tlog_altered" } });
    }
    // Sampled live, not read from the file: served, flagged.
    const series = await get(`/api/flights/${flightId}/series?kind=position`);
    expect(series.status).toBe(200);
    expect(series.headers.get("x-flight-integrity")).toBe("altered");
    expect((await verify()).status).toBe(200);
    for (let i = 0; i < 3; i++) await listed();

    expect(await failures()).toHaveLength(1);
    expect((await failures())[0]).toMatchObject({ actor: "system", target: `flight:${flightId}`, result: "altered" });
    expect(JSON.parse((await failures())[0]!.detail)).toMatchObject({ expectedSha256: SHA256, actualSha256: actual });
  });

  it("missing: shown missing, its track 404, audited once", async () => {
    fs.rmSync(path.join(dataDir, "flights/1-1/sealed.tlog"));
    expect((await listed()).integrity.state).toBe("missing");
    expect((await get(`/api/flights/${flightId}/track`)).status).toBe(404);
    await listed();
    expect((await failures()).map((e) => e.result)).toEqual(["missing", "altered"]);
  });
});
