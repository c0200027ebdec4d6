/**
 * The flight catalogue's HTTP API on a real server: flights put straight into its catalogue, the recorded fixture
 * as one flight's .tlog in its data directory.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlightCatalogue } from "../../server/flights";
import type { RunningServer } from "../../server/main";
import type { FlightNote, FlightSummary, FlightsPage, Role, SeriesResponse } from "../../server/protocol";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

const FIXTURE = fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog"));
const SHA256 = createHash("sha256").update(FIXTURE).digest("hex");
/** Positions in the fixture that are a place (GLOBAL_POSITION_INT less those at 0,0 before the EKF origin). */
const POSITIONS = 739;
const T0 = 1_795_234_604_877;
const HOUR = 3_600_000;
const LONDON: [number, number, number, number] = [-0.1290, 51.5070, -0.1250, 51.5090];
const PARIS: [number, number, number, number] = [2.29, 48.85, 2.30, 48.86];

let server: RunningServer;
let dataDir: string;
let reviewer: string;
const cookies = new Map<Role, string>();
/** london: the fixture, sealed; paris: vehicle 2, still recording, its file missing; early: vehicle 1, a day before. */
const ids = { london: 0, paris: 0, early: 0 };

function stats(bbox: [number, number, number, number]) {
  return {
    armedAt: null, disarmedAt: null, distanceM: 100, maxAltRelM: 30, maxDistHomeM: 50, takeoff: null, landing: null,
    bbox, packets: 1, packetsIn: 1, packetsOut: 0, messages: [], messagesDropped: 0, endedAt: null,
  };
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-flights-api-"));
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "flights/1-1/london.tlog"), FIXTURE);
  server = await startTestServer({ dataDir });
  const catalogue = new FlightCatalogue(server.sql);
  const vehicle = (sysid: number) => ({ key: `${sysid}:1` as const, sysid, compid: 1, type: "copter", name: null });
  const base = { status: "imported" as const, pilot: null, previousId: null, source: "import: test" };
  ids.early = await catalogue.create({ ...base, vehicle: vehicle(1), startedAt: T0 - 24 * HOUR, tlogPath: "flights/1-1/early.tlog" });
  await catalogue.updateStats(ids.early, { ...stats(LONDON), endedAt: T0 - 23 * HOUR });
  ids.london = await catalogue.create({ ...base, vehicle: vehicle(1), startedAt: T0, tlogPath: "flights/1-1/london.tlog" });
  await catalogue.updateStats(ids.london, stats(LONDON));
  await catalogue.seal(ids.london, { endedAt: T0 + 192_000, sizeBytes: FIXTURE.length, sha256: SHA256 });
  ids.paris = await catalogue.create({ ...base, status: "recording", vehicle: vehicle(2), startedAt: T0 + HOUR, tlogPath: "flights/2-1/paris.tlog" });
  await catalogue.updateStats(ids.paris, stats(PARIS));
  for (const role of ["admin", "pilot", "observer", "reviewer"] as const) cookies.set(role, await signIn(server, [role]));
  reviewer = cookies.get("reviewer")!;
}, 30_000);
afterAll(async () => {
  await server?.close();
});

