import { useCallback, useEffect, useMemo, useState } from "react";
import type { Bookmark, BookmarkCreateRequest, ReplayFlight } from "../../../../server/protocol";
import { describeApiError } from "../../access";
import { createBookmarksApi } from "./bookmarksApi";

export interface BookmarksState {
  bookmarks: Bookmark[];
  error: string | null;
  add(flightId: number, req: BookmarkCreateRequest): Promise<void>;
}

/** The bookmarks of the session's flights, oldest first, and adding one (which then shows in the list and as a mark). */
export function useBookmarks(flights: readonly ReplayFlight[], fetchFn: typeof fetch): BookmarksState {
  const api = useMemo(() => createBookmarksApi(fetchFn), [fetchFn]);
  const [bookmarks, setBookmarks] = useState<Bookmark[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (flights.length === 0) return;
    const abort = new AbortController();
    Promise.all(flights.map((f) => api.list(f.id, abort.signal)))
      .then((lists) => {
        setBookmarks(lists.flat().sort((a, b) => a.time - b.time || a.id - b.id));
        setError(null);
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) setError(describeApiError(err));
      });
    return () => abort.abort();
  }, [api, flights]);
  const add = useCallback(async (flightId: number, req: BookmarkCreateRequest) => {
    const created = await api.add(flightId, req);
    setBookmarks((old) => [...old.filter((b) => b.id !== created.id), created].sort((a, b) => a.time - b.time || a.id - b.id));
  }, [api]);
  return { bookmarks, error, add };
}
