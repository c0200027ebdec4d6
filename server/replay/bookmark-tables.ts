import type { Generated } from "kysely";

/** The bookmarks' table (migration 13) as the query builder sees it, on both engines. */
export interface BookmarkTables {
  flight_bookmarks: {
    id: Generated<number>;
    flight_id: number;
    /** UTC ms on the flight's own clock. */
    time: number;
    /** The end of a range (at or after `time`), or null for a moment. */
    end: number | null;
    note: string;
    author: string;
    created_at: number;
  };
  /**
   * The flights a bookmark belongs to (migration 6): only their id, which a write on PostgreSQL locks so that the
   * count per flight and the insert are one step (BookmarkStore.add). Read-only here: the catalogue owns the table.
   */
  flights: {
    id: number;
  };
}
