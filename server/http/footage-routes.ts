import fs from "node:fs";
import path from "node:path";
import type { Request, Response } from "express";
import { z } from "zod";
import type { FlightFootage, FootageSummary, FootageSyncs } from "../protocol";
import type { FootageParts } from "../footage";
import { UPLOAD_PATH, cleanName, isSyncRefusal } from "../footage";
import { flightFilePath } from "../flights";
import { flightOf, queryOf, refusedForIntegrity, userOf } from "./flight-routes";
import type { ApiSource, Mount, Route } from "./route";
import { metaOf, noQuery, pathId, route, sendError } from "./route";

/**
 * Footage is evidence: reviewers and admins upload it, list it, view and download it; every view and download is
 * in the audit log. Pilots and the control room do not reach it.
 */
const CASEWORKERS = ["reviewer", "admin"] as const;

/** The footage parts the routes use. */
export type FootageServices = Pick<FootageParts, "catalogue" | "evidence" | "derivedDir" | "syncs" | "sync" | "derivatives" | "derivativeRows" | "views"> & { uploads: Pick<FootageParts["uploads"], "handle"> };

/** A sidecar of a long 60 fps video is tens of MB of text. */
const MAX_SIDECAR_BYTES = 64 * 1024 * 1024;

const sidecarQuery = z.object({ name: z.string().min(1).max(255) }).strict();
/** `source` picks one way to find the offset; without it: sidecar, else camera messages, else creation_time. */
const autoBody = z.object({
  flightId: z.number().int().positive(),
  source: z.enum(["srt", "camera", "creation_time"]).optional(),
}).strict();
const manualBody = z.object({
  flightId: z.number().int().positive(), startsAt: z.number().int().nonnegative().max(8.64e15),
  reason: z.string().trim().min(1, "a reason is required").max(500),
}).strict();

/** The raw request body, at most `limit` bytes (null when over: the caller answers 413). */
async function rawBody(req: Request, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const who = (req: Request) => ({ name: userOf(req) ?? "", address: metaOf(req).address });

/** The flight a sync names, checked against its seal, with its .tlog's path; null after answering. */
async function syncFlight(source: ApiSource, req: Request, res: Response, flightId: number) {
  const found = await source.flights.catalogue.get(flightId);
  if (!found) {
    sendError(res, 404, "flight_not_found", `no flight ${flightId}`);
    return null;
  }
  const flight = await source.flights.integrity.current(found, "footage_sync", userOf(req));
  if (refusedForIntegrity(res, flight)) return null;
  const file = flightFilePath(source.flights.dataDir, flight);
  if (file === null || !fs.existsSync(file)) {
    sendError(res, 404, "tlog_missing", `the .tlog of flight ${flight.id} is not in the data directory`);
    return null;
  }
  return { flight, file };
}


const listQuery = z.object({
  offset: z.coerce.number().int().nonnegative().max(1_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
}).strict();

/** The footage a path's :id names; null after answering 400 or 404. */
export async function footageOf(source: ApiSource, req: Request, res: Response): Promise<FootageSummary | null> {
  const id = pathId(req, res, "footage id");
  if (id === null) return null;
  const f = await source.footage.catalogue.get(id);
  if (!f) sendError(res, 404, "not_found", `there is no footage ${id}`);
  return f;
}

/** Sends the original (Range requests honoured) after auditing the access; 404 when the file is not in the store. */
async function sendOriginal(source: ApiSource, req: Request, res: Response, download: boolean): Promise<void> {
  const f = await footageOf(source, req, res);
  if (!f) return;
  if (f.deleted) {
    return sendError(res, 410, "deleted", `footage ${f.id} was deleted under retention on ${new Date(f.deleted.at).toISOString()} (deletion request ${f.deleted.request}); its record and custody log remain`);
  }
  const broken = await source.retention.integrity.refusal(f.id);
  if (broken) return sendError(res, 409, "integrity_failed", broken);
  const file = await source.footage.evidence.locate(f.sha256);
  if (file === null) return sendError(res, 404, "original_missing", `the original of footage ${f.id} (${f.sha256}) is not in the evidence store`);
  const user = userOf(req) ?? "";
  if (download || source.footage.views.due(user, `original:${f.id}`, source.now())) {
    await source.auth.audit.append({
      actor: user, address: metaOf(req).address, action: download ? "footage_downloaded" : "footage_viewed", target: `footage:${f.id}`,
      result: "ok", detail: { sha256: f.sha256, range: req.headers.range ?? null },
    });
  }
  res.set("Cache-Control", "no-store");
  res.set("X-Content-SHA256", f.sha256);
  if (download) res.attachment(f.originalName);
  res.sendFile(file, { acceptRanges: true, lastModified: false, etag: false, dotfiles: "allow" });
}

export const FOOTAGE_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/footage",
    access: CASEWORKERS,
    query: listQuery,
    async handle(source, req, res) {
      const q = queryOf(listQuery, req);
      res.json(await source.footage.catalogue.list(q.offset ?? 0, q.limit ?? 50));
    },
  },
  {
    method: "get",
    path: "/api/footage/ingest/:upload",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const id = String(req.params["upload"] ?? "");
      const u = /^[0-9a-f]{32}$/.test(id) ? await source.footage.catalogue.upload(id) : null;
      // An upload is its owner's (and an admin's) to follow.
      if (!u || (u.owner !== userOf(req) && !req.user?.roles.includes("admin"))) return sendError(res, 404, "not_found", `no upload ${id.slice(0, 40)}`);
      const { owner: _owner, sha256: _sha, ...status } = u;
      res.json(status);
    },
  },
  {
    method: "get",
    path: "/api/footage/:id",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const f = await footageOf(source, req, res);
      if (f) res.json(f);
    },
  },
  {
    method: "get",
    path: "/api/footage/:id/stream",
    access: CASEWORKERS,
    query: noQuery,
    handle: (source, req, res) => sendOriginal(source, req, res, false),
  },
  {
    method: "get",
    path: "/api/footage/:id/original",
    access: CASEWORKERS,
    query: noQuery,
    handle: (source, req, res) => sendOriginal(source, req, res, true),
  },
  ...(["poster", "strip"] as const).map((kind): Route => ({
    method: "get",
    path: `/api/footage/:id/${kind}.jpg`,
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const f = await footageOf(source, req, res);
      if (!f) return;
      const broken = await source.retention.integrity.refusal(f.id);
      if (broken) return sendError(res, 409, "integrity_failed", broken);
      const file = path.join(source.footage.derivedDir, f.sha256, `${kind}.jpg`);
      if (!(await fs.promises.stat(file).catch(() => null))) return sendError(res, 404, "not_made", `no ${kind} for footage ${f.id}`);
      res.set("Cache-Control", "private, max-age=3600");
      res.sendFile(file);
    },
  })),
];

