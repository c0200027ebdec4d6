import type { Bookmark } from "../../protocol";
import { csvField } from "./csv";
import { isoTime } from "./text";

export const BOOKMARKS_CSV_HEADER = ["id", "time", "end", "author", "created_at", "note"] as const;

/**
 * Reviewers' bookmarks of a flight, as CSV: a header, then one row per bookmark in time order (RFC 4180, CRLF
 * lines). Read from the catalogue, never from the .tlog: a missing or altered file does not hide them.
 */
export function* bookmarksCsv(bookmarks: Iterable<Bookmark>): Generator<string> {
  yield `${BOOKMARKS_CSV_HEADER.join(",")}\r\n`;
  for (const b of bookmarks) {
    yield `${b.id},${isoTime(b.time)},${b.end === null ? "" : isoTime(b.end)},${csvField(b.author)},${isoTime(b.createdAt)},${csvField(b.note)}\r\n`;
  }
}
