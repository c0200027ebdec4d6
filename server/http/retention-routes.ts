import { z } from "zod";
import type { RetentionParts } from "../retention";
import { isRetentionRefusal } from "../retention";
import { userOf } from "./flight-routes";
import { ADMIN, metaOf, noQuery, pathId, route, sendError } from "./route";
import type { Route } from "./route";

/** Retention is the admin's: the policy's figures, the deletion queue, and what the disk holds per category. */
export type RetentionServices = Pick<RetentionParts, "retention" | "integrity">;

const reason = z.string().trim().min(1, "a reason is required").max(500);
const deletionBody = z.object({ kind: z.enum(["footage", "flight"]), id: z.number().int().positive(), reason }).strict();
const cancelBody = z.object({ reason }).strict();
const who = (req: Parameters<Route["handle"]>[1]) => ({ name: userOf(req) ?? "", address: metaOf(req).address });

export const RETENTION_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/retention",
    access: ADMIN,
    query: noQuery,
    async handle(source, _req, res) {
      res.json({ ...await source.retention.retention.usage(), requests: await source.retention.retention.requests() });
    },
  },
  route({
    method: "post",
    path: "/api/retention/deletions",
    access: ADMIN,
    query: noQuery,
    body: deletionBody,
    async handle(source, req, res, body) {
      const made = await source.retention.retention.request(body.id, body.reason, who(req), body.kind);
      if (isRetentionRefusal(made)) return sendError(res, made.status, made.code, made.message);
      res.status(201).json(made);
    },
  }),
  route({
    method: "post",
    path: "/api/retention/deletions/:id/cancel",
    access: ADMIN,
    query: noQuery,
    body: cancelBody,
    async handle(source, req, res, body) {
      const id = pathId(req, res, "request id");
      if (id === null) return;
      const done = await source.retention.retention.cancel(id, body.reason, who(req));
      if (isRetentionRefusal(done)) return sendError(res, done.status, done.code, done.message);
      res.json(done);
    },
  }),
  {
    method: "post",
    path: "/api/retention/sweep",
    access: ADMIN,
    query: noQuery,
    async handle(source, _req, res) {
      res.json(await source.retention.retention.sweep());
    },
  },
];
