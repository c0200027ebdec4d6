/**
 * GET /api/flights/:id/charts on a real server: the recorded fixture as a sealed flight's .tlog, read in a worker
 * thread and kept under the data directory; who may read it, and what an altered or missing file gets.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlightCatalogue } from "../../server/flights";
import type { RunningServer } from "../../server/main";
import type { FlightChartsResponse, Role } from "../../server/protocol";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

const FIXTURE = fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog"));
const SHA256 = createHash("sha256").update(FIXTURE).digest("hex");
const T0 = 1_795_234_602_551;

let server: RunningServer;
let dataDir: string;
const cookies = new Map<Role, string>();
const ids = { sealed: 0, altered: 0, missing: 0 };

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-charts-api-"));
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "flights/1-1/sealed.tlog"), FIXTURE);
  // Same size, one byte changed: only the SHA-256 tells.
  const altered = Buffer.from(FIXTURE);
  altered[1000] = altered[1000]! ^ 0xff;
  fs.writeFileSync(path.join(dataDir, "flights/1-1/altered.tlog"), altered);
  server = await startTestServer({ dataDir });
  const catalogue = new FlightCatalogue(server.sql);
  const vehicle = { key: "1:1" as const, sysid: 1, compid: 1, type: "copter", name: null };
  const base = { status: "imported" as const, pilot: null, previousId: null, source: "import: test", vehicle, startedAt: T0 };
  for (const name of ["sealed", "altered", "missing"] as const) {
    ids[name] = await catalogue.create({ ...base, tlogPath: `flights/1-1/${name}.tlog` });
    await catalogue.seal(ids[name], { endedAt: T0 + 195_000, sizeBytes: FIXTURE.length, sha256: SHA256 });
  }
  for (const role of ["admin", "pilot", "observer", "reviewer"] as const) cookies.set(role, await signIn(server, [role]));
}, 30_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (id: number | string, role: Role | null = "reviewer") =>
  api(server, role === null ? null : cookies.get(role)!, `/api/flights/${id}/charts`);

async function refused(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
}

describe("GET /api/flights/:id/charts", () => {
  it("gives every chart's series read from the .tlog, then the same from the kept copy", async () => {
    const res = await get(ids.sealed);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-charts-cache")).toBe("miss");
    const body = (await res.json()) as FlightChartsResponse;
    expect(body).toMatchObject({ flightId: ids.sealed, vehicle: "1:1", t0: T0, entries: 21_259, maxPoints: 2000 });
    expect(Math.max(...body.series.altRelative!.v)).toBeGreaterThan(29.5);
    expect(Math.max(...body.series.voltage!.v)).toBeLessThan(13);
    expect(Object.keys(body.series)).toEqual(expect.arrayContaining(["satellites", "hdop", "packetLoss", "vibeZ", "ekfCompass"]));
    expect(fs.readdirSync(path.join(dataDir, "derived/charts"))).toEqual([`${SHA256}-1-1-v1.json`]);

    const admin = await get(ids.sealed, "admin");
    expect(admin.status).toBe(200);
    expect(admin.headers.get("x-charts-cache")).toBe("hit");
    expect(((await admin.json()) as FlightChartsResponse).series).toEqual(body.series);
  });

  it("refuses pilots, observers and the signed-out", async () => {
    await refused(await get(ids.sealed, "pilot"), 403, "forbidden");
    await refused(await get(ids.sealed, "observer"), 403, "forbidden");
    expect((await get(ids.sealed, null)).status).toBe(401);
  });

  it("answers 404 for an unknown flight or a missing file, 400 for a bad id, 409 for an altered file", async () => {
    await refused(await get(999_999), 404, "flight_not_found");
    await refused(await get("x1"), 400, "bad_request");
    await refused(await get(ids.missing), 404, "tlog_missing");
    // The quick check (size and time) cannot see one byte changed: a full read is what finds it.
    const verify = await api(server, cookies.get("reviewer")!, `/api/flights/${ids.altered}/verify`, { method: "POST" });
    expect(verify.status).toBe(200);
    const res = await get(ids.altered);
    expect(res.headers.get("x-flight-integrity")).toBe("altered");
    await refused(res, 409, "tlog_altered");
  });
});
