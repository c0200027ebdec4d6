import type { Request, Response } from "express";
import { z } from "zod";
import type { AuditEntry } from "../audit";
import type { CustodyParts } from "../custody";
import { custodyCsv, custodyEntries, incidentTargets, itemTargets, MAX_CUSTODY_ENTRIES, zipBundle } from "../custody";
import type { CustodyItem, CustodyLog, CustodySubject } from "../protocol";
import { flightOf, queryOf, userOf } from "./flight-routes";
import type { ApiSource, Route } from "./route";
import { metaOf, noQuery, pathId, sendError } from "./route";

/** The custody of evidence is read and exported by those who build the case. */
const CASEWORKERS = ["reviewer", "admin"] as const;

export type CustodyServices = CustodyParts;

const custodyQuery = z.object({
  format: z.enum(["json", "csv"]).optional(),
  /** The printable report is about to print: that is audited (as the flight report's print is). */
  print: z.literal("1").optional(),
}).strict();

const utc = (t: number) => `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;

async function itemOf(source: ApiSource, kind: "flight" | "footage", id: number, linked: boolean): Promise<CustodyItem> {
  if (kind === "flight") {
    const f = await source.flights.catalogue.get(id);
    return { kind, id, linked, sha256: f?.sha256 ?? null, label: f ? `Flight ${id}, vehicle ${f.vehicle.key}, from ${utc(f.startedAt)}` : `Flight ${id}` };
  }
  const f = await source.footage.catalogue.get(id);
  return { kind, id, linked, sha256: f?.sha256 ?? null, label: f ? f.originalName : `Footage ${id}` };
}

/** Answers a custody log as JSON, or as CSV to save (that export is itself audited, as is printing the report). */
async function sendCustody(source: ApiSource, req: Request, res: Response, subject: CustodySubject, entries: AuditEntry[]): Promise<void> {
  const target = `${subject.kind}:${subject.id}`;
  const query = queryOf(custodyQuery, req);
  const audit = (action: "custody_exported" | "custody_report_printed") => source.auth.audit.append({
    actor: userOf(req) ?? "", address: metaOf(req).address, action, target, result: "ok", detail: { entries: entries.length },
  });
  if (query.format !== "csv") {
    if (query.print === "1") await audit("custody_report_printed");
    const log: CustodyLog = { subject, generatedAt: source.now(), generatedBy: userOf(req) ?? "", entries, truncated: entries.length >= MAX_CUSTODY_ENTRIES };
    res.json(log);
    return;
  }
  await audit("custody_exported");
  res.attachment(`custody-${subject.kind}-${subject.id}.csv`).type("text/csv").send(custodyCsv(entries));
}

export const CUSTODY_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/incidents/:id/custody",
    access: CASEWORKERS,
    query: custodyQuery,
    async handle(source, req, res) {
      const id = pathId(req, res, "incident id");
      if (id === null) return;
      const incident = await source.incidents.store.get(id);
      if (!incident) return sendError(res, 404, "not_found", `there is no incident ${id}`);
      const links = await source.incidents.store.links(id);
      const items = new Map<string, CustodyItem>();
      for (const l of links) {
        const key = `${l.kind}:${l.itemId}`;
        const linked = l.unlinkedAt === null || items.get(key)?.linked === true;
        items.set(key, await itemOf(source, l.kind, l.itemId, linked));
      }
      const subject: CustodySubject = { kind: "incident", id, label: `${incident.reference} · ${incident.title}`, items: [...items.values()] };
      await sendCustody(source, req, res, subject, await custodyEntries(await incidentTargets(id, links, source.custody.sources), source.custody.sources));
    },
  },
  {
    method: "get",
    path: "/api/flights/:id/custody",
    access: CASEWORKERS,
    query: custodyQuery,
    async handle(source, req, res) {
      const flight = await flightOf(source, req, res);
      if (!flight) return;
      const subject: CustodySubject = { kind: "flight", id: flight.id, label: `Flight ${flight.id}`, items: [await itemOf(source, "flight", flight.id, true)] };
      await sendCustody(source, req, res, subject, await custodyEntries(await itemTargets("flight", flight.id, source.custody.sources), source.custody.sources));
    },
  },
  {
    method: "get",
    path: "/api/footage/:id/custody",
    access: CASEWORKERS,
    query: custodyQuery,
    async handle(source, req, res) {
      const id = pathId(req, res, "footage id");
      if (id === null) return;
      const footage = await source.footage.catalogue.get(id);
      if (!footage) return sendError(res, 404, "not_found", `there is no footage ${id}`);
      const subject: CustodySubject = { kind: "footage", id, label: footage.originalName, items: [await itemOf(source, "footage", id, true)] };
      await sendCustody(source, req, res, subject, await custodyEntries(await itemTargets("footage", id, source.custody.sources), source.custody.sources));
    },
  },
  {
    method: "post",
    path: "/api/incidents/:id/export",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const id = pathId(req, res, "incident id");
      if (id === null) return;
      if (!await source.incidents.store.get(id)) return sendError(res, 404, "not_found", `there is no incident ${id}`);
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
  {
    method: "get",
    path: "/api/incidents/:id/exports",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const id = pathId(req, res, "incident id");
      if (id === null) return;
      if (!await source.incidents.store.get(id)) return sendError(res, 404, "not_found", `there is no incident ${id}`);
      res.json({ bundles: await source.custody.exports.list(id) });
    },
  },
  {
    method: "get",
    path: "/api/exports/:name/download",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const name = String(req.params["name"] ?? "");
      const found = await source.custody.exports.bundle(name);
      if (!found) return sendError(res, 404, "not_found", `there is no bundle "${name.slice(0, 100)}"`);
      const zip = await zipBundle(found.dir, name);
      // Taking the bundle out of the system is a custody event of the incident it belongs to.
      await source.auth.audit.append({ actor: userOf(req) ?? "", address: metaOf(req).address, action: "bundle_downloaded", target: `incident:${found.info.incidentId}`,
        result: "ok", detail: { bundle: name, bytes: zip.size } });
      res.attachment(`${name}.zip`).type("application/zip");
      if (zip.size >= 0) res.setHeader("content-length", String(zip.size));
      res.on("close", () => {
        if (!res.writableFinished) (zip.stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      });
      zip.stream.pipe(res);
    },
  },
];
