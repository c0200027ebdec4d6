/**
 * The flight report over HTTP on a real server: the recorded fixture catalogued as a sealed live flight, with an
 * alert of its vehicle in the history; read by a reviewer, printed (checked and audited), refused to others.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqlAlertStore } from "../../server/alerts";
import { FlightCatalogue, statsOfEntries } from "../../server/flights";
import type { RunningServer } from "../../server/main";
import { readTlogFile } from "../../server/mavlink";
import type { FlightReport } from "../../server/protocol";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

const FILE = path.join(FIXTURES, "copter_flight_1.tlog");
const FIXTURE = fs.readFileSync(FILE);
const SHA = createHash("sha256").update(FIXTURE).digest("hex");
const ENTRIES = readTlogFile(FILE).entries;

let server: RunningServer;
let dataDir = "";
let id = 0;
const cookies = new Map<string, string>();

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-flight-report-"));
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "flights/1-1/fixture.tlog"), FIXTURE);
  server = await startTestServer({ dataDir });
  const catalogue = new FlightCatalogue(server.sql);
  id = await catalogue.create({
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: "Alpha" }, startedAt: Math.floor(ENTRIES[0]!.timeUs / 1000),
    tlogPath: "flights/1-1/fixture.tlog", status: "recording", pilot: "pat", previousId: null, source: "live",
  });
  const stats = statsOfEntries(ENTRIES, 1, 1);
  await catalogue.updateStats(id, stats);
  await catalogue.seal(id, { endedAt: stats.endedAt!, sizeBytes: FIXTURE.length, sha256: SHA });
  const during = stats.armedAt! + 60_000;
  const alerts = new SqlAlertStore(server.sql);
  await alerts.save([{
    id: (await alerts.reserveIds(1)).first, key: "1:1", rule: "battery_low", severity: "warning", text: "Battery low: 24 % (below 30 %)",
    count: 1, raisedAt: during, updatedAt: during, clearedAt: null, clearReason: null, acknowledgedBy: null, acknowledgedAt: null,
  }]);
  for (const role of ["admin", "pilot", "observer", "reviewer"] as const) cookies.set(role, await signIn(server, [role]));
}, 30_000);
afterAll(async () => {
  await server?.close();
});

const get = (pathname: string, role: string | null = "reviewer") => api(server, role === null ? null : cookies.get(role)!, pathname);

describe("GET /api/flights/:id/report", () => {
  it("gives the logbook fields with the proof of the maximum height and distance, the alerts and the hash", async () => {
    const res = await get(`/api/flights/${id}/report`);
    expect(res.status, await res.clone().text()).toBe(200);
    const r = (await res.json()) as FlightReport;
    expect(r).toMatchObject({
      flightId: id, unit: "Drone Unit", generatedBy: "reviewer", remotePilot: "pat", date: "2026-11-21",
      aircraft: { key: "1:1", vehicleType: "copter", name: "Alpha", autopilot: "ArduPilot" },
      operation: { kind: "VLOS" },
      evidence: { sha256: SHA, sizeBytes: FIXTURE.length },
    });
    expect(r.maxHeight!.heightM).toBeCloseTo(30, 0);
    expect(r.maxDistance!.distanceM).toBeGreaterThan(95);
    expect(r.takeoff!.time).toBeGreaterThan(r.record.armedAt!);
    expect(r.alerts.items.map((a) => a.text)).toEqual(["Battery low: 24 % (below 30 %)"]);
    expect(r.evidence.howToCheck.join(" ")).toContain(`sha256sum ${r.evidence.fileName}`);
    // Straight legs between the mission's four waypoints: a few points draw them within 2 m.
    expect(r.track.points.length).toBeGreaterThanOrEqual(6);
    expect(r.track.positions).toBeGreaterThan(500);
  });

  it("printing reads the file against its seal and is audited with who printed which hash", async () => {
    const before = (await server.audit.list(10_000)).filter((e) => e.action === "flight_report_printed").length;
    expect((await get(`/api/flights/${id}/report`)).status).toBe(200);
    expect((await server.audit.list(10_000)).filter((e) => e.action === "flight_report_printed")).toHaveLength(before);
    const res = await get(`/api/flights/${id}/report?print=1`, "admin");
    expect(res.status).toBe(200);
    expect(((await res.json()) as FlightReport).evidence.integrity.state).toBe("verified");
    const printed = (await server.audit.list(10_000)).filter((e) => e.action === "flight_report_printed");
    expect(printed).toHaveLength(before + 1);
    expect(printed[0]).toMatchObject({ actor: "admin", target: `flight:${id}`, result: "ok" });
    expect(printed[0]!.detail).toContain(SHA);
  });

  it("is for reviewers and admins only; refuses unknown flights and queries", async () => {
    for (const role of ["pilot", "observer"]) expect((await get(`/api/flights/${id}/report`, role)).status, role).toBe(403);
    expect((await get(`/api/flights/${id}/report`, null)).status).toBe(401);
    expect((await get("/api/flights/999999/report")).status).toBe(404);
    expect((await get(`/api/flights/${id}/report?print=yes`)).status).toBe(400);
  });

  it("refuses to print a report of an altered file, naming the mismatch", async () => {
    const file = path.join(dataDir, "flights/1-1/fixture.tlog");
    const altered = Buffer.from(FIXTURE);
    altered[100] = altered[100]! ^ 0xff;
    fs.writeFileSync(file, altered);
    try {
      const res = await get(`/api/flights/${id}/report?print=1`);
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: "tlog_altered", message: expect.stringMatching(/SHA-256/) } });
    } finally {
      fs.writeFileSync(file, FIXTURE);
    }
  });
});
