import { z } from "zod";
import { flightOf, refusedForIntegrity } from "./flight-routes";
import type { Route } from "./route";
import { metaOf, sendError } from "./route";

/** The flight report is a reviewer's document; an admin looking after the station may print it too. */
const READERS = ["reviewer", "admin"] as const;

/**
 * `print=1`: the page is about to print. The file is then read in full against its seal first (paper leaving
 * the system is evidence leaving it, as an export is) and the printing is audited. Without it: a preview.
 */
const reportQuery = z.object({ print: z.literal("1").optional() }).strict();

const STATUS: Record<string, number> = { tlog_missing: 404, report_busy: 503, report_failed: 500 };

export const REPORT_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/flights/:id/report",
    access: READERS,
    query: reportQuery,
    async handle(source, req, res) {
      const found = await flightOf(source, req, res);
      if (!found) return;
      const user = req.user?.name ?? "";
      const printing = reportQuery.parse(req.query).print === "1";
      const flight = printing ? await source.flights.integrity.verify(found, "report", user)
        : await source.flights.integrity.current(found, "report", user);
      if (refusedForIntegrity(res, flight)) return;
      if (!source.reports) {
        sendError(res, 503, "report_unavailable", "flight reports are not available on this server");
        return;
      }
      const report = await source.reports.report(flight, user, source.now());
      if (!report.ok) {
        sendError(res, STATUS[report.error.code] ?? 500, report.error.code, report.error.message);
        return;
      }
      if (printing) {
        // A printed report is a copy of evidence leaving the system: who printed which flight, with which hash.
        await source.auth.audit.append({
          actor: user, address: metaOf(req).address, action: "flight_report_printed", target: `flight:${flight.id}`,
          result: "ok", detail: { sha256: flight.sha256, integrity: flight.integrity.state, generatedAt: report.value.generatedAt },
        });
      }
      res.json(report.value);
    },
  },
];
