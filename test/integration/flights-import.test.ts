/**
 * Importing a .tlog from another ground station over HTTP: multipart upload streamed to disk, the file kept as-is
 * and hashed, flights derived exactly as from a live recording, a damaged file imported as far as it is valid.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { FlightSummary } from "../../server/protocol";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

let server: RunningServer;
let reviewer: string;
const FLIGHT = fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog"));

beforeAll(async () => {
  server = await startTestServer();
  reviewer = await signIn(server, ["reviewer"]);
});
afterAll(async () => server?.close());

function upload(bytes: Buffer, name: string, cookie = reviewer): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)]), name);
  return api(server, cookie, "/api/flights/import", { method: "POST", body: form });
}

interface Report {
  sha256: string; sizeBytes: number; duplicate: boolean; packets: number;
  invalid: { garbageBytes: number; crcErrors: number; truncated: boolean };
  flights: { id: number }[];
}

describe("POST /api/flights/import", () => {
  it("keeps the file as-is, hashed, and derives the recorded flight with its statistics; a second upload is a duplicate", async () => {
    const res = await upload(FLIGHT, "copter_flight_1.tlog");
    expect(res.status).toBe(201);
    const report = (await res.json()) as Report;
    expect(report).toMatchObject({
      sha256: createHash("sha256").update(FLIGHT).digest("hex"), sizeBytes: FLIGHT.length, duplicate: false,
      invalid: { garbageBytes: 0, crcErrors: 0, truncated: false },
    });
    expect(report.flights).toHaveLength(1);
    const kept = path.join(path.dirname(server.db.name), "imports", `${report.sha256}.tlog`);
    expect(fs.readFileSync(kept).equals(FLIGHT)).toBe(true);
    const flight = (await (await api(server, reviewer, `/api/flights/${report.flights[0]!.id}`)).json()) as FlightSummary;
    expect(flight).toMatchObject({ status: "imported", source: "import: copter_flight_1.tlog", vehicle: { key: "1:1" } });
    expect(flight.durationS).toBeGreaterThan(145);
    expect(flight.durationS).toBeLessThan(148);
    expect(flight.maxAltRelM).toBeGreaterThan(29);
    expect(flight.maxAltRelM).toBeLessThan(31.5);
    expect((await server.audit.list(5)).find((e) => e.action === "flight_imported")).toMatchObject({ actor: "reviewer", result: "ok" });

    const again = await upload(FLIGHT, "renamed.tlog");
    expect(again.status).toBe(200);
    expect(((await again.json()) as Report).duplicate).toBe(true);
    // No temporary upload left behind.
    expect(fs.readdirSync(path.join(path.dirname(server.db.name), "tmp"))).toEqual([]);
  });

  it("imports what is valid of a truncated, damaged file and says what was not", async () => {
    const damaged = Buffer.concat([FLIGHT.subarray(0, 200_000), Buffer.from("garbage!"), FLIGHT.subarray(200_000, 400_013)]);
    const res = await upload(damaged, "damaged.tlog");
    expect(res.status).toBe(201);
    const report = (await res.json()) as Report;
    expect(report.invalid.truncated).toBe(true);
    expect(report.invalid.garbageBytes).toBeGreaterThan(0);
    expect(report.packets).toBeGreaterThan(5000);
  });

  it("refuses a request without a file, and other roles", async () => {
    const none = await api(server, reviewer, "/api/flights/import", { method: "POST", body: new FormData() });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(/no file field/);
    const json = await api(server, reviewer, "/api/flights/import", { method: "POST", body: "{}" });
    expect(json.status).toBe(400);
    const pilot = await signIn(server, ["pilot"]);
    expect((await upload(FLIGHT, "x.tlog", pilot)).status).toBe(403);
  });
});
