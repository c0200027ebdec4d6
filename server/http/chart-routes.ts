import type { Route } from "./route";
import { noQuery, sendError } from "./route";
import { flightOf, refusedForIntegrity } from "./flight-routes";

/** Replay is for reviewers (and admins): its charts too. */
const REPLAY_ROLES = ["reviewer", "admin"] as const;

export const CHART_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/flights/:id/charts",
    access: REPLAY_ROLES,
    query: noQuery,
    async handle(source, req, res) {
      const found = await flightOf(source, req, res);
      if (!found) return;
      // Read from the file like the track: checked against its seal first, and refused (409) once altered.
      const flight = await source.flights.integrity.current(found, "charts", req.user?.name ?? null);
      if (refusedForIntegrity(res, flight)) return;
      const charts = await source.flights.charts.get(flight);
      if (!charts.ok) {
        sendError(res, charts.status, charts.code, charts.message);
        return;
      }
      res.set("X-Charts-Cache", charts.cached ? "hit" : "miss").json(charts.body);
    },
  },
];
