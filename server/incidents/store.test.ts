import { describe, expect, it } from "vitest";
import type { Incident, IncidentInput } from "../protocol";
import type { AppSql } from "../storage";
import { describeOnEngines } from "../../test/support/storage/engines";
import { incidentEditSchema, incidentInputSchema, normaliseReference } from "./schema";
import { IncidentStore, isIncidentRefusal } from "./store";
import type { IncidentRefusal } from "./store";
import { passageOf, placeBox } from "./suggest";

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);

const INPUT: IncidentInput = {
  reference: "CAD 1234/21NOV26", title: "Missing walker, Hampstead Heath", type: "missing_person",
  location: { kind: "area", points: [{ lat: 51.56, lon: -0.17 }, { lat: 51.57, lon: -0.17 }, { lat: 51.57, lon: -0.15 }] },
  start: T0, end: null, officer: "DS Khan 4411", notes: "Last seen near the ponds",
};

function ok<T>(r: T | IncidentRefusal): T {
  if (isIncidentRefusal(r)) throw new Error(r.message);
  return r;
}

describe("incident input", () => {
  it("normalises the reference and refuses what is not a CAD or crime number, naming the rule", () => {
    expect(normaliseReference("  cad  1234/21nov26 ")).toBe("CAD 1234/21NOV26");
    expect(incidentInputSchema.parse({ ...INPUT, reference: " cris 01-2345.26 " }).reference).toBe("CRIS 01-2345.26");
    for (const bad of ["AB", "NO-DIGITS", "CAD 12;DROP", "X".repeat(41) + "1"]) {
      const r = incidentInputSchema.safeParse({ ...INPUT, reference: bad });
      expect(r.success, bad).toBe(false);
      if (!r.success) expect(r.error.issues[0]?.message).toMatch(/letters, digits, spaces/);
    }
  });

  it("refuses an end before the start, an area of two corners, unknown fields and an edit that changes nothing", () => {
    expect(incidentInputSchema.safeParse({ ...INPUT, end: T0 - 1 }).success).toBe(false);
    expect(incidentInputSchema.safeParse({ ...INPUT, location: { kind: "area", points: INPUT.location!.kind === "area" ? INPUT.location!.points.slice(0, 2) : [] } }).success).toBe(false);
    expect(incidentInputSchema.safeParse({ ...INPUT, status: "closed" }).success).toBe(false);
    expect(incidentEditSchema.safeParse({ version: 1 }).success).toBe(false);
    expect(incidentEditSchema.safeParse({ version: 1, title: "x" }).success).toBe(true);
  });
});

