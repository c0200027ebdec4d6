import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FlightCatalogue } from "../flights";
import { MIGRATIONS } from "../migrations";
import type { FlightSummary } from "../protocol";
import { openAppDatabase } from "../storage";
import type { Db } from "../storage";
import { BookmarkStore, MAX_BOOKMARKS_PER_FLIGHT, MAX_NOTE_CHARS, bookmarkCreateSchema, isRefusal } from "./bookmarks";
import type { BookmarkRefusal } from "./bookmarks";

let db: Db | null = null;
afterEach(() => db?.close());

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);

/** A store on a fresh application database, and a sealed flight from T0 to T0 + 3 min. */
function open(): { store: BookmarkStore; flight: FlightSummary; catalogue: FlightCatalogue } {
  db = openAppDatabase(fs.mkdtempSync(path.join(os.tmpdir(), "dmc-bookmarks-")), pino({ level: "silent" }), MIGRATIONS);
  const catalogue = new FlightCatalogue(db);
  const id = catalogue.create({
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null }, startedAt: T0, tlogPath: "flights/a.tlog",
    status: "recording", pilot: null, previousId: null, source: "live",
  });
  catalogue.seal(id, { endedAt: T0 + 180_000, sizeBytes: 10, sha256: "ab".repeat(32) });
  return { store: new BookmarkStore(db), flight: catalogue.get(id)!, catalogue };
}

describe("bookmarks", () => {
  it("are added by their author within the flight's span and listed in time order", () => {
    const { store, flight } = open();
    const late = store.add(flight, { time: T0 + 90_000, end: T0 + 95_000, note: "climb stops" }, "rita", T0 + 1e6);
    const early = store.add(flight, { time: T0 + 10_000, note: "armed at the car park" }, "ravi", T0 + 2e6);
    expect(late).toEqual({ id: expect.any(Number), flightId: flight.id, time: T0 + 90_000, end: T0 + 95_000, note: "climb stops", author: "rita", createdAt: T0 + 1e6 });
    expect(early).toMatchObject({ end: null, author: "ravi" });
    expect(store.list(flight.id).map((b) => b.note)).toEqual(["armed at the car park", "climb stops"]);
    expect(store.ofFlights([flight.id, flight.id, 999])).toEqual(store.list(flight.id));
    expect(store.ofFlights([])).toEqual([]);
  });

  it("refuses a moment or a range end outside the flight's record", () => {
    const { store, flight } = open();
    for (const input of [{ time: T0 - 1, note: "x" }, { time: T0 + 180_001, note: "x" }, { time: T0, end: T0 + 180_001, note: "x" }]) {
      const r = store.add(flight, input, "rita", T0);
      expect(isRefusal(r) && r.code).toBe("bookmark_out_of_span");
    }
    expect(store.list(flight.id)).toEqual([]);
  });

  it("on a flight still recording: up to now", () => {
    const { store, catalogue } = open();
    const id = catalogue.create({
      vehicle: { key: "2:1", sysid: 2, compid: 1, type: "copter", name: null }, startedAt: T0, tlogPath: "flights/b.tlog",
      status: "recording", pilot: null, previousId: null, source: "live",
    });
    const flight = catalogue.get(id)!;
    expect(isRefusal(store.add(flight, { time: T0 + 5000, note: "now" }, "rita", T0 + 5000))).toBe(false);
    expect((store.add(flight, { time: T0 + 5001, note: "future" }, "rita", T0 + 5000) as BookmarkRefusal).code).toBe("bookmark_out_of_span");
  });

  it("are never changed or deleted: a correction is a new bookmark", () => {
    const { store, flight } = open();
    store.add(flight, { time: T0, note: "first" }, "rita", T0);
    expect(() => db!.prepare("UPDATE flight_bookmarks SET note = 'edited'").run()).toThrow(/cannot be changed/);
    expect(() => db!.prepare("DELETE FROM flight_bookmarks").run()).toThrow(/cannot be deleted/);
    expect(() => db!.prepare(`INSERT INTO flight_bookmarks (flight_id, time, "end", note, author, created_at) VALUES (999, 0, NULL, 'x', 'x', 0)`).run())
      .toThrow(/FOREIGN KEY/);
    expect(store.list(flight.id).map((b) => b.note)).toEqual(["first"]);
  });

  it("are bounded per flight", () => {
    const { store, flight } = open();
    for (let i = 0; i < MAX_BOOKMARKS_PER_FLIGHT; i++) store.add(flight, { time: T0 + i, note: `n${i}` }, "rita", T0);
    const r = store.add(flight, { time: T0, note: "one more" }, "rita", T0);
    expect(isRefusal(r) && r.code).toBe("too_many_bookmarks");
    expect(store.list(flight.id)).toHaveLength(MAX_BOOKMARKS_PER_FLIGHT);
  });

  it("take a note of 1 to 2000 characters and a range that does not end before it starts", () => {
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
