/**
 * The server as `npm start` runs it: the bundle `npm run build:server` makes, under plain node (no TypeScript loader),
 * with its worker threads started from their own bundles. Every kind of worker a reviewer's work starts is driven
 * through HTTP: the series writer (at start), a .tlog import, its charts and report, and a footage upload's hash.
 */
import { execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlightSummary } from "../../server/protocol";
import { ingested, makeVideo, sha256sum, tusUpload } from "../helpers/footage";
import { FIXTURES, TEST_PASSWORD, api, login } from "../helpers/server";
import { startServerProcess } from "../helpers/server-process";

const ROOT = path.resolve(__dirname, "../..");
const children: ChildProcess[] = [];
let server: { httpPort: number };
let output: () => string;
let cookie: string;

beforeAll(async () => {
  execFileSync("npm", ["run", "-s", "build:server"], { cwd: ROOT, stdio: "pipe" });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-built-"));
  const child = await startServerProcess(["--link", "udpin://127.0.0.1:0", "--data-dir", dataDir], children,
    { DMC_ADMIN_USER: "chief", DMC_ADMIN_PASSWORD: TEST_PASSWORD }, { built: true });
  output = child.output;
  server = { httpPort: Number(/Live map: http:\/\/[^:]+:(\d+)\//.exec(child.output())![1]) };
  const admin = await login(server, "chief");
  const made = await api(server, admin, "/api/users", { method: "POST", body: JSON.stringify({ name: "rita", roles: ["reviewer"], password: TEST_PASSWORD }) });
  expect(made.status).toBe(201);
  cookie = await login(server, "rita");
}, 60_000);

afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
});

describe("the built server", () => {
  it("runs from dist/server without tsx, and its worker threads start from their bundles", async () => {
    const pid = children[0]!.pid!;
    // No TypeScript loader anywhere in the process (it would be mapped from node_modules/tsx or esbuild).
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8")).toContain("dist/server/main.mjs");
    expect(fs.readFileSync(`/proc/${pid}/maps`, "utf8")).not.toMatch(/node_modules\/(tsx|esbuild)/);

    // A .tlog import (import worker), then its charts (chart worker) and report (report worker).
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog")))]), "copter_flight_1.tlog");
    const imported = await api(server, cookie, "/api/flights/import", { method: "POST", body: form });
    expect(imported.status).toBe(201);
    const { flights } = (await imported.json()) as { flights: { id: number }[] };
    const flight = (await (await api(server, cookie, `/api/flights/${flights[0]!.id}`)).json()) as FlightSummary;
    expect(flight.packets).toBeGreaterThan(1000);
    const charts = await api(server, cookie, `/api/flights/${flight.id}/charts`);
    expect(charts.status).toBe(200);
    expect(JSON.stringify(await charts.json()).length).toBeGreaterThan(1000);
    const report = await api(server, cookie, `/api/flights/${flight.id}/report`);
    expect(report.status).toBe(200);
    const facts = (await report.json()) as { flightId: number; aircraft: { autopilot: string | null } };
    expect(facts).toMatchObject({ flightId: flight.id, aircraft: { autopilot: "ArduPilot" } });
    expect(JSON.stringify(facts).length).toBeGreaterThan(1000);

    // A footage upload: hashed in its worker, stored under the hash sha256sum gives.
    const video = makeVideo({ seconds: 2, creationTime: "2026-11-21T09:00:00Z", name: "DJI_0001.MP4" });
    const run = await tusUpload(server, cookie, video);
    const status = await ingested(server, cookie, run.url!);
    expect(status).toMatchObject({ state: "stored", message: null });
    const footage = (await (await api(server, cookie, `/api/footage/${status.footageId}`)).json()) as { sha256: string };
    expect(footage.sha256).toBe(sha256sum(video));

    // Nothing went wrong in any thread (the series writer's failures, a worker that could not load, are logged).
    expect(output()).not.toMatch(/"level":(50|60)/);
  }, 120_000);
});
