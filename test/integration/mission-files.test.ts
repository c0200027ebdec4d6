/**
 * Mission files over the HTTP API, as the planner uses them: import every sample (the server parses, one parser
 * for every client), export to both formats and import again, and clear refusals of malformed files.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { Mission, MissionExportResponse, MissionImportResponse } from "../../server/protocol";
import { api, signIn, startTestServer } from "../helpers/server";

const MISSIONS = path.resolve(__dirname, "../../missions");
const SAMPLES = fs.readdirSync(MISSIONS).filter((f) => f.endsWith(".waypoints") || f.endsWith(".plan"));

let server: RunningServer;
let pilot: string;

beforeAll(async () => {
  server = await startTestServer();
  pilot = await signIn(server, ["pilot"]);
});
afterAll(async () => server?.close());

const post = (route: string, body: unknown) => api(server, pilot, route, { method: "POST", body: JSON.stringify(body) });

async function importText(fileName: string, text: string): Promise<MissionImportResponse> {
  const res = await post("/api/missions/import", { fileName, text });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as MissionImportResponse;
}

async function exportAs(plan: Mission, format: "plan" | "waypoints"): Promise<MissionExportResponse> {
  const res = await post("/api/missions/export", { plan, format, name: "exported" });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as MissionExportResponse;
}

describe.each(SAMPLES)("%s", (file) => {
  it("imports, and survives export to .plan and .waypoints and import again unchanged", async () => {
    const { format, mission } = await importText(file, fs.readFileSync(path.join(MISSIONS, file), "utf8"));
    expect(format).toBe(file.endsWith(".plan") ? "plan" : "waypoints");
    expect(mission.items.length).toBeGreaterThan(2);
    for (const fmt of ["plan", "waypoints"] as const) {
      const out = await exportAs(mission, fmt);
      expect(out.fileName).toBe(`exported.${fmt}`);
      // A .waypoints file holds only the mission items: a plan with a fence or rally points says what was left out.
      const fenceShapes = mission.fence.polygons.length + mission.fence.circles.length;
      const leftOut = fmt === "plan" ? [] : [
        ...(fenceShapes > 0 ? [`a .waypoints file holds no geofence: ${fenceShapes} fence shape${fenceShapes === 1 ? " was" : "s were"} left out (use .plan)`] : []),
        ...(mission.rally.length > 0 ? [`a .waypoints file holds no rally points: ${mission.rally.length} left out (use .plan)`] : []),
      ];
      expect(out.warnings).toEqual(leftOut);
      const again = await importText(out.fileName, out.text);
      expect(again.mission.items).toEqual(mission.items);
    }
  });
});

describe("malformed files and requests", () => {
  it("names the line of a bad .waypoints row", async () => {
    const text = "QGC WPL 110\n0\t1\t0\t16\t0\t0\t0\t0\t51.5\t-0.12\t10\t1\n1\t0\t3\t16\t0\t0\t0\t0\tnorth\t-0.12\t30\t1\n";
    const res = await post("/api/missions/import", { fileName: "bad.waypoints", text });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "mission_file_invalid", message: 'bad.waypoints: line 3: LAT is not a number: "north"' } });
  });

  it("names the JSON path of a bad .plan item, and refuses what is no mission file", async () => {
    const plan = JSON.parse((await exportAs({
      home: { lat: 51.5, lon: -0.12, altAmsl: 10 },
      items: [{ command: 16, frame: 3, params: [0, 0, 0, null], lat: 51.5, lon: -0.12, alt: 30, autocontinue: true }],
      fence: { polygons: [], circles: [] }, rally: [],
    }, "plan")).text) as { mission: { items: { params: unknown[] }[] } };
    plan.mission.items[0]!.params[4] = 123;
    const res = await post("/api/missions/import", { fileName: "bad.plan", text: JSON.stringify(plan) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^bad\.plan: mission\.items\[0\]\.params\[4\]: latitude out of range/);
    const junk = await post("/api/missions/import", { fileName: "notes.docx", text: "PK\u0003\u0004" });
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as { error: { message: string } }).error.message).toMatch(/not a mission file/);
  });

  it("says what a .waypoints export leaves out, refuses bad plans, and takes large files up to 2 MB", async () => {
    const plan: Mission = {
      home: null, items: [],
      fence: { polygons: [{ inclusion: true, points: [{ lat: 51.5, lon: -0.1 }, { lat: 51.51, lon: -0.1 }, { lat: 51.51, lon: -0.11 }] }], circles: [] },
      rally: [{ lat: 51.5, lon: -0.1, alt: 20 }],
    };
    const out = await exportAs(plan, "waypoints");
    expect(out.warnings).toEqual([
      "a .waypoints file holds no geofence: 1 fence shape was left out (use .plan)",
      "a .waypoints file holds no rally points: 1 left out (use .plan)",
    ]);
    const bad = await post("/api/missions/export", { format: "plan", plan: { ...plan, rally: [{ lat: 91, lon: 0, alt: 1 }] } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^plan\.rally\.0\.lat:/);
    const big = await post("/api/missions/import", { fileName: "big.waypoints", text: "x".repeat(2_100_000) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: { code: "too_large", message: "request body larger than 2mb" } });
  });

  it("is for pilots only", async () => {
    const observer = await signIn(server, ["observer"]);
    const res = await api(server, observer, "/api/missions/import", { method: "POST", body: JSON.stringify({ fileName: "a.plan", text: "{}" }) });
    expect(res.status).toBe(403);
  });
});
