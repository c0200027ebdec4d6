import type { Request, Response } from "express";
import { z } from "zod";
import type { DerivativeJob, FootageDerivative, FootageDerivativeList } from "../protocol";
import { isDerivativeRefusal } from "../footage";
import type { DerivativeSpec } from "../footage";
import { userOf } from "./flight-routes";
import { footageOf } from "./footage-routes";
import type { ApiSource, Route } from "./route";
import { metaOf, noQuery, pathId, route, sendError } from "./route";

/**
 * Derivatives of footage (clips, browser copies) are evidence work like the originals: reviewers and admins ask for
 * them, list them, view and download them; each request, each file made or failed, and each view and download is
 * in the audit log under the parent footage.
 */
const CASEWORKERS = ["reviewer", "admin"] as const;

/** Longest footage a clip bound may name: 1000 hours is past any drone's battery. */
const MAX_S = 3_600_000;

const requestBody = z.object({
  kind: z.enum(["clip", "browser"]),
  from: z.number().finite().min(0).max(MAX_S).optional(),
  to: z.number().finite().min(0).max(MAX_S).optional(),
  reason: z.string().trim().min(1, "a reason is required").max(500),
}).strict().superRefine((b, ctx) => {
  if (b.kind === "clip" && (b.from === undefined || b.to === undefined)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "a clip needs from and to (seconds)", path: ["from"] });
  if (b.kind === "browser" && (b.from !== undefined || b.to !== undefined)) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "a browser copy is of the whole file: no from or to", path: ["from"] });
});

/** The clip's range against the original's duration, or why it does not fit. */
export function clipRangeProblem(fromS: number, toS: number, durationS: number): string | null {
  if (!(toS > fromS)) return `the clip must end after it starts (from ${fromS} s, to ${toS} s)`;
  if (toS > durationS + 1e-6) return `the clip ends at ${toS} s, after the footage's end (${durationS.toFixed(3)} s)`;
  return null;
}


async function sendDerivative(source: ApiSource, req: Request, res: Response, download: boolean): Promise<void> {
  const id = pathId(req, res, "derivative id", "did");
  if (id === null) return;
  const d: FootageDerivative | null = await source.footage.derivativeRows.get(id);
  const parent = d && await source.footage.catalogue.get(d.footageId);
  if (!d || !parent) return sendError(res, 404, "not_found", `there is no derivative ${id}`);
  if (parent.deleted) return sendError(res, 410, "deleted", `footage ${parent.id}, the parent of derivative ${d.id}, was deleted under retention`);
  // The sweep checks derivatives with their original: one that failed is not served, whichever file failed.
  const broken = await source.retention.integrity.refusal(parent.id);
  if (broken) return sendError(res, 409, "integrity_failed", broken);
  const file = await source.footage.evidence.locate(d.sha256);
  if (file === null) return sendError(res, 404, "derivative_missing", `derivative ${d.id} (${d.sha256}) is not in the evidence store`);
  const user = userOf(req) ?? "";
  if (download || source.footage.views.due(user, `derivative:${d.id}`, source.now())) {
    await source.auth.audit.append({
      actor: user, address: metaOf(req).address, action: download ? "footage_downloaded" : "footage_viewed", target: `footage:${parent.id}`,
      result: "ok", detail: { derivative: d.id, kind: d.kind, sha256: d.sha256, parent: d.parentSha256, range: req.headers.range ?? null },
    });
  }
  res.set("Cache-Control", "no-store");
  res.set("X-Content-SHA256", d.sha256);
  if (download) {
    const base = parent.originalName.replace(/\.[A-Za-z0-9]{1,8}$/, "");
    const range = d.fromS !== null && d.toS !== null ? `-${d.fromS}s-${d.toS}s` : "";
    res.attachment(`${base}-${d.kind}${range}-derivative-${d.id}.mp4`);
  }
  res.type("video/mp4");
  res.sendFile(file, { acceptRanges: true, lastModified: false, etag: false, dotfiles: "allow" });
}

export const DERIVATIVE_ROUTES: Route[] = [
  route({
    method: "post",
    path: "/api/footage/:id/derivatives",
    access: CASEWORKERS,
    query: noQuery,
    body: requestBody,
    async handle(source, req, res, body) {
      const f = await footageOf(source, req, res);
      if (!f) return;
      let spec: DerivativeSpec = { kind: "browser" };
      if (body.kind === "clip") {
        const problem = clipRangeProblem(body.from!, body.to!, f.probe.durationS);
        if (problem) return sendError(res, 400, "bad_range", problem);
        spec = { kind: "clip", fromS: body.from!, toS: body.to! };
      }
      const job = await source.footage.derivatives.request(f, spec, body.reason, { name: userOf(req) ?? "", address: metaOf(req).address });
      if (isDerivativeRefusal(job)) return sendError(res, job.status, job.code, job.message);
      res.status(202).json(job satisfies DerivativeJob);
    },
  }),
  {
    method: "get",
    path: "/api/footage/:id/derivatives",
    access: CASEWORKERS,
    query: noQuery,
    async handle(source, req, res) {
      const f = await footageOf(source, req, res);
      if (!f) return;
      const body: FootageDerivativeList = { derivatives: await source.footage.derivativeRows.of(f.id), jobs: source.footage.derivatives.jobsOf(f.id) };
      res.json(body);
    },
  },
  {
    method: "get",
    path: "/api/footage/derivatives/:did/stream",
    access: CASEWORKERS,
    query: noQuery,
    handle: (source, req, res) => sendDerivative(source, req, res, false),
  },
  {
    method: "get",
    path: "/api/footage/derivatives/:did/download",
    access: CASEWORKERS,
    query: noQuery,
    handle: (source, req, res) => sendDerivative(source, req, res, true),
  },
];
