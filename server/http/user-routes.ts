import type { Request, Response } from "express";
import { z } from "zod";
import type { UserResult } from "../auth";
import type { UserSummary, UsersResponse } from "../protocol";
import type { ApiSource, Route } from "./route";
import { ADMIN, metaOf, noQuery, route, sendError } from "./route";
import { setSessionCookie } from "./session";

const STATUS: Record<string, number> = { invalid: 400, name_taken: 409, not_found: 404, last_admin: 409 };

/** Changes after which the user must sign in again (UserStore has already revoked their sessions). */
const ENDS_SESSIONS = new Set<string>(["roles_changed", "user_disabled", "password_reset"]);

const createBody = z.object({
  name: z.string().max(200),
  password: z.string().max(1024),
  roles: z.array(z.string()).max(8),
}).strict();

const updateBody = z.object({
  roles: z.array(z.string()).max(8).optional(),
  disabled: z.boolean().optional(),
}).strict().refine((b) => b.roles !== undefined || b.disabled !== undefined, { message: "give roles and/or disabled" });

const passwordBody = z.object({ password: z.string().max(1024) }).strict();

/**
 * Audits a change with the admin as actor; a change that ended the user's sessions drops their sockets and
 * their control of vehicles at once. Returns false (and answers) when the change was refused.
 */
function applied(source: ApiSource, req: Request, res: Response, r: UserResult, reason: string): r is Extract<UserResult, { ok: true }> {
  if (!r.ok) {
    sendError(res, STATUS[r.code] ?? 400, r.code, r.message);
    return false;
  }
  source.auth.audit.record({ actor: req.user?.name ?? "", address: metaOf(req).address, result: "ok", ...r.change });
  if (ENDS_SESSIONS.has(r.change.action)) source.auth.sessionsEnded({ user: r.user.name }, reason);
  return true;
}

/**
 * An admin who changes their own roles stays signed in: this browser gets a fresh session (with the new roles)
 * in the answer's cookie, while every older session of theirs has ended like anyone else's whose roles change.
 */
async function renewOwnSession(source: ApiSource, req: Request, res: Response, userId: number): Promise<void> {
  const session = await source.auth.sessions.create(userId, metaOf(req));
  setSessionCookie(req, res, session.token, session.expiresAt, source.now());
}

function param(req: Request): string {
  return String(req.params["name"] ?? "");
}

export const USER_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/users",
    access: ADMIN,
    query: noQuery,
    async handle(source, _req, res) {
      const body: UsersResponse = { users: await source.auth.users.list() };
      res.json(body);
    },
  },
  route({
    method: "post",
    path: "/api/users",
    access: ADMIN,
    query: noQuery,
    body: createBody,
    async handle(source, req, res, body) {
      const r = await source.auth.users.create(body);
      if (!applied(source, req, res, r, "")) return;
      const user: UserSummary = r.user;
      res.status(201).json(user);
    },
  }),
  route({
    method: "patch",
    path: "/api/users/:name",
    access: ADMIN,
    query: noQuery,
    body: updateBody,
    async handle(source, req, res, body) {
      let user: UserSummary | null = null;
      if (body.roles !== undefined) {
        const r = await source.auth.users.setRoles(param(req), body.roles);
        if (!applied(source, req, res, r, "your roles changed")) return;
        user = r.user;
        if (req.user?.userId === r.user.id) await renewOwnSession(source, req, res, r.user.id);
      }
      if (body.disabled !== undefined) {
        const r = await source.auth.users.setDisabled(param(req), body.disabled);
        if (!applied(source, req, res, r, "your account was disabled")) return;
        user = r.user;
      }
      res.json(user);
    },
  }),
  route({
    method: "post",
    path: "/api/users/:name/password",
    access: ADMIN,
    query: noQuery,
    body: passwordBody,
    async handle(source, req, res, body) {
      const r = await source.auth.users.setPassword(param(req), body.password);
      if (!applied(source, req, res, r, "your password was reset")) return;
      res.json(r.user);
    },
  }),
];
