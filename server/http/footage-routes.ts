import fs from "node:fs";
import path from "node:path";
import type { Request, Response } from "express";
import { z } from "zod";
import type { FootageSummary } from "../protocol";
import type { FootageParts } from "../footage";
import { UPLOAD_PATH } from "../footage";
import { queryOf, userOf } from "./flight-routes";
import type { ApiSource, Mount, Route } from "./route";
import { metaOf, noQuery, sendError } from "./route";

/**
 * Footage is evidence: reviewers and admins upload it, list it, view and download it; every view and download is
 * in the audit log. Pilots and the control room do not reach it.
 */
const CASEWORKERS = ["reviewer", "admin"] as const;

/** The footage parts the routes use. */
export type FootageServices = Pick<FootageParts, "catalogue" | "evidence" | "derivedDir"> & { uploads: Pick<FootageParts["uploads"], "handle"> };

/** One "viewed" audit entry per user, footage and half hour: a player asks for many byte ranges of one viewing. */
const VIEW_AUDIT_EVERY_MS = 30 * 60_000;
const MAX_VIEW_MEMORY = 10_000;
const lastViews = new Map<string, number>();

const listQuery = z.object({
  offset: z.coerce.number().int().nonnegative().max(1_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
}).strict();

function footageOf(source: ApiSource, req: Request, res: Response): FootageSummary | null {
  const raw = String(req.params["id"] ?? "");
  if (!/^[1-9]\d{0,14}$/.test(raw)) {
    sendError(res, 400, "bad_request", `footage id: a positive whole number, not "${raw.slice(0, 40)}"`);
    return null;
  }
  const f = source.footage.catalogue.get(Number(raw));
  if (!f) sendError(res, 404, "not_found", `there is no footage ${raw}`);
  return f;
}

/** Sends the original (Range requests honoured) after auditing the access; 404 when the file is not in the store. */
async function sendOriginal(source: ApiSource, req: Request, res: Response, download: boolean): Promise<void> {
  const f = footageOf(source, req, res);
  if (!f) return;
  const file = await source.footage.evidence.locate(f.sha256);
  if (file === null) return sendError(res, 404, "original_missing", `the original of footage ${f.id} (${f.sha256}) is not in the evidence store`);
  const user = userOf(req) ?? "";
  const key = `${user}/${f.id}`;
  const now = source.now();
  const last = lastViews.get(key);
  if (download || last === undefined || now - last > VIEW_AUDIT_EVERY_MS) {
    source.auth.audit.append({
      actor: user, address: metaOf(req).address, action: download ? "footage_downloaded" : "footage_viewed", target: `footage:${f.id}`,
      result: "ok", detail: { sha256: f.sha256, range: req.headers.range ?? null },
    });
    if (!download) {
      if (lastViews.size >= MAX_VIEW_MEMORY) lastViews.clear();
      lastViews.set(key, now);
    }
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
    handle(source, req, res) {
      const q = queryOf(listQuery, req);
      res.json(source.footage.catalogue.list(q.offset ?? 0, q.limit ?? 50));
    },
  },
  {
    method: "get",
    path: "/api/footage/ingest/:upload",
    access: CASEWORKERS,
    query: noQuery,
    handle(source, req, res) {
      const id = String(req.params["upload"] ?? "");
      const u = /^[0-9a-f]{32}$/.test(id) ? source.footage.catalogue.upload(id) : null;
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
    handle(source, req, res) {
      const f = footageOf(source, req, res);
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
      const f = footageOf(source, req, res);
      if (!f) return;
      const file = path.join(source.footage.derivedDir, f.sha256, `${kind}.jpg`);
      if (!(await fs.promises.stat(file).catch(() => null))) return sendError(res, 404, "not_made", `no ${kind} for footage ${f.id}`);
      res.set("Cache-Control", "private, max-age=3600");
      res.sendFile(file);
    },
  })),
];

/** The tus upload protocol (POST, HEAD, PATCH, OPTIONS under UPLOAD_PATH). */
export const FOOTAGE_MOUNTS: Mount[] = [{
  path: UPLOAD_PATH,
  access: CASEWORKERS,
  handle: (source, req, res) => source.footage.uploads.handle(req, res),
}];
