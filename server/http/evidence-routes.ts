import type { EvidenceSweepResult } from "../footage";
import { userOf } from "./flight-routes";
import { ADMIN, metaOf, noQuery } from "./route";
import type { Route } from "./route";

/**
 * The integrity sweep of stored footage is the admin's to run and read: it shows which files fail, not what they
 * show. POST runs one now and answers when it is done (a sweep under way is joined, not doubled).
 */
export const EVIDENCE_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/evidence/sweep",
    access: ADMIN,
    query: noQuery,
    async handle(source, _req, res) {
      const body: { running: boolean; last: EvidenceSweepResult | null } = {
        running: source.retention.integrity.busy(), last: await source.retention.integrity.last(),
      };
      res.json(body);
    },
  },
  {
    method: "post",
    path: "/api/evidence/sweep",
    access: ADMIN,
    query: noQuery,
    async handle(source, req, res) {
      res.json(await source.retention.integrity.sweep(userOf(req) ?? "", metaOf(req).address));
    },
  },
];
