import type { Bookmark, BookmarkCreateRequest, BookmarksResponse, ReplayFlight, ReplayMark } from "../../../../server/protocol";
import { ApiCallError } from "../../access";

export interface BookmarksApi {
  list(flightId: number, signal?: AbortSignal): Promise<Bookmark[]>;
  add(flightId: number, req: BookmarkCreateRequest): Promise<Bookmark>;
}

async function errorOf(res: Response): Promise<ApiCallError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: the status says enough
  }
  const error = typeof body === "object" && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  const code = typeof error?.code === "string" ? error.code : `http_${res.status}`;
  const message = typeof error?.message === "string" && error.message ? error.message : `HTTP ${res.status}`;
  return new ApiCallError(res.status, code, message);
}

/** GET/POST /api/flights/:id/bookmarks; each throws an ApiCallError worded from the server's answer. */
export function createBookmarksApi(fetchFn: typeof fetch): BookmarksApi {
  const url = (id: number) => `/api/flights/${id}/bookmarks`;
  return {
    async list(flightId, signal) {
      const res = await fetchFn(url(flightId), { signal, credentials: "same-origin", headers: { accept: "application/json" } });
      if (!res.ok) throw await errorOf(res);
      return ((await res.json()) as BookmarksResponse).bookmarks;
    },
    async add(flightId, req) {
      const res = await fetchFn(url(flightId), {
        method: "POST", credentials: "same-origin", body: JSON.stringify(req),
        headers: { accept: "application/json", "content-type": "application/json" },
      });
      if (!res.ok) throw await errorOf(res);
      return (await res.json()) as Bookmark;
    },
  };
}

/**
 * The flight a bookmark made at `time` (session clock) belongs to: the selected vehicle's flight covering that
 * moment, else any flight covering it, else the first.
 */
export function flightAt(flights: readonly ReplayFlight[], time: number, preferred: string | null): ReplayFlight | null {
  const covers = (f: ReplayFlight) => time >= f.startedAt + f.shiftMs && time <= f.endedAt + f.shiftMs;
  return flights.find((f) => f.vehicle === preferred && covers(f)) ?? flights.find(covers) ?? flights[0] ?? null;
}

/** A bookmark as a timeline mark, placed on the session clock (a bookmark keeps the flight's own time). */
export function bookmarkMark(b: Bookmark, flights: readonly ReplayFlight[]): ReplayMark | null {
  const f = flights.find((x) => x.id === b.flightId);
  if (!f) return null;
  return {
    time: b.time + f.shiftMs,
    ...(b.end !== null ? { end: b.end + f.shiftMs } : {}),
    vehicle: f.vehicle,
    kind: "bookmark",
    text: `${b.note} (${b.author})`,
    bookmarkId: b.id,
  };
}

/** The session's marks plus bookmarks added since it opened (the server's list already holds the older ones). */
export function withBookmarks(marks: readonly ReplayMark[], bookmarks: readonly Bookmark[], flights: readonly ReplayFlight[]): ReplayMark[] {
  const known = new Set(marks.filter((m) => m.bookmarkId !== undefined).map((m) => m.bookmarkId));
  const added = bookmarks.filter((b) => !known.has(b.id)).map((b) => bookmarkMark(b, flights)).filter((m): m is ReplayMark => m !== null);
  if (added.length === 0) return [...marks];
  return [...marks, ...added].sort((a, b) => a.time - b.time);
}
