/**
 * Reviewers' bookmarks over the REST API of a running server: added by reviewers and admins only, within the
 * flight's span, attributed and audited, listed, exported with the flight as CSV, never changing the recording.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { Bookmark, BookmarksResponse, FlightSummary, HealthResponse } from "../../server/protocol";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

const FLIGHT = fs.readFileSync(path.join(FIXTURES, "copter_flight_1.tlog"));
let server: RunningServer;
let reviewer: string;
let admin: string;
let flight: FlightSummary;

beforeAll(async () => {
  server = await startTestServer();
  reviewer = await signIn(server, ["reviewer"], "rita");
  admin = await signIn(server, ["admin"], "ada");
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(FLIGHT)]), "copter_flight_1.tlog");
  const report = (await (await api(server, reviewer, "/api/flights/import", { method: "POST", body: form })).json()) as { flights: { id: number }[] };
  flight = (await (await api(server, reviewer, `/api/flights/${report.flights[0]!.id}`)).json()) as FlightSummary;
}, 30_000);
afterAll(async () => server?.close());

const post = (cookie: string, id: number, body: unknown) =>
  api(server, cookie, `/api/flights/${id}/bookmarks`, { method: "POST", body: JSON.stringify(body) });

describe("bookmarks of a flight", () => {
  it("are added by a reviewer or an admin, attributed to who is signed in, audited and listed in time order", async () => {
    const at = flight.startedAt + 60_000;
    const res = await post(reviewer, flight.id, { time: at, end: at + 5000, note: "mode change, nobody asked for it" });
    expect(res.status).toBe(201);
    const first = (await res.json()) as Bookmark;
    expect(first).toMatchObject({ flightId: flight.id, time: at, end: at + 5000, author: "rita", note: "mode change, nobody asked for it" });
    const second = (await (await post(admin, flight.id, { time: flight.startedAt + 1000, note: "armed" })).json()) as Bookmark;
    expect(second).toMatchObject({ author: "ada", end: null });
    const listed = (await (await api(server, reviewer, `/api/flights/${flight.id}/bookmarks`)).json()) as BookmarksResponse;
    expect(listed.bookmarks.map((b) => b.id)).toEqual([second.id, first.id]);
    expect((await server.audit.list(10)).filter((e) => e.action === "bookmark_added").map((e) => [e.actor, e.target, e.result]))
      .toEqual(expect.arrayContaining([["rita", `flight:${flight.id}`, "ok"], ["ada", `flight:${flight.id}`, "ok"]]));
  });

  it("refuse a moment outside the flight, a bad note and an unknown flight", async () => {
    const before = (await server.audit.list(200)).filter((e) => e.action === "bookmark_added").length;
    const outside = await post(reviewer, flight.id, { time: flight.endedAt! + 1, note: "after landing" });
    expect(outside.status).toBe(400);
    expect(await outside.json()).toMatchObject({ error: { code: "bookmark_out_of_span" } });
    for (const body of [{ time: flight.startedAt, note: "" }, { time: flight.startedAt, note: "x".repeat(2001) },
      { time: flight.startedAt, note: "x", author: "someone else" }, { time: "10:14", note: "x" }]) {
      const res = await post(reviewer, flight.id, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
    expect((await post(reviewer, 999_999, { time: flight.startedAt, note: "x" })).status).toBe(404);
    expect((await api(server, reviewer, "/api/flights/999999/bookmarks")).status).toBe(404);
    expect((await server.audit.list(200)).filter((e) => e.action === "bookmark_added")).toHaveLength(before);
  });

  it("are refused to observers and pilots", async () => {
    for (const role of ["observer", "pilot"] as const) {
      const cookie = await signIn(server, [role]);
      expect((await api(server, cookie, `/api/flights/${flight.id}/bookmarks`)).status, role).toBe(403);
      expect((await post(cookie, flight.id, { time: flight.startedAt, note: "x" })).status, role).toBe(403);
    }
  });

  it("are exported with the flight as CSV, audited, and never change the recording", async () => {
    await post(reviewer, flight.id, { time: flight.startedAt + 2000, note: "note with \"quotes\", a comma\nand a line" });
    const res = await api(server, reviewer, `/api/flights/${flight.id}/export?format=bookmarks`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/-bookmarks\.csv"$/);
    const text = await res.text();
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("id,time,end,author,created_at,note");
    expect(lines[1]).toMatch(new RegExp(`^\\d+,${new Date(flight.startedAt + 1000).toISOString()},,ada,`));
    // RFC 4180: quotes doubled, the field quoted, its line break kept inside it.
    expect(text).toContain(`,"note with ""quotes"", a comma\nand a line"\r\n`);
    expect((await server.audit.list(5)).find((e) => e.action === "flight_exported")).toMatchObject({ actor: "rita", detail: expect.stringContaining("bookmarks") });
    const file = path.join(path.dirname(server.db.name), flight.tlogPath);
    expect(createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(flight.sha256);
  });

  it("/api/health counts the replay sessions open", async () => {
    const health = (await (await api(server, reviewer, "/api/health")).json()) as HealthResponse;
    expect(health.replaySessions).toBe(0);
  });
});
