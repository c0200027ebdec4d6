/**
 * Retention of flights on a running server, its clock moved forward, with real .tlogs imported: a flight linked to
 * an open incident is on legal hold; another goes through the same queue as footage (reason, recovery window,
 * cancellable), then its .tlog and series go and a tombstone stays (row, seal, who/when/why); the routes that read
 * the file answer 410 with that; the integrity checks do not report the deletion as a lost file; disk usage counts
 * flights per category. Also: migration 20 keeps the footage deletion requests written before it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import { MIGRATIONS } from "../../server/migrations";
import type { FlightSummary, FlightsPage } from "../../server/protocol";
import type { DeletionRequest, RetentionUsage } from "../../server/retention";
import { migrate, openAppDatabase } from "../../server/storage";
import { FIXTURES, api, signIn, startTestServer } from "../helpers/server";

const DAY = 86_400_000;
let offset = 0;
let server: RunningServer;
let admin: string;
let reviewer: string;
const ids = { held: 0, plain: 0 };
let incident = 0;

const send = (cookie: string, url: string, body: unknown) => api(server, cookie, url, { method: "POST", body: JSON.stringify(body) });

async function importFlight(name: string): Promise<number> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)))]), name);
  const res = await api(server, reviewer, "/api/flights/import", { method: "POST", body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { flights: { id: number }[] }).flights[0]!.id;
}

const flight = async (id: number) => (await (await api(server, reviewer, `/api/flights/${id}`)).json()) as FlightSummary;
const usage = async () => (await (await api(server, admin, "/api/retention")).json()) as RetentionUsage & { requests: DeletionRequest[] };

beforeAll(async () => {
  server = await startTestServer({}, { clock: () => Date.now() + offset, sessionLimits: { idleMs: 365 * DAY, absoluteMs: 365 * DAY } });
  admin = await signIn(server, ["admin"], "ada");
  reviewer = await signIn(server, ["reviewer"], "rita");
  ids.held = await importFlight("copter_flight_1.tlog");
  ids.plain = await importFlight("battery_failsafe_land.tlog");
  incident = ((await (await send(reviewer, "/api/incidents", {
    reference: "CAD 7/21NOV26", title: "Flight retention test", type: "search", location: null, start: 0, end: null, officer: "PC 7", notes: "",
  })).json()) as { id: number }).id;
  expect((await send(reviewer, `/api/incidents/${incident}/links`, { kind: "flight", id: ids.held, reason: "the search" })).status).toBe(201);
}, 60_000);
afterAll(async () => server?.close());

describe("retention of flights", () => {
  it("counts flights per category; a legal hold refuses deletion; bad requests get the reason", async () => {
    const u = await usage();
    const by = Object.fromEntries(u.flights.map((r) => [r.category, r]));
    expect(by["legal_hold"]).toEqual({ category: "legal_hold", items: 1, bytes: (await flight(ids.held)).sizeBytes });
    expect(by["non_evidential"]).toEqual({ category: "non_evidential", items: 1, bytes: (await flight(ids.plain)).sizeBytes });
    const held = await send(admin, "/api/retention/deletions", { kind: "flight", id: ids.held, reason: "tidy up" });
    expect(held.status).toBe(409);
    expect(await held.json()).toMatchObject({ error: { code: "legal_hold", message: `flight ${ids.held} cannot be deleted: legal hold: linked to open incident CAD 7/21NOV26` } });
    expect((await send(admin, "/api/retention/deletions", { kind: "flight", id: 999_999, reason: "x" })).status).toBe(404);
    expect((await send(admin, "/api/retention/deletions", { kind: "tlog", id: ids.plain, reason: "x" })).status).toBe(400);
    expect((await send(reviewer, "/api/retention/deletions", { kind: "flight", id: ids.plain, reason: "x" })).status).toBe(403);
  });

  it("queues, waits out the window, deletes the .tlog and keeps a tombstone; the file's routes answer 410", async () => {
    const before = await flight(ids.plain);
    const tlog = path.join(path.dirname(server.db.name), before.tlogPath);
    expect(fs.existsSync(tlog)).toBe(true);
    const made = (await (await send(admin, "/api/retention/deletions", { kind: "flight", id: ids.plain, reason: "training flight, no value" })).json()) as DeletionRequest;
    expect(made).toMatchObject({ kind: "flight", itemId: ids.plain, state: "pending", requestedBy: "ada" });
    expect(made.dueAt - made.requestedAt).toBe(7 * DAY);
    expect(await (await send(admin, "/api/retention/sweep", {})).json()).toMatchObject({ deleted: 0 });
    expect(fs.existsSync(tlog)).toBe(true);
    offset += 8 * DAY;
    expect(await (await send(admin, "/api/retention/sweep", {})).json()).toMatchObject({ deleted: 1, blocked: 0 });
    expect(fs.existsSync(tlog)).toBe(false);

    // The row and its seal stay, with who asked, when and why.
    const after = await flight(ids.plain);
    expect(after.sha256).toBe(before.sha256);
    expect(after.sizeBytes).toBe(before.sizeBytes);
    expect(after.deleted).toEqual({ at: expect.any(Number), by: "ada", reason: "training flight, no value", request: made.id });
    for (const [method, url] of [["GET", "track"], ["GET", "export?format=tlog"], ["GET", "charts"], ["POST", "verify"]] as const) {
      const res = await api(server, reviewer, `/api/flights/${ids.plain}/${url}`, { method });
      expect(res.status, url).toBe(410);
      expect(await res.json()).toMatchObject({ error: { code: "deleted", message: expect.stringMatching(/deleted under retention on .* by ada: training flight, no value\); its record, seal and custody log remain/) } });
    }
    const done = (await usage()).requests.find((r) => r.id === made.id)!;
    expect(done).toMatchObject({ state: "done", decidedBy: "system", outcome: expect.stringMatching(/^\.tlog .* deleted; the seal is kept$/) });

    // Listing and checking flights does not take the deletion for a lost file.
    const page = (await (await api(server, reviewer, "/api/flights")).json()) as FlightsPage;
    expect(page.flights.find((f) => f.id === ids.plain)?.deleted).toMatchObject({ request: made.id });
    await server.audit.flush();
    const actions = (server.db.prepare("SELECT action FROM audit_log WHERE target = ? ORDER BY id").all(`flight:${ids.plain}`) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["retention_deletion_requested", "flight_deleted"]));
    expect(actions).not.toContain("flight_integrity_failed");
    const custody = await api(server, reviewer, `/api/flights/${ids.plain}/custody`);
    expect(custody.status).toBe(200);
    expect(await custody.text()).toMatch(/flight_deleted/);
    const by = Object.fromEntries((await usage()).flights.map((r) => [r.category, r]));
    expect(by["deleted"]).toEqual({ category: "deleted", items: 1, bytes: 0 });
    expect((await server.audit.verify()).ok).toBe(true);
    expect((await send(admin, "/api/retention/deletions", { kind: "flight", id: ids.plain, reason: "again" })).status).toBe(409);
  }, 30_000);

  it("a closed incident lifts the hold: past its period the flight is queued by the server, and can be cancelled", async () => {
    const { version } = ((await (await api(server, reviewer, `/api/incidents/${incident}`)).json()) as { incident: { version: number } }).incident;
    expect((await send(reviewer, `/api/incidents/${incident}/close`, { version, reason: "search over" })).status).toBe(200);
    // Still linked: evidential, kept 7 years from the flight's end; not queued now.
    expect(await (await send(admin, "/api/retention/sweep", {})).json()).toMatchObject({ queued: 0 });
    offset += 2600 * DAY;
    // Seven years on, sessions have long ended: sign in again.
    admin = await signIn(server, ["admin"], "ada");
    reviewer = await signIn(server, ["reviewer"], "rita");
    expect(await (await send(admin, "/api/retention/sweep", {})).json()).toMatchObject({ queued: 1 });
    const auto = (await usage()).requests.find((r) => r.kind === "flight" && r.itemId === ids.held && r.state === "pending")!;
    expect(auto).toMatchObject({ requestedBy: "system", reason: expect.stringMatching(/retention period of 2557 days \(evidential\) ended/) });
    const cancelled = await send(admin, `/api/retention/deletions/${auto.id}/cancel`, { reason: "appeal pending" });
    expect(await cancelled.json()).toMatchObject({ state: "cancelled", outcome: "appeal pending" });
    expect(fs.existsSync(path.join(path.dirname(server.db.name), (await flight(ids.held)).tlogPath))).toBe(true);
  }, 30_000);
});

describe("migration 20", () => {
  it("rebuilds deletion_requests keeping its rows, ids and rules, and now takes flights", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-m20-"));
    const log = pino({ level: "silent" });
    const db = openAppDatabase(dir, log, MIGRATIONS.slice(0, 19));
    try {
      const add = db.prepare(`INSERT INTO deletion_requests (kind, item_id, reason, requested_by, requested_at, due_at, state)
        VALUES ('footage', ?, 'old', 'ada', 1, 2, 'pending')`);
      add.run(5);
      add.run(6);
      db.prepare("UPDATE deletion_requests SET state = 'cancelled', decided_by = 'ada', decided_at = 3, outcome = 'no' WHERE id = 2").run();
      expect(() => db.prepare("INSERT INTO deletion_requests (kind, item_id, reason, requested_by, requested_at, due_at, state) VALUES ('flight', 1, 'x', 'a', 1, 2, 'pending')").run()).toThrow(/CHECK/);
      migrate(db, MIGRATIONS, log);
      expect(db.prepare("SELECT id, kind, item_id, state, outcome FROM deletion_requests ORDER BY id").all()).toEqual([
        { id: 1, kind: "footage", item_id: 5, state: "pending", outcome: null },
        { id: 2, kind: "footage", item_id: 6, state: "cancelled", outcome: "no" },
      ]);
      const r = db.prepare("INSERT INTO deletion_requests (kind, item_id, reason, requested_by, requested_at, due_at, state) VALUES ('flight', 1, 'x', 'a', 1, 2, 'pending')").run();
      expect(r.lastInsertRowid).toBe(3);
      expect(() => db.prepare("DELETE FROM deletion_requests WHERE id = 1").run()).toThrow(/kept/);
      expect(() => db.prepare("UPDATE deletion_requests SET reason = 'new' WHERE id = 2").run()).toThrow(/decided once/);
      expect(() => add.run(5)).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });
});
