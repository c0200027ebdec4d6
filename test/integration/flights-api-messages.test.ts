/**
 * The vehicle's messages kept with a flight, over HTTP on a real server: the recorded fixture as one flight,
 * catalogued as a rebuild would (its statistics and messages derived from its .tlog).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FlightCatalogue, MAX_FLIGHT_MESSAGES, statsOfEntries } from "../../server/flights";
import type { RunningServer } from "../../server/main";
import { decodeFrame, readTlogFile } from "../../server/mavlink";
import type { FlightMessagesResponse, FlightSummary } from "../../server/protocol";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

const FILE = path.join(FIXTURES, "copter_flight_1.tlog");
const FIXTURE = fs.readFileSync(FILE);
const ENTRIES = readTlogFile(FILE).entries;
/** The fixture's STATUSTEXT messages, as the vehicle sent them. */
const TEXTS = ENTRIES.filter((e) => e.frame.msgid === 253).map((e) => {
  const m = decodeFrame(e.frame).message;
  return m.kind === "statusText" ? { time: Math.floor(e.timeUs / 1000), severity: m.severity, text: m.text } : null;
});

let server: RunningServer;
let id = 0;
const cookies = new Map<string, string>();

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-flights-messages-"));
  fs.mkdirSync(path.join(dataDir, "flights/1-1"), { recursive: true });
  fs.writeFileSync(path.join(dataDir, "flights/1-1/fixture.tlog"), FIXTURE);
  server = await startTestServer({ dataDir });
  const catalogue = new FlightCatalogue(server.sql);
  id = await catalogue.create({
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: Math.floor(ENTRIES[0]!.timeUs / 1000),
    tlogPath: "flights/1-1/fixture.tlog", status: "imported", pilot: null, previousId: null, source: "import: test",
  });
  const stats = statsOfEntries(ENTRIES, 1, 1);
  await catalogue.updateStats(id, stats);
  await catalogue.seal(id, { endedAt: stats.endedAt!, sizeBytes: FIXTURE.length, sha256: createHash("sha256").update(FIXTURE).digest("hex") });
  for (const role of ["admin", "pilot", "observer", "reviewer"] as const) cookies.set(role, await signIn(server, [role]));
}, 30_000);
afterAll(async () => {
  await server?.close();
});

const get = (pathname: string, role: string | null = "reviewer") => api(server, role === null ? null : cookies.get(role)!, pathname);

describe("GET /api/flights/:id/messages", () => {
  it("lists every message of the flight, oldest first, with its time and severity, more than the live view's 20", async () => {
    const res = await get(`/api/flights/${id}/messages`);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as FlightMessagesResponse;
    expect(TEXTS.length).toBeGreaterThan(20);
    expect(body).toEqual({
      flightId: id, vehicle: "1:1", dropped: 0, limit: MAX_FLIGHT_MESSAGES, messages: TEXTS.map((m, seq) => ({ seq, ...m })),
    });
    expect(body.messages.filter((m) => m.severity === "warning").map((m) => m.text)).toEqual(["got MISSION_REQUEST; use MISSION_REQUEST_INT!"]);
    expect(res.headers.get("x-flight-integrity")).toMatch(/^(verified|unchecked)$/);
    const summary = (await (await get(`/api/flights/${id}`)).json()) as FlightSummary;
    expect(summary).toMatchObject({ messageCount: TEXTS.length, messagesDropped: 0, packets: ENTRIES.length, packetsReceived: ENTRIES.length, packetsSent: 0 });
  });

  it("is evidence access: each reading is in the audit log, with who read which flight", async () => {
    const before = (await server.audit.list(10_000)).filter((e) => e.action === "flight_messages_read").length;
    expect((await get(`/api/flights/${id}/messages`)).status).toBe(200);
    const reads = (await server.audit.list(10_000)).filter((e) => e.action === "flight_messages_read");
    expect(reads).toHaveLength(before + 1);
    // Newest first.
    expect(reads[0]).toMatchObject({ actor: "reviewer", target: `flight:${id}`, result: "ok" });
  });

  it("is for reviewers only, like the other flight routes; refuses unknown flights and any query", async () => {
    for (const role of ["admin", "pilot", "observer"]) {
      const res = await get(`/api/flights/${id}/messages`, role);
      expect(res.status, role).toBe(403);
    }
    expect((await get(`/api/flights/${id}/messages`, null)).status).toBe(401);
    expect((await get("/api/flights/999999/messages")).status).toBe(404);
    expect((await get("/api/flights/x/messages")).status).toBe(400);
    expect((await get(`/api/flights/${id}/messages?limit=5`)).status).toBe(400);
  });
});

describe("the messages export", () => {
  it("is a CSV of every message in the .tlog, read from the file", async () => {
    const res = await get(`/api/flights/${id}/export?format=messages`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/filename="flight-\d+-1-\d{8}T\d{6}Z-messages\.csv"/);
    const rows = (await res.text()).trimEnd().split("\r\n");
    expect(rows[0]).toBe("time,severity,text");
    expect(rows.slice(1)).toEqual(TEXTS.map((m) => `${new Date(m!.time).toISOString()},${m!.severity},${m!.text}`));
    expect((await server.audit.list(10_000)).filter((e) => e.action === "flight_exported")[0]).toMatchObject({ detail: expect.stringContaining("messages") });
  });
});
