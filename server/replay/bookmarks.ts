import { z } from "zod";
import type { Bookmark, FlightSummary } from "../protocol";
import type { Db, Migration } from "../storage";

/** Longest note, characters: a paragraph of observation, not a report (the report has its own page). */
export const MAX_NOTE_CHARS = 2000;
/**
 * Bookmarks kept per flight: far beyond what reviewers write by hand, low enough that a script posting in a loop
 * cannot grow the database (or the timeline every replay of the flight sends) without end.
 */
export const MAX_BOOKMARKS_PER_FLIGHT = 1000;

/**
 * Reviewers' bookmarks are part of the record of the investigation: rows are only ever added. A correction is a
 * new bookmark; the triggers refuse an UPDATE or DELETE whoever sends it (a CLI, a future route, a mistake).
 */
export const bookmarkMigrations: Migration[] = [{
  version: 13,
  name: "flight_bookmarks",
  up(db) {
    db.exec(`
      CREATE TABLE flight_bookmarks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flight_id INTEGER NOT NULL REFERENCES flights (id),
        time INTEGER NOT NULL,
        "end" INTEGER,
        note TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        CHECK ("end" IS NULL OR "end" >= time)
      );
      CREATE INDEX flight_bookmarks_flight ON flight_bookmarks (flight_id, time);
      CREATE TRIGGER flight_bookmarks_no_update BEFORE UPDATE ON flight_bookmarks
        BEGIN SELECT RAISE(ABORT, 'a bookmark cannot be changed: add a new one'); END;
      CREATE TRIGGER flight_bookmarks_no_delete BEFORE DELETE ON flight_bookmarks
        BEGIN SELECT RAISE(ABORT, 'a bookmark cannot be deleted: add a new one'); END;
    `);
  },
}];

/** POST /api/flights/:id/bookmarks. Times are UTC ms on the flight's own clock; a range ends at or after it starts. */
export const bookmarkCreateSchema = z.object({
  time: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  end: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).nullable().optional(),
  note: z.string().trim().min(1, "a bookmark needs a note").max(MAX_NOTE_CHARS),
}).strict().refine((b) => b.end === undefined || b.end === null || b.end >= b.time, { message: "end must not be before time", path: ["end"] });
export type BookmarkCreate = z.infer<typeof bookmarkCreateSchema>;

/** Why a bookmark was not added: a stable code and a sentence for the reviewer. */
export interface BookmarkRefusal {
  code: "bookmark_out_of_span" | "too_many_bookmarks";
  message: string;
}

interface Row {
  id: number;
  flight_id: number;
  time: number;
  end: number | null;
  note: string;
  author: string;
  created_at: number;
}

const COLUMNS = `id, flight_id, time, "end", note, author, created_at`;

const bookmarkOf = (r: Row): Bookmark => ({
  id: r.id, flightId: r.flight_id, time: r.time, end: r.end, note: r.note, author: r.author, createdAt: r.created_at,
});

/** Reviewers' marks on flights (migration 13): added, listed, never changed. The recording is never touched. */
export class BookmarkStore {
  constructor(private readonly db: Db) {}

  /**
   * Adds a bookmark to a flight. The moment (and the range's end) must lie within the flight's record; a flight
   * still recording has its span up to `now`. The author is the signed-in user, never a name from the request.
   */
  add(flight: FlightSummary, input: BookmarkCreate, author: string, now: number): Bookmark | BookmarkRefusal {
    const end = input.end ?? null;
    const last = flight.endedAt ?? now;
    if (input.time < flight.startedAt || input.time > last || (end !== null && end > last)) {
      return {
        code: "bookmark_out_of_span",
        message: `a bookmark of flight ${flight.id} must lie between ${new Date(flight.startedAt).toISOString()} and ${new Date(last).toISOString()}`,
      };
    }
    // Counted and inserted in one transaction: two requests at once cannot both take the last place.
    return this.db.transaction((): Bookmark | BookmarkRefusal => {
      const { n } = this.db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM flight_bookmarks WHERE flight_id = ?").get(flight.id) ?? { n: 0 };
      if (n >= MAX_BOOKMARKS_PER_FLIGHT) {
        return { code: "too_many_bookmarks", message: `flight ${flight.id} already has ${MAX_BOOKMARKS_PER_FLIGHT} bookmarks, the most kept per flight` };
      }
      const r = this.db.prepare(`INSERT INTO flight_bookmarks (flight_id, time, "end", note, author, created_at) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(flight.id, input.time, end, input.note, author, now);
      return { id: Number(r.lastInsertRowid), flightId: flight.id, time: input.time, end, note: input.note, author, createdAt: now };
    }).immediate();
  }

  /** A flight's bookmarks in time order (then in the order they were added). */
  list(flightId: number): Bookmark[] {
    return this.db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM flight_bookmarks WHERE flight_id = ? ORDER BY time, id`)
      .all(flightId).map(bookmarkOf);
  }

  /** The bookmarks of several flights (a replay session's), in time order. */
  ofFlights(flightIds: readonly number[]): Bookmark[] {
    const ids = [...new Set(flightIds)].filter((id) => Number.isSafeInteger(id));
    if (ids.length === 0) return [];
    const rows = this.db.prepare<number[], Row>(
      `SELECT ${COLUMNS} FROM flight_bookmarks WHERE flight_id IN (${ids.map(() => "?").join(", ")}) ORDER BY time, id`,
    ).all(...ids);
    return rows.map(bookmarkOf);
  }
}

export const isRefusal = (r: Bookmark | BookmarkRefusal): r is BookmarkRefusal => "code" in r;