describeOnEngines("the incident store", ({ open: openSql, exec }) => {
  const open = async (): Promise<{ store: IncidentStore; sql: AppSql }> => {
    const sql = await openSql();
    return { store: new IncidentStore(sql), sql };
  };

  it("creates, edits on the version seen, closes and reopens, keeping every change with who, when and why", async () => {
    const { store } = await open();
    const made = ok(await store.create(INPUT, "rev1", T0));
    expect(made).toMatchObject({ status: "open", version: 1, createdBy: "rev1", location: INPUT.location, start: T0 });
    const edited = ok(await store.edit(made.id, { version: 1, title: "Missing walker found", officer: "DI Shah" }, "rev2", T0 + 1000));
    expect(edited).toMatchObject({ version: 2, title: "Missing walker found", updatedBy: "rev2", updatedAt: T0 + 1000 });
    // A second editor still on version 1 is refused, told who changed it.
    const stale = await store.edit(made.id, { version: 1, notes: "x" }, "rev3", T0 + 2000);
    expect(isIncidentRefusal(stale) && stale.refused).toBe("version_conflict");
    expect(isIncidentRefusal(stale) && stale.message).toMatch(/changed by rev2/);
    const closed = ok(await store.setStatus(made.id, "closed", { version: 2, reason: "found safe" }, "rev1", T0 + 3000));
    expect(closed.status).toBe("closed");
    expect((await store.edit(made.id, { version: 3, title: "y" }, "rev1", T0 + 4000) as IncidentRefusal).refused).toBe("incident_closed");
    expect((await store.setStatus(made.id, "closed", { version: 3, reason: "again" }, "rev1", T0 + 4000) as IncidentRefusal).refused).toBe("already_closed");
    ok(await store.setStatus(made.id, "open", { version: 3, reason: "new sighting" }, "rev2", T0 + 5000));
    const history = await store.history(made.id);
    expect(history.map((h) => [h.version, h.action, h.by, h.reason])).toEqual([
      [1, "created", "rev1", null], [2, "edited", "rev2", null], [3, "closed", "rev1", "found safe"], [4, "reopened", "rev2", "new sighting"],
    ]);
    expect(history[1]!.changes).toEqual([
      { field: "title", before: "Missing walker, Hampstead Heath", after: "Missing walker found" },
      { field: "officer", before: "DS Khan 4411", after: "DI Shah" },
    ]);
    expect(await store.get(made.id + 100)).toBeNull();
    expect((await store.edit(made.id + 100, { version: 1, title: "z" }, "rev1", T0) as IncidentRefusal).refused).toBe("not_found");
  });

  it("keeps references unique, lists and searches, and puts only open incidents with a place on the map", async () => {
    const { store } = await open();
    const a = ok(await store.create(INPUT, "rev", T0));
    expect((await store.create({ ...INPUT, title: "again" }, "rev", T0) as IncidentRefusal).refused).toBe("reference_taken");
    const b = ok(await store.create({ ...INPUT, reference: "CAD 99/21NOV26", title: "Pursuit 50%_done", type: "pursuit", location: null }, "rev", T0 + 1));
    expect((await store.edit(b.id, { version: 1, reference: INPUT.reference }, "rev", T0 + 2) as IncidentRefusal).refused).toBe("reference_taken");
    expect((await store.list({})).incidents.map((i) => i.id)).toEqual([b.id, a.id]);
    expect(await store.list({ limit: 1, offset: 1 })).toMatchObject({ total: 2, offset: 1, limit: 1, incidents: [{ id: a.id }] });
    // %, _ and \ are taken literally; the search ignores case on both engines.
    expect((await store.list({ q: "50%_" })).incidents.map((i) => i.id)).toEqual([b.id]);
    expect((await store.list({ q: "5_%" })).incidents).toEqual([]);
    expect((await store.list({ q: "\\" })).incidents).toEqual([]);
    expect((await store.list({ q: "khan" })).incidents.map((i) => i.id)).toEqual([b.id, a.id]);
    expect((await store.list({ q: "HAMPSTEAD" })).incidents.map((i) => i.id)).toEqual([a.id]);
    expect((await store.markers()).map((m) => m.id)).toEqual([a.id]);
    ok(await store.setStatus(a.id, "closed", { version: 1, reason: "done" }, "rev", T0 + 3));
    expect(await store.markers()).toEqual([]);
    expect((await store.list({ status: "closed" })).total).toBe(1);
  });

  it("links flights once, ends links with a reason and keeps them; the database refuses rewriting the record", async () => {
    const { store, sql } = await open();
    const i = ok(await store.create(INPUT, "rev", T0));
    const link = ok(await store.link(i.id, { kind: "flight", id: 7 }, "overflew the area", "rev", T0 + 1));
    expect((await store.link(i.id, { kind: "flight", id: 7 }, "again", "rev", T0 + 2) as IncidentRefusal).refused).toBe("already_linked");
    expect(await store.liveLinks()).toEqual([{ kind: "flight", itemId: 7, incidentId: i.id, reference: INPUT.reference, status: "open" }]);
    const ended = ok(await store.unlink(i.id, link.id, "wrong day", "rev2", T0 + 3));
    expect(ended).toMatchObject({ unlinkedBy: "rev2", unlinkReason: "wrong day", unlinkedAt: T0 + 3 });
    expect((await store.unlink(i.id, link.id, "again", "rev2", T0 + 4) as IncidentRefusal).refused).toBe("already_unlinked");
    expect(await store.liveLinks({ kind: "flight", id: 7 })).toEqual([]);
    // Linked again after the mistake: a new link, the old one kept.
    ok(await store.link(i.id, { kind: "flight", id: 7 }, "right day after all", "rev", T0 + 5));
    expect((await store.links(i.id)).map((l) => [l.itemId, l.unlinkedAt !== null])).toEqual([[7, true], [7, false]]);
    expect(await store.linksOfItem("flight", 7)).toHaveLength(2);
    await expect(exec(sql, "DELETE FROM incident_links")).rejects.toThrow(/cannot be deleted/);
    await expect(exec(sql, `UPDATE incident_links SET reason = 'edited' WHERE id = ${link.id}`)).rejects.toThrow(/only be ended/);
    await expect(exec(sql, "UPDATE incident_history SET by = 'someone else'")).rejects.toThrow(/cannot be changed/);
    await expect(exec(sql, "DELETE FROM incidents")).rejects.toThrow(/cannot be deleted/);
  });

  it("gives racing writers one winner each: one incident per reference, one live link per item, one edit per version", async () => {
    const { store } = await open();
    // On PostgreSQL these run on several connections at once, as several servers would; on SQLite they queue.
    const made = await Promise.all(Array.from({ length: 6 }, (_, n) => store.create({ ...INPUT, title: `racer ${n}` }, `rev${n}`, T0)));
    expect(made.filter((r) => !isIncidentRefusal(r))).toHaveLength(1);
    expect(made.filter(isIncidentRefusal).map((r) => r.refused)).toEqual(Array(5).fill("reference_taken"));
    const incident = made.find((r): r is Incident => !isIncidentRefusal(r))!;
    const links = await Promise.all(Array.from({ length: 6 }, () => store.link(incident.id, { kind: "footage", id: 3 }, "seen", "rev", T0 + 1)));
    expect(links.filter((r) => !isIncidentRefusal(r))).toHaveLength(1);
    expect(links.filter(isIncidentRefusal).map((r) => r.refused)).toEqual(Array(5).fill("already_linked"));
    const edits = await Promise.all(Array.from({ length: 6 }, (_, n) => store.edit(incident.id, { version: 1, notes: `note ${n}` }, `rev${n}`, T0 + 2)));
    expect(edits.filter((r) => !isIncidentRefusal(r))).toHaveLength(1);
    expect(edits.filter(isIncidentRefusal).map((r) => r.refused)).toEqual(Array(5).fill("version_conflict"));
    expect((await store.history(incident.id)).map((h) => h.version)).toEqual([1, 2]);
  });
});

