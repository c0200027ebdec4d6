import { describe, expect, it } from "vitest";
import type { Bookmark, ReplayFlight, ReplayMark } from "../../../../server/protocol";
import { bookmarkMark, createBookmarksApi, flightAt, withBookmarks } from "./bookmarksApi";

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const flight = (id: number, vehicle: ReplayFlight["vehicle"], shiftMs = 0): ReplayFlight => ({
  id, vehicle, vehicleType: "copter", startedAt: T0, endedAt: T0 + 60_000, shiftMs, integrity: "verified", sha256: null,
});
const bookmark = (id: number, flightId: number, time: number, end: number | null = null): Bookmark =>
  ({ id, flightId, time, end, note: `note ${id}`, author: "rita", createdAt: T0 });

describe("bookmarks on the session clock", () => {
  const flights = [flight(1, "1:1"), flight(2, "2:1", 5000)];
  it("places a bookmark of a shifted flight at its session time", () => {
    expect(bookmarkMark(bookmark(7, 2, T0 + 1000, T0 + 3000), flights)).toEqual({
      time: T0 + 6000, end: T0 + 8000, vehicle: "2:1", kind: "bookmark", text: "note 7 (rita)", bookmarkId: 7,
    });
    expect(bookmarkMark(bookmark(8, 99, T0), flights)).toBeNull();
  });
  it("adds only bookmarks the session's marks do not hold yet, in time order", () => {
    const marks: ReplayMark[] = [
      { time: T0 + 500, vehicle: "1:1", kind: "bookmark", text: "old", bookmarkId: 3 },
      { time: T0 + 9000, vehicle: "1:1", kind: "armed", text: "Armed" },
    ];
    const out = withBookmarks(marks, [bookmark(3, 1, T0 + 500), bookmark(4, 1, T0 + 2000)], flights);
    expect(out.map((m) => m.bookmarkId ?? m.kind)).toEqual([3, 4, "armed"]);
  });
  it("files a bookmark under the selected vehicle's flight when it covers the moment", () => {
    expect(flightAt(flights, T0 + 2000, "1:1")?.id).toBe(1);
    expect(flightAt(flights, T0 + 2000, null)?.id).toBe(1);
    expect(flightAt(flights, T0 + 62_000, null)?.id).toBe(2); // only the shifted flight is still in the air
    expect(flightAt(flights, T0 + 2000, "2:1")?.id).toBe(1); // 2:1's flight starts at +5 s
  });
});

describe("createBookmarksApi", () => {
  it("lists, adds, and words the server's refusal", async () => {
    const calls: { url: string; init?: RequestInit }[] = [];
    const fetchFn: typeof fetch = async (input, init) => {
      calls.push({ url: String(input), init });
      if (init?.method === "POST") {
        const body = JSON.parse(String(init.body)) as { note: string };
        if (body.note === "") return new Response(JSON.stringify({ error: { code: "bad_request", message: "note is empty" } }), { status: 400 });
        return new Response(JSON.stringify(bookmark(5, 1, T0)), { status: 201 });
      }
      return new Response(JSON.stringify({ bookmarks: [bookmark(1, 1, T0)] }), { status: 200 });
    };
    const api = createBookmarksApi(fetchFn);
    expect((await api.list(1)).map((b) => b.id)).toEqual([1]);
    expect((await api.add(1, { time: T0, note: "pilot turns back" })).id).toBe(5);
    await expect(api.add(1, { time: T0, note: "" })).rejects.toMatchObject({ code: "bad_request", message: "note is empty" });
    expect(calls[1]).toMatchObject({ url: "/api/flights/1/bookmarks", init: { method: "POST" } });
  });
});
