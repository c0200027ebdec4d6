import type { Request, Response } from "express";
import type { AuditAction, JsonValue } from "../audit";
import type { EvidenceKind, Incident, IncidentDetail, IncidentSuggestion, IncidentSuggestions, ItemIncidents } from "../protocol";
import {
  incidentEditSchema, incidentInputSchema, incidentListQuery, isIncidentRefusal, linkRequestSchema, passageOf, placeBox,
  statusChangeSchema, unlinkRequestSchema,
} from "../incidents";
import type { IncidentRefusal, IncidentStore } from "../incidents";
import { flightOf, queryOf, userOf } from "./flight-routes";
import { flightSamples } from "../flights";
import type { ApiSource, Route } from "./route";
import { metaOf, noQuery, pathId, route, sendError } from "./route";

/**
 * Reviewers build the case; an admin may too. Pilots and the control room do not: they see open incidents on the
 * live map only ("incidents:open"), never notes, officers or links.
 */
const CASEWORKERS = ["reviewer", "admin"] as const;

/** Flights in an incident's window looked at for suggestions (each one's track is read): the closest in time first. */
const MAX_CANDIDATES = 50;

/** What the incident routes need besides the rest of the API. */
export interface IncidentServices {
  store: Pick<IncidentStore, "create" | "edit" | "setStatus" | "get" | "list" | "history" | "link" | "unlink" | "links" | "linksOfItem">;
  /** The open incidents changed: the live maps are told. */
  changed(): void;
}

const STATUS: Record<IncidentRefusal["refused"], number> = {
  not_found: 404, bad_request: 400, reference_taken: 409, version_conflict: 409, incident_closed: 409, already_closed: 409,
  already_open: 409, already_linked: 409, already_unlinked: 409,
};

function refuse(res: Response, r: IncidentRefusal): void {
  sendError(res, STATUS[r.refused], r.refused, r.message);
}

/** The incident id in the path (or the link id), or null after answering 400. */
const idOf = (req: Request, res: Response, param = "id") => pathId(req, res, param === "id" ? "incident id" : "link id", param);

async function incidentOf(source: ApiSource, req: Request, res: Response): Promise<Incident | null> {
  const id = idOf(req, res);
  if (id === null) return null;
  const incident = await source.incidents.store.get(id);
  if (!incident) sendError(res, 404, "not_found", `there is no incident ${id}`);
  return incident;
}

function audit(source: ApiSource, req: Request, action: AuditAction, incident: Incident | number, detail: { [key: string]: JsonValue }): void {
  const id = typeof incident === "number" ? incident : incident.id;
  source.auth.audit.record({
    actor: userOf(req) ?? "", address: metaOf(req).address, action, target: `incident:${id}`, result: "ok",
    detail: typeof incident === "number" ? detail : { reference: incident.reference, version: incident.version, ...detail },
  });
}

const by = (req: Request) => userOf(req) ?? "";

