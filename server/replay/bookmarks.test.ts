import { describe, expect, it } from "vitest";
import type { FlightSummary } from "../protocol";
import type { AppSql } from "../storage";
import { describeOnEngines } from "../../test/support/storage/engines";
import { BookmarkStore, MAX_BOOKMARKS_PER_FLIGHT, MAX_NOTE_CHARS, bookmarkCreateSchema, isRefusal } from "./bookmarks";
import type { BookmarkRefusal } from "./bookmarks";
import { flightOf } from "./sessions.testkit";

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);

describeOnEngines("bookmarks", ({ open: openSql, exec }) => {
  /** A flight's row in the catalogue (the bookmarks refer to it), as the store is given it: from T0, ended or recording. */
  async function flightIn(sql: AppSql, id: number, endedAt: number | null): Promise<FlightSummary> {
    await exec(sql, `INSERT INTO flights (id, vehicle_key, sysid, compid, vehicle_type, started_at, ended_at, tlog_path, status, source)
      VALUES (${id}, '${id}:1', ${id}, 1, 'copter', ${T0}, ${endedAt ?? "NULL"}, 'flights/${id}.tlog', '${endedAt === null ? "recording" : "closed"}', 'live')`);
    return { ...flightOf(id, `flights/${id}.tlog`, id), startedAt: T0, endedAt, status: endedAt === null ? "recording" : "closed" };
  }

  /** A store on a fresh application database, and a flight from T0 to T0 + 3 min. */
  async function open(): Promise<{ store: BookmarkStore; flight: FlightSummary; sql: AppSql }> {
    const sql = await openSql();
    return { store: new BookmarkStore(sql), flight: await flightIn(sql, 1, T0 + 180_000), sql };
  }

  it("are added by their author within the flight's span and listed in time order", async () => {
    const { store, flight } = await open();
    const late = await store.add(flight, { time: T0 + 90_000, end: T0 + 95_000, note: "climb stops" }, "rita", T0 + 1e6);
    const early = await store.add(flight, { time: T0 + 10_000, note: "armed at the car park" }, "ravi", T0 + 2e6);
    expect(late).toEqual({ id: expect.any(Number), flightId: flight.id, time: T0 + 90_000, end: T0 + 95_000, note: "climb stops", author: "rita", createdAt: T0 + 1e6 });
    expect(early).toMatchObject({ end: null, author: "ravi" });
    expect((await store.list(flight.id)).map((b) => b.note)).toEqual(["armed at the car park", "climb stops"]);
    expect(await store.list(flight.id)).toEqual([early, late]);
    expect(await store.ofFlights([flight.id, flight.id, 999])).toEqual(await store.list(flight.id));
    expect(await store.ofFlights([])).toEqual([]);
  });

  it("refuses a moment or a range end outside the flight's record", async () => {
    const { store, flight } = await open();
    for (const input of [{ time: T0 - 1, note: "x" }, { time: T0 + 180_001, note: "x" }, { time: T0, end: T0 + 180_001, note: "x" }]) {
      const r = await store.add(flight, input, "rita", T0);
      expect(isRefusal(r) && r.code).toBe("bookmark_out_of_span");
    }
    expect(await store.list(flight.id)).toEqual([]);
  });

  it("on a flight still recording: up to now", async () => {
    const { store, sql } = await open();
    const flight = await flightIn(sql, 2, null);
    expect(isRefusal(await store.add(flight, { time: T0 + 5000, note: "now" }, "rita", T0 + 5000))).toBe(false);
    expect((await store.add(flight, { time: T0 + 5001, note: "future" }, "rita", T0 + 5000) as BookmarkRefusal).code).toBe("bookmark_out_of_span");
  });

  it("are never changed or deleted: a correction is a new bookmark", async () => {
    const { store, flight, sql } = await open();
    await store.add(flight, { time: T0, note: "first" }, "rita", T0);
    await expect(exec(sql, "UPDATE flight_bookmarks SET note = 'edited'")).rejects.toThrow(/cannot be changed/);
    await expect(exec(sql, "DELETE FROM flight_bookmarks")).rejects.toThrow(/cannot be deleted/);
    await expect(exec(sql, `INSERT INTO flight_bookmarks (flight_id, time, "end", note, author, created_at) VALUES (999, 0, NULL, 'x', 'x', 0)`))
      .rejects.toThrow(/FOREIGN KEY/i);
    expect((await store.list(flight.id)).map((b) => b.note)).toEqual(["first"]);
  });

  it("are bounded per flight", async () => {
    const { store, flight } = await open();
    for (let i = 0; i < MAX_BOOKMARKS_PER_FLIGHT; i++) await store.add(flight, { time: T0 + i, note: `n${i}` }, "rita", T0);
    const r = await store.add(flight, { time: T0, note: "one more" }, "rita", T0);
    expect(isRefusal(r) && r.code).toBe("too_many_bookmarks");
    expect(await store.list(flight.id)).toHaveLength(MAX_BOOKMARKS_PER_FLIGHT);
  });

  it("keep the bound when writers race for the last places", async () => {
    const { store, flight, sql } = await open();
    const free = 3;
    await exec(sql, `WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${MAX_BOOKMARKS_PER_FLIGHT - free})
      INSERT INTO flight_bookmarks (flight_id, time, "end", note, author, created_at) SELECT ${flight.id}, ${T0} + i, NULL, 'filler', 'rita', ${T0} FROM n`);
    // On PostgreSQL these run on several connections at once, as several servers would; on SQLite they queue.
    const added = await Promise.all(Array.from({ length: 8 }, (_, n) => store.add(flight, { time: T0 + n, note: `racer ${n}` }, `rev${n}`, T0)));
    expect(added.filter((r) => !isRefusal(r))).toHaveLength(free);
    expect(added.filter(isRefusal).map((r) => r.code)).toEqual(Array(8 - free).fill("too_many_bookmarks"));
    expect(await store.list(flight.id)).toHaveLength(MAX_BOOKMARKS_PER_FLIGHT);
  });
});

describe("a bookmark's input", () => {
  it("takes a note of 1 to 2000 characters and a range that does not end before it starts", () => {
    const ok = (v: unknown) => bookmarkCreateSchema.safeParse(v).success;
    expect(ok({ time: T0, note: "a" })).toBe(true);
    expect(ok({ time: T0, end: null, note: "x".repeat(MAX_NOTE_CHARS) })).toBe(true);
    expect(ok({ time: T0, note: "x".repeat(MAX_NOTE_CHARS + 1) })).toBe(false);
    expect(ok({ time: T0, note: "   " })).toBe(false);
    expect(ok({ time: T0, end: T0 - 1, note: "a" })).toBe(false);
    expect(ok({ time: T0, note: "a", author: "someone else" })).toBe(false);
    expect(ok({ time: 1.5, note: "a" })).toBe(false);
  });
});
