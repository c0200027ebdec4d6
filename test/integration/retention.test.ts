/**
 * Retention of footage on a running server, its clock moved forward: a legal hold refuses deletion, a deletion waits
 * out its recovery window and can be cancelled within it, footage past its period is queued by the server, a hold
 * that appears within the window blocks the deletion, and a deleted file leaves its record and custody log behind.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../server/main";
import type { FootageSummary } from "../../server/protocol";
import type { DeletionRequest, RetentionUsage } from "../../server/retention";
import { ingested, makeVideo, tusUpload } from "../helpers/footage";
import { api, signIn, startTestServer } from "../helpers/server";

const DAY = 86_400_000;
let offset = 0;
let server: RunningServer;
let admin: string;
let reviewer: string;
const ids: Record<"held" | "plain" | "late", number> = { held: 0, plain: 0, late: 0 };
let incident = 0;

const send = (cookie: string, url: string, body: unknown) => api(server, cookie, url, { method: "POST", body: JSON.stringify(body) });

async function upload(name: string, seconds: number): Promise<number> {
  const video = makeVideo({ seconds, creationTime: "2026-11-21T09:00:00Z", name });
  return (await ingested(server, reviewer, (await tusUpload(server, reviewer, video)).url!)).footageId!;
}

beforeAll(async () => {
  // Sessions outlive the jumps of the clock (weeks): the test is about retention, not session expiry.
  server = await startTestServer({}, { clock: () => Date.now() + offset, sessionLimits: { idleMs: 365 * DAY, absoluteMs: 365 * DAY } });
  admin = await signIn(server, ["admin"], "ada");
  reviewer = await signIn(server, ["reviewer"], "rita");
  ids.held = await upload("DJI_0001.MP4", 2);
  ids.plain = await upload("DJI_0002.MP4", 3);
  incident = ((await (await send(reviewer, "/api/incidents", {
    reference: "CAD 5/21NOV26", title: "Retention test", type: "search", location: null, start: 0, end: null, officer: "PC 5", notes: "",
  })).json()) as { id: number }).id;
  await send(reviewer, `/api/incidents/${incident}/links`, { kind: "footage", id: ids.held, reason: "evidence" });
}, 60_000);
afterAll(async () => server?.close());

describe("retention of footage", () => {
  it("shows what each category holds; a legal hold refuses deletion; only admins decide", async () => {
    const usage = (await (await api(server, admin, "/api/retention")).json()) as RetentionUsage & { requests: DeletionRequest[] };
    expect(usage.policy).toEqual({ nonEvidentialDays: 31, evidentialDays: 2557, recoveryDays: 7 });
    const by = Object.fromEntries(usage.footage.map((u) => [u.category, u]));
    expect(by["legal_hold"]?.items).toBe(1);
    expect(by["non_evidential"]?.items).toBe(1);
    expect(by["non_evidential"]!.bytes).toBeGreaterThan(0);
    // No flight recorded or imported here: the flights' side of the usage is empty, not missing.
    expect(usage.flights).toEqual([]);
    const held = await send(admin, "/api/retention/deletions", { kind: "footage", id: ids.held, reason: "tidy up" });
    expect(held.status).toBe(409);
    expect(await held.json()).toMatchObject({ error: { code: "legal_hold", message: expect.stringMatching(/linked to open incident CAD 5\/21NOV26/) } });
    expect((await send(reviewer, "/api/retention/deletions", { kind: "footage", id: ids.plain, reason: "x" })).status).toBe(403);
    expect((await send(admin, "/api/retention/deletions", { kind: "footage", id: ids.plain })).status).toBe(400);
  });

  it("a deletion waits out its recovery window, can be cancelled in it, then goes; the record and custody stay", async () => {
    const first = (await (await send(admin, "/api/retention/deletions", { kind: "footage", id: ids.plain, reason: "test flight over the yard, no value" })).json()) as DeletionRequest;
    expect(first).toMatchObject({ state: "pending", requestedBy: "ada" });
    expect(first.dueAt - first.requestedAt).toBe(7 * DAY);
    expect((await send(admin, "/api/retention/deletions", { kind: "footage", id: ids.plain, reason: "again" })).status).toBe(409);
    expect(await (await send(admin, "/api/retention/sweep", {})).json()).toMatchObject({ deleted: 0 });
    const cancelled = (await (await send(admin, `/api/retention/deletions/${first.id}/cancel`, { reason: "the sergeant wants to see it first" })).json()) as DeletionRequest;
    expect(cancelled).toMatchObject({ state: "cancelled", decidedBy: "ada", outcome: "the sergeant wants to see it first" });
    const second = (await (await send(admin, "/api/retention/deletions", { kind: "footage", id: ids.plain, reason: "seen: no value" })).json()) as DeletionRequest;
    const f = (await (await api(server, reviewer, `/api/footage/${ids.plain}`)).json()) as FootageSummary;
    const original = path.join(path.dirname(server.db.name), "evidence/originals", f.sha256.slice(0, 2), f.sha256);
    offset += 8 * DAY;
    expect(await (await send(admin, "/api/retention/sweep", {})).json()).toMatchObject({ deleted: 1, blocked: 0 });
    expect(fs.existsSync(original)).toBe(false);
    const gone = (await (await api(server, reviewer, `/api/footage/${ids.plain}`)).json()) as FootageSummary;
    expect(gone.deleted).toEqual({ at: expect.any(Number), request: second.id });
    const stream = await api(server, reviewer, `/api/footage/${ids.plain}/stream`);
    expect(stream.status).toBe(410);
    expect(await stream.text()).toMatch(/deleted under retention/);
    const custody = (await (await api(server, reviewer, `/api/footage/${ids.plain}/custody`)).json()) as { entries: { action: string; actor: string }[] };
    expect(custody.entries.map((e) => e.action)).toEqual(expect.arrayContaining([
      "footage_stored", "retention_deletion_requested", "retention_deletion_cancelled", "footage_deleted",
    ]));
    expect(custody.entries.find((e) => e.action === "footage_deleted")?.actor).toBe("system");
    expect((await server.audit.verify()).ok).toBe(true);
  }, 30_000);

  it("queues footage past its period by itself; a hold that appears within the window blocks the deletion", async () => {
    ids.late = await upload("DJI_0003.MP4", 4);
    offset += 32 * DAY;
    const swept = (await (await send(admin, "/api/retention/sweep", {})).json()) as { queued: number };
    // Only the non-evidential file is due: the held one is on hold, the deleted one gone.
    expect(swept.queued).toBe(1);
    const { requests } = (await (await api(server, admin, "/api/retention")).json()) as { requests: DeletionRequest[] };
    const auto = requests.find((r) => r.itemId === ids.late && r.state === "pending")!;
    expect(auto.requestedBy).toBe("system");
    expect(auto.reason).toMatch(/retention period of 31 days \(non-evidential\) ended/);
    await send(reviewer, `/api/incidents/${incident}/links`, { kind: "footage", id: ids.late, reason: "turned out to matter" });
    offset += 8 * DAY;
    expect(await (await send(admin, "/api/retention/sweep", {})).json()).toMatchObject({ deleted: 0, blocked: 1 });
    expect(((await (await api(server, reviewer, `/api/footage/${ids.late}`)).json()) as FootageSummary).deleted).toBeNull();
    const after = (await (await api(server, admin, "/api/retention")).json()) as { requests: DeletionRequest[] };
    expect(after.requests.find((r) => r.id === auto.id)).toMatchObject({ state: "blocked", outcome: expect.stringMatching(/legal hold/) });
  }, 30_000);
});