describe("a track passing an incident's place", () => {
  async function* track(points: [number, number, number][]) {
    for (const [time, lat, lon] of points) yield { time, lat, lon };
  }

  it("inside an area, or within a point's radius, during the window only", async () => {
    const area = INPUT.location!;
    expect(await passageOf(track([[T0, 51.50, -0.12], [T0 + 10, 51.565, -0.165]]), area, T0, T0 + 100)).toEqual({ nearestM: 0, nearestAt: T0 + 10 });
    expect(await passageOf(track([[T0 + 500, 51.565, -0.165]]), area, T0, T0 + 100)).toBeNull();
    const spot = { kind: "point" as const, lat: 51.5074, lon: -0.1278, radiusM: 200 };
    const near = await passageOf(track([[T0, 51.5074 + 0.0009, -0.1278], [T0 + 1, 51.5074 + 0.0018, -0.1278], [T0 + 2, 51.5074 + 0.0001, -0.1278]]), spot, T0, T0 + 10);
    expect(near?.nearestAt).toBe(T0 + 2);
    expect(near!.nearestM).toBeCloseTo(11.1, 0);
    expect(await passageOf(track([[T0, 51.5074 + 0.0018, -0.1278]]), spot, T0, T0 + 10)).toBeNull();
    const [w, s, e, n] = placeBox(spot, 0);
    expect(n - s).toBeCloseTo((2 * 200) / 111_320, 6);
    expect(e - w).toBeGreaterThan(n - s);
  });
});