export const INCIDENT_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/incidents",
    access: CASEWORKERS,
    query: incidentListQuery,
    async handle(source, req, res) {
      res.json(await source.incidents.store.list(queryOf(incidentListQuery, req)));
    },
  },
  route({
    method: "post",
    path: "/api/incidents",
    access: CASEWORKERS,
    query: noQuery,
    body: incidentInputSchema,
    async handle(source, req, res, body) {
      const made = await source.incidents.store.create(body, by(req), source.now());
      if (isIncidentRefusal(made)) return refuse(res, made);
      audit(source, req, "incident_created", made, { title: made.title });
      source.incidents.changed();
      res.status(201).json(made);
    },
  }),
  {
    method: "get",
    path: "/api/incidents/:id",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const incident = await incidentOf(source, req, res);
      if (!incident) return;
      const [history, links] = await Promise.all([source.incidents.store.history(incident.id), source.incidents.store.links(incident.id)]);
      const body: IncidentDetail = { incident, history, links };
      res.json(body);
    },
  },
  route({
    method: "patch",
    path: "/api/incidents/:id",
    access: CASEWORKERS,
    query: noQuery,
    body: incidentEditSchema,
    async handle(source, req, res, body) {
      const id = idOf(req, res);
      if (id === null) return;
      const edited = await source.incidents.store.edit(id, body, by(req), source.now());
      if (isIncidentRefusal(edited)) return refuse(res, edited);
      audit(source, req, "incident_edited", edited, { fields: Object.keys(body).filter((k) => k !== "version") });
      source.incidents.changed();
      res.json(edited);
    },
  }),
  ...(["close", "reopen"] as const).map((verb) => route({
    method: "post",
    path: `/api/incidents/:id/${verb}`,
    access: CASEWORKERS,
    query: noQuery,
    body: statusChangeSchema,
    async handle(source, req, res, body) {
      const id = idOf(req, res);
      if (id === null) return;
      const done = await source.incidents.store.setStatus(id, verb === "close" ? "closed" : "open", body, by(req), source.now());
      if (isIncidentRefusal(done)) return refuse(res, done);
      audit(source, req, verb === "close" ? "incident_closed" : "incident_reopened", done, { reason: body.reason });
      source.incidents.changed();
      res.json(done);
    },
  })),
  route({
    method: "post",
    path: "/api/incidents/:id/links",
    access: CASEWORKERS,
    query: noQuery,
    body: linkRequestSchema,
    async handle(source, req, res, body) {
      const id = idOf(req, res);
      if (id === null) return;
      // The item's hash goes into the audit entry: the link names exactly which bytes are evidence.
      const item = body.kind === "flight" ? await source.flights.catalogue.get(body.id) : await source.footage.catalogue.get(body.id);
      if (!item) return sendError(res, 404, `${body.kind}_not_found`, `no ${body.kind} ${body.id}`);
      const link = await source.incidents.store.link(id, { kind: body.kind, id: item.id }, body.reason, by(req), source.now());
      if (isIncidentRefusal(link)) return refuse(res, link);
      audit(source, req, "incident_linked", id, { link: link.id, [body.kind]: item.id, sha256: item.sha256, reason: body.reason });
      res.status(201).json(link);
    },
  }),
  route({
    method: "post",
    path: "/api/incidents/:id/links/:linkId/unlink",
    access: CASEWORKERS,
    query: noQuery,
    body: unlinkRequestSchema,
    async handle(source, req, res, body) {
      const id = idOf(req, res);
      const linkId = id === null ? null : idOf(req, res, "linkId");
      if (id === null || linkId === null) return;
      const ended = await source.incidents.store.unlink(id, linkId, body.reason, by(req), source.now());
      if (isIncidentRefusal(ended)) return refuse(res, ended);
      audit(source, req, "incident_unlinked", id, { link: ended.id, [ended.kind]: ended.itemId, reason: body.reason });
      res.json(ended);
    },
  }),
  {
    method: "get",
    path: "/api/incidents/:id/suggestions",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const incident = await incidentOf(source, req, res);
      if (!incident) return;
      res.json(await suggestions(source, incident, by(req)));
    },
  },
  {
    method: "get",
    path: "/api/flights/:id/incidents",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const flight = await flightOf(source, req, res);
      if (flight) res.json(await incidentsOf(source, "flight", flight.id));
    },
  },
  {
    method: "get",
    path: "/api/footage/:id/incidents",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const id = pathId(req, res, "footage id");
      if (id === null) return;
      const footage = await source.footage.catalogue.get(id);
      if (!footage) return sendError(res, 404, "not_found", `there is no footage ${id}`);
      res.json(await incidentsOf(source, "footage", footage.id));
    },
  },
];

/** The incidents an item is or was linked to, with each link. */
async function incidentsOf(source: ApiSource, kind: EvidenceKind, id: number): Promise<ItemIncidents> {
  const links = await source.incidents.store.linksOfItem(kind, id);
  const found = await Promise.all(links.map((link) => source.incidents.store.get(link.incidentId)));
  const incidents = links.flatMap((link, n) => {
    const i = found[n];
    return i ? [{ link, incident: { id: i.id, reference: i.reference, title: i.title, status: i.status } }] : [];
  });
  return { incidents };
}

/**
 * Flights of the incident's window whose bounding box meets its place (the catalogue's index), then each one's track
 * read from its .tlog: those that pass within the place, not linked yet, nearest first. Files that are missing or no
 * longer match their seal are named, not read.
 */
async function suggestions(source: ApiSource, incident: Incident, user: string): Promise<IncidentSuggestions> {
  if (!incident.location) return { suggestions: [], unreadable: [] };
  const to = incident.end ?? source.now();
  const page = await source.flights.catalogue.list({ from: incident.start, to, bbox: placeBox(incident.location, 50), limit: MAX_CANDIDATES });
  const linked = new Set((await source.incidents.store.links(incident.id)).filter((l) => l.kind === "flight" && l.unlinkedAt === null).map((l) => l.itemId));
  const candidates = await source.flights.integrity.annotate(page.flights.filter((f) => !linked.has(f.id)), user);
  const out: IncidentSuggestion[] = [];
  const unreadable: number[] = [];
  for (const flight of candidates) {
    const samples = flight.integrity.state === "altered" ? null : await flightSamples(source.flights.dataDir, flight);
    if (!samples) {
      unreadable.push(flight.id);
      continue;
    }
    const passage = await passageOf(samples, incident.location, incident.start, to);
    if (passage) {
      out.push({ flightId: flight.id, vehicle: flight.vehicle.key, startedAt: flight.startedAt, endedAt: flight.endedAt, ...passage });
    }
  }
  out.sort((a, b) => a.nearestM - b.nearestM || a.startedAt - b.startedAt);
  return { suggestions: out, unreadable };
}
