import type { Route } from "./route";
import { ADMIN, metaOf, noQuery, sendError } from "./route";

/**
 * The audit log's signed head, for an admin to keep outside this server (mail it, print it, store it offline):
 * `npm run audit -- verify --checkpoint FILE` then proves the log was not rewritten or cut short since.
 */
export const AUDIT_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/audit/checkpoint",
    access: ADMIN,
    query: noQuery,
    async handle(source, req, res) {
      const audit = source.auth.audit;
      const entry = { actor: req.user?.name ?? "", address: metaOf(req).address, action: "audit_checkpoint_exported" as const, target: "" };
      if (!audit.signs) {
        await audit.append({ ...entry, result: "no_signing_key" });
        sendError(res, 503, "no_signing_key", "this server has no audit signing key");
        return;
      }
      // Recorded first, so that the checkpoint handed out covers its own export.
      await audit.append({ ...entry, result: "ok" });
      const exported = await audit.exportCheckpoint();
      if (!exported) {
        sendError(res, 500, "checkpoint_failed", "the audit chain could not be signed: run `npm run audit -- verify`");
        return;
      }
      res.set("content-disposition", `attachment; filename="audit-checkpoint-${exported.checkpoint.entryId}.json"`);
      res.json(exported);
    },
  },
];
