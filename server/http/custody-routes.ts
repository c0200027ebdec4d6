import type { Request, Response } from "express";
import { z } from "zod";
import type { AuditEntry } from "../audit";
import type { CustodyParts } from "../custody";
import { custodyCsv, custodyEntries, incidentTargets, itemTargets } from "../custody";
import { flightOf, queryOf, userOf } from "./flight-routes";
import type { ApiSource, Route } from "./route";
import { metaOf, noQuery, pathId, sendError } from "./route";

/** The custody of evidence is read and exported by those who build the case. */
const CASEWORKERS = ["reviewer", "admin"] as const;

export type CustodyServices = CustodyParts;

const custodyQuery = z.object({ format: z.enum(["json", "csv"]).optional() }).strict();

/** Answers a custody log as JSON, or as CSV to save (that export is itself audited). */
function sendCustody(source: ApiSource, req: Request, res: Response, target: string, entries: AuditEntry[]): void {
  if (queryOf(custodyQuery, req).format !== "csv") {
    res.json({ entries });
    return;
  }
  source.auth.audit.append({ actor: userOf(req) ?? "", address: metaOf(req).address, action: "custody_exported", target, result: "ok",
    detail: { entries: entries.length } });
  res.attachment(`custody-${target.replace(":", "-")}.csv`).type("text/csv").send(custodyCsv(entries));
}

export const CUSTODY_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/incidents/:id/custody",
    access: CASEWORKERS,
    query: custodyQuery,
    handle(source, req, res) {
      const id = pathId(req, res, "incident id");
      if (id === null) return;
      if (!source.incidents.store.get(id)) return sendError(res, 404, "not_found", `there is no incident ${id}`);
      const targets = incidentTargets(id, source.incidents.store.links(id), source.custody.sources);
      sendCustody(source, req, res, `incident:${id}`, custodyEntries(targets, source.custody.sources));
    },
  },
  {
    method: "get",
    path: "/api/flights/:id/custody",
    access: CASEWORKERS,
    query: custodyQuery,
    handle(source, req, res) {
      const flight = flightOf(source, req, res);
      if (flight) sendCustody(source, req, res, `flight:${flight.id}`, custodyEntries(itemTargets("flight", flight.id, source.custody.sources), source.custody.sources));
    },
  },
  {
    method: "get",
    path: "/api/footage/:id/custody",
    access: CASEWORKERS,
    query: custodyQuery,
    handle(source, req, res) {
      const id = pathId(req, res, "footage id");
      if (id === null) return;
      if (!source.footage.catalogue.get(id)) return sendError(res, 404, "not_found", `there is no footage ${id}`);
      sendCustody(source, req, res, `footage:${id}`, custodyEntries(itemTargets("footage", id, source.custody.sources), source.custody.sources));
    },
  },
  {
    method: "post",
    path: "/api/incidents/:id/export",
    access: CASEWORKERS,
    query: noQuery,
    handle(source, req, res) {
      const id = pathId(req, res, "incident id");
      if (id === null) return;
      if (!source.incidents.store.get(id)) return sendError(res, 404, "not_found", `there is no incident ${id}`);
      const job = source.custody.exports.start(id, { name: userOf(req) ?? "", address: metaOf(req).address });
      if (!job) return sendError(res, 503, "exports_busy", "several bundles are being made: try again when one is done");
      res.status(202).json(job);
    },
  },
  {
    method: "get",
    path: "/api/exports/jobs/:job",
    access: CASEWORKERS,
    query: noQuery,
    handle(source, req, res) {
      const job = source.custody.exports.get(String(req.params["job"] ?? ""));
      if (!job) return sendError(res, 404, "not_found", "no such export");
      res.json(job);
    },
  },
  {
    method: "get",
    path: "/api/exports",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, _req, res) {
      res.json({ bundles: await source.custody.exports.list() });
    },
  },
];