const get = (pathname: string, cookie: string | null = reviewer) => api(server, cookie, pathname);
async function page(query: string): Promise<FlightsPage> {
  const res = await get(`/api/flights${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as FlightsPage;
}
const idsOf = (p: FlightsPage) => p.flights.map((f) => f.id);
async function refused(res: Response, status: number, code: string | RegExp): Promise<string> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toMatch(code);
  return body.error.message;
}

describe("GET /api/flights", () => {
  it("lists newest first, filtered by vehicle, time (ISO or ms) and box, paged", async () => {
    expect(await page("")).toMatchObject({ total: 3, offset: 0, limit: 50 });
    expect(idsOf(await page(""))).toEqual([ids.paris, ids.london, ids.early]);
    expect(idsOf(await page("?vehicle=1:1"))).toEqual([ids.london, ids.early]);
    expect(idsOf(await page(`?from=${T0 - HOUR}&to=${T0 + 10 * 60_000}`))).toEqual([ids.london]);
    expect(idsOf(await page(`?from=${new Date(T0 - HOUR).toISOString()}`))).toEqual([ids.paris, ids.london]);
    expect(idsOf(await page("?bbox=2,48,3,49"))).toEqual([ids.paris]);
    expect(idsOf(await page("?bbox=-0.2,51.4,-0.1,51.6&vehicle=1:1"))).toEqual([ids.london, ids.early]);
    expect(await page("?offset=1&limit=1")).toMatchObject({ total: 3, offset: 1, limit: 1, flights: [{ id: ids.london }] });
    expect(idsOf(await page("?offset=5"))).toEqual([]);
  });

  it("refuses a bad query with 400 and the reason", async () => {
    expect(await refused(await get("/api/flights?bbox=1,2,3"), 400, "bad_request")).toMatch(/bbox: minLon,minLat,maxLon,maxLat/);
    expect(await refused(await get("/api/flights?bbox=10,0,-10,5"), 400, "bad_request")).toMatch(/bbox/);
    expect(await refused(await get("/api/flights?from=yesterday"), 400, "bad_request")).toMatch(/from: a time/);
    // Without an offset the hour would depend on the server's time zone.
    expect(await refused(await get("/api/flights?to=2026-11-21T09:00:00"), 400, "bad_request")).toMatch(/to: a time/);
    expect(idsOf(await page(`?to=${new Date(T0).toISOString().slice(0, 10)}`))).toEqual([ids.early]);
    expect(await refused(await get(`/api/flights?from=${T0}&to=${T0 - 1}`), 400, "bad_request")).toMatch(/from must not be after to/);
    expect(await refused(await get("/api/flights?limit=0"), 400, "bad_request")).toMatch(/limit/);
    expect(await refused(await get("/api/flights?limit=501"), 400, "bad_request")).toMatch(/limit/);
    expect(await refused(await get("/api/flights?offset=-1"), 400, "bad_request")).toMatch(/offset/);
    expect(await refused(await get("/api/flights?vehicle=one"), 400, "bad_request")).toMatch(/vehicle: sysid:compid/);
    expect(await refused(await get("/api/flights?vehicle=1:1&vehicle=2:1"), 400, "bad_request")).toMatch(/vehicle/);
    expect(await refused(await get("/api/flights?page=2"), 400, "bad_request")).toMatch(/page/);
  });
});

describe("GET /api/flights/:id", () => {
  it("gives the flight's summary, 404 for an unknown one and 400 for a malformed id", async () => {
    const res = await get(`/api/flights/${ids.london}`);
    expect(res.status).toBe(200);
    expect(await res.json() as FlightSummary).toMatchObject({ id: ids.london, sha256: SHA256, sizeBytes: FIXTURE.length, status: "imported", vehicle: { key: "1:1" } });
    expect(await refused(await get("/api/flights/999999"), 404, "flight_not_found")).toBe("no flight 999999");
    await refused(await get("/api/flights/abc"), 400, "bad_request");
    await refused(await get("/api/flights/0"), 400, "bad_request");
  });
});

describe("GET /api/flights/:id/track", () => {
  it("is a GeoJSON LineString of the recorded positions, simplified to the tolerance asked", async () => {
    const full = await get(`/api/flights/${ids.london}/track?tolerance=0`);
    expect(full.headers.get("content-type")).toMatch(/^application\/geo\+json/);
    const all = (await full.json()) as { type: string; geometry: { type: string; coordinates: number[][] }; properties: { points: number } };
    expect(all).toMatchObject({ type: "Feature", geometry: { type: "LineString" }, properties: { points: POSITIONS, originalPoints: POSITIONS } });
    const simplified = (await (await get(`/api/flights/${ids.london}/track?tolerance=5`)).json()) as typeof all;
    expect(simplified.properties.points).toBeLessThan(POSITIONS / 4);
    const preview = (await (await get(`/api/flights/${ids.london}/track`)).json()) as typeof all & { properties: { toleranceM: number } };
    expect(preview.properties.toleranceM).toBe(2);
    expect(preview.geometry.coordinates[0]).toEqual(all.geometry.coordinates[0]);
  });

  it("refuses a bad tolerance, and says when the flight's file is missing", async () => {
    expect(await refused(await get(`/api/flights/${ids.london}/track?tolerance=-1`), 400, "bad_request")).toMatch(/tolerance/);
    expect(await refused(await get(`/api/flights/${ids.london}/track?tolerance=5000`), 400, "bad_request")).toMatch(/tolerance/);
    await refused(await get(`/api/flights/${ids.paris}/track`), 404, "tlog_missing");
    await refused(await get("/api/flights/999999/track"), 404, "flight_not_found");
  });
});

describe("GET /api/flights/:id/series", () => {
  it("answers from the series store for the flight", async () => {
    const res = await get(`/api/flights/${ids.london}/series?kind=position&fields=lat,lon&resolution=1000`);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as SeriesResponse;
    expect(body).toMatchObject({ kind: "position", fields: ["lat", "lon"], resolutionMs: 1000 });
    expect(Array.isArray(body.samples)).toBe(true);
  });

  it("refuses an unknown kind or field, and a bad time or resolution", async () => {
    expect(await refused(await get(`/api/flights/${ids.london}/series?kind=weather`), 400, "bad_request")).toMatch(/kind/);
    expect(await refused(await get(`/api/flights/${ids.london}/series?kind=battery&fields=voltage,lat`), 400, "bad_request"))
      .toMatch(/battery has no lat/);
    await refused(await get(`/api/flights/${ids.london}/series?kind=battery&from=soon`), 400, "bad_request");
    await refused(await get(`/api/flights/${ids.london}/series?kind=battery&resolution=1.5`), 400, "bad_request");
    await refused(await get(`/api/flights/${ids.london}/series`), 400, "bad_request");
    await refused(await get("/api/flights/999999/series?kind=battery"), 404, "flight_not_found");
  });
});

describe("GET /api/flights/:id/export", () => {
  const exported = (id: number, format: string) => get(`/api/flights/${id}/export?format=${format}`);
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" });

  it("sends the .tlog as recorded, byte for byte, as an attachment with the sealed hash", async () => {
    const res = await exported(ids.london, "tlog");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("content-disposition")).toMatch(new RegExp(`^attachment; filename="flight-${ids.london}-1-\\d{8}T\\d{6}Z\\.tlog"$`));
    expect(res.headers.get("content-length")).toBe(String(FIXTURE.length));
    expect(res.headers.get("x-content-sha256")).toBe(SHA256);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(FIXTURE)).toBe(true);
    expect(createHash("sha256").update(body).digest("hex")).toBe(SHA256);
  });

  it("derives GPX 1.1, KML 2.2, CSV and GeoJSON from the .tlog", async () => {
    const gpx = await exported(ids.london, "gpx");
    expect(gpx.headers.get("content-type")).toMatch(/^application\/gpx\+xml/);
    expect(gpx.headers.get("content-disposition")).toMatch(/^attachment; filename="flight-\d+-1-\d{8}T\d{6}Z\.gpx"$/);
    const gpxText = await gpx.text();
    expect(XMLValidator.validate(gpxText)).toBe(true);
    const g = xml.parse(gpxText) as { gpx: { "@xmlns": string; "@version": string; trk: { trkseg: { trkpt: { "@lat": string; ele: number; time: string }[] } } } };
    expect(g.gpx["@xmlns"]).toBe("http://www.topografix.com/GPX/1/1");
    expect(g.gpx.trk.trkseg.trkpt).toHaveLength(POSITIONS);

    const kml = await exported(ids.london, "kml");
    expect(kml.headers.get("content-type")).toMatch(/^application\/vnd\.google-earth\.kml\+xml/);
    const kmlText = await kml.text();
    expect(XMLValidator.validate(kmlText)).toBe(true);
    const k = xml.parse(kmlText) as { kml: { "@xmlns": string; Document: { Placemark: { name: string; LineString?: { coordinates: string } }[] } } };
    expect(k.kml["@xmlns"]).toBe("http://www.opengis.net/kml/2.2");
    expect(k.kml.Document.Placemark[0]!.LineString!.coordinates.trim().split(/\s+/)).toHaveLength(POSITIONS);
    expect(k.kml.Document.Placemark.slice(1).map((p) => p.name)).toEqual(["Take-off", "Landing"]);

    const csv = await exported(ids.london, "csv");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const rows = (await csv.text()).trimEnd().split("\r\n");
    expect(rows[0]).toBe("time,lat,lon,alt_amsl_m,alt_rel_m,heading_deg,ground_speed_mps,climb_mps,mode,armed,battery_v,battery_pct");
    expect(rows).toHaveLength(POSITIONS + 1);

    const geo = await exported(ids.london, "geojson");
    expect(geo.headers.get("content-type")).toMatch(/^application\/geo\+json/);
    const fc = (await geo.json()) as { type: string; features: { properties: { flightId: number; tlogSha256: string }; geometry: { type: string; coordinates: unknown[] } }[] };
    expect(fc.type).toBe("FeatureCollection");
    expect(fc.features.map((f) => f.geometry.type)).toEqual(["LineString", "Point", "Point"]);
    expect(fc.features[0]!.properties).toMatchObject({ flightId: ids.london, tlogSha256: SHA256 });
    expect(fc.features[0]!.geometry.coordinates).toHaveLength(POSITIONS);
  });

  it("streams a large flight to a client that leaves after the first bytes; the server carries on", async () => {
    const big = path.join(dataDir, "flights/1-1/london-big.tlog");
    const fd = fs.openSync(big, "w");
    for (let i = 0; i < 40; i++) fs.writeSync(fd, FIXTURE);
    fs.closeSync(fd);
    const id = await new FlightCatalogue(server.sql).create({
      vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: T0 - 2 * HOUR,
      tlogPath: "flights/1-1/london-big.tlog", status: "imported", pilot: null, previousId: null, source: "import: big",
    });
    for (const format of ["csv", "tlog"]) {
      const aborter = new AbortController();
      const res = await api(server, reviewer, `/api/flights/${id}/export?format=${format}`, { signal: aborter.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(first.value!.length).toBeGreaterThan(0);
      aborter.abort();
      await reader.cancel().catch(() => undefined);
    }
    // The server carries on.
    expect(idsOf(await page(`?vehicle=1:1&limit=1`))).toEqual([ids.london]);
  });

  it("refuses an unknown format, an unknown flight and a flight whose file is missing", async () => {
    expect(await refused(await exported(ids.london, "pdf"), 400, "bad_request")).toMatch(/format/);
    await refused(await get(`/api/flights/${ids.london}/export`), 400, "bad_request");
    await refused(await exported(999_999, "kml"), 404, "flight_not_found");
    await refused(await exported(ids.paris, "tlog"), 404, "tlog_missing");
  });
});

describe("POST /api/flights/:id/notes", () => {
  const note = (id: number, body: unknown, cookie = reviewer) =>
    api(server, cookie, `/api/flights/${id}/notes`, { method: "POST", body: JSON.stringify(body) });

  it("adds a note by the signed-in reviewer, kept with the flight", async () => {
    const res = await note(ids.london, { text: "  Incident 4711: suspect vehicle followed  " });
    expect(res.status).toBe(201);
    const added = (await res.json()) as FlightNote;
    expect(added).toMatchObject({ author: "reviewer", text: "Incident 4711: suspect vehicle followed" });
    const flight = (await (await get(`/api/flights/${ids.london}`)).json()) as FlightSummary;
    expect(flight.notes).toContainEqual(added);
  });

  it("refuses an empty or unexpected body, and an unknown flight", async () => {
    await refused(await note(ids.london, { text: "   " }), 400, "bad_request");
    await refused(await note(ids.london, { text: "x", author: "someone else" }), 400, "bad_request");
    await refused(await note(ids.london, { text: "x".repeat(4001) }), 400, "bad_request");
    await refused(await note(999_999, { text: "x" }), 404, "flight_not_found");
  });
});

describe("who may read and annotate flights", () => {
  const paths = () => [
    "/api/flights", `/api/flights/${ids.london}`, `/api/flights/${ids.london}/track`,
    `/api/flights/${ids.london}/series?kind=position`, `/api/flights/${ids.london}/export?format=tlog`,
    `/api/flights/${ids.london}/messages`,
  ];

  it("is reviewers only: the other roles get 403, no session 401", async () => {
    for (const role of ["admin", "pilot", "observer"] as const) {
      for (const p of paths()) {
        expect(await refused(await get(p, cookies.get(role)!), 403, "forbidden"), `${role} ${p}`).toBe("needs role reviewer");
      }
      const res = await api(server, cookies.get(role)!, `/api/flights/${ids.london}/notes`, { method: "POST", body: JSON.stringify({ text: "x" }) });
      await refused(res, 403, "forbidden");
    }
    for (const p of paths()) await refused(await get(p, null), 401, "unauthenticated");
  });
});