FOOTAGE_ROUTES.push(
  {
    method: "post",
    path: "/api/footage/:id/sidecar",
    access: CASEWORKERS,
    query: sidecarQuery,
    async handle(source, req, res) {
      const f = await footageOf(source, req, res);
      if (!f) return;
      const name = cleanName(queryOf(sidecarQuery, req).name);
      if (name === null) return sendError(res, 400, "bad_request", "a sidecar needs its file name (?name=DJI_0001.SRT)");
      const bytes = await rawBody(req, MAX_SIDECAR_BYTES);
      if (bytes === null) return sendError(res, 413, "too_large", `a sidecar is at most ${MAX_SIDECAR_BYTES} bytes`);
      if (bytes.length === 0) return sendError(res, 400, "bad_request", `${name} is empty`);
      const added = await source.footage.sync.addSidecar(f, name, bytes, who(req));
      if (isSyncRefusal(added)) return sendError(res, added.status, added.code, added.message);
      res.status(201).json(added);
    },
  },
  {
    method: "get",
    path: "/api/footage/:id/track",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const f = await footageOf(source, req, res);
      if (f) res.json(await source.footage.sync.track(f));
    },
  },
  {
    method: "get",
    path: "/api/footage/:id/sync",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const f = await footageOf(source, req, res);
      if (!f) return;
      const body: FootageSyncs = { current: await source.footage.syncs.current(f.id), history: await source.footage.syncs.history(f.id) };
      res.json(body);
    },
  },
  route({
    method: "post",
    path: "/api/footage/:id/sync/auto",
    access: CASEWORKERS,
    query: noQuery,
    body: autoBody,
    async handle(source, req, res, body) {
      const f = await footageOf(source, req, res);
      const target = f && await syncFlight(source, req, res, body.flightId);
      if (!f || !target) return;
      const set = await source.footage.sync.auto(f, target.flight, target.file, who(req), body.source);
      if (isSyncRefusal(set)) return sendError(res, set.status, set.code, set.message);
      res.status(201).json(set);
    },
  }),
  route({
    method: "post",
    path: "/api/footage/:id/sync",
    access: CASEWORKERS,
    query: noQuery,
    body: manualBody,
    async handle(source, req, res, body) {
      const f = await footageOf(source, req, res);
      const target = f && await syncFlight(source, req, res, body.flightId);
      if (!f || !target) return;
      const set = await source.footage.sync.manual(f, target.flight, body.startsAt, body.reason, who(req));
      if (isSyncRefusal(set)) return sendError(res, set.status, set.code, set.message);
      res.status(201).json(set);
    },
  }),
  {
    method: "get",
    path: "/api/flights/:id/footage",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const flight = await flightOf(source, req, res);
      if (!flight) return;
      const syncs = await source.footage.syncs.ofFlight(flight.id);
      const found = await Promise.all(syncs.map((sync) => source.footage.catalogue.get(sync.footageId)));
      const footage = syncs.flatMap((sync, n) => {
        const f = found[n];
        return f ? [{ footage: f, sync }] : [];
      });
      const body: FlightFootage = { footage };
      res.json(body);
    },
  },
);

/** The tus upload protocol (POST, HEAD, PATCH, OPTIONS under UPLOAD_PATH). */
export const FOOTAGE_MOUNTS: Mount[] = [{
  path: UPLOAD_PATH,
  access: CASEWORKERS,
  handle: (source, req, res) => source.footage.uploads.handle(req, res),
}];
