import type { BookmarksResponse } from "../protocol";
import { bookmarkCreateSchema, isRefusal } from "../replay";
import { flightOf } from "./flight-routes";
import type { Route } from "./route";
import { metaOf, noQuery, route, sendError } from "./route";

/**
 * Reviewers mark moments of flights while replaying them; an admin looking after an investigation may too. The
 * control room and pilots do not browse the archive (as for the flight routes).
 */
const BOOKMARKERS = ["reviewer", "admin"] as const;

export const BOOKMARK_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/flights/:id/bookmarks",
    access: BOOKMARKERS,
    query: noQuery,
    async handle(source, req, res) {
      const flight = await flightOf(source, req, res);
      if (!flight) return;
      const body: BookmarksResponse = { bookmarks: await source.bookmarks.list(flight.id) };
      res.json(body);
    },
  },
  route({
    method: "post",
    path: "/api/flights/:id/bookmarks",
    access: BOOKMARKERS,
    query: noQuery,
    body: bookmarkCreateSchema,
    async handle(source, req, res, body) {
      const flight = await flightOf(source, req, res);
      if (!flight) return;
      // The access check has set the user: the author is who is signed in, never a name from the body.
      const author = req.user?.name ?? "";
      const added = await source.bookmarks.add(flight, body, author, source.now());
      if (isRefusal(added)) {
        // Too many is the record's state (409), not a malformed request.
        sendError(res, added.code === "too_many_bookmarks" ? 409 : 400, added.code, added.message);
        return;
      }
      await source.auth.audit.append({
        actor: author, address: metaOf(req).address, action: "bookmark_added", target: `flight:${flight.id}`,
        result: "ok", detail: { bookmark: added.id, time: added.time, end: added.end },
      });
      res.status(201).json(added);
    },
  }),
];
