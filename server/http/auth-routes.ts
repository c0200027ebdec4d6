import { z } from "zod";
import type { AuthStatus, MeResponse } from "../protocol";
import { FIRST_ADMIN_HOW_TO } from "../auth";
import type { Route } from "./route";
import { EVERYONE_SIGNED_IN, metaOf, noQuery, route, sendError } from "./route";
import { clearSessionCookie, setSessionCookie } from "./session";

const loginBody = z.object({
  name: z.string().max(200),
  password: z.string().max(1024),
}).strict();

export const AUTH_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/auth/status",
    access: "public",
    query: noQuery,
    async handle(source, _req, res) {
      const body: AuthStatus = { hasAdmin: await source.auth.users.hasAdmin(), howToCreateAdmin: FIRST_ADMIN_HOW_TO };
      res.json(body);
    },
  },
  route({
    method: "post",
    path: "/api/auth/login",
    access: "public",
    query: noQuery,
    body: loginBody,
    async handle(source, req, res, body) {
      const r = await source.auth.login.login(body.name, body.password, metaOf(req));
      if (!r.ok) {
        if (r.code === "rate_limited") {
          res.set("Retry-After", String(Math.ceil((r.retryAfterMs ?? 1000) / 1000)));
          sendError(res, 429, "rate_limited", "too many failed logins: wait and try again");
        } else if (r.code === "disabled") {
          sendError(res, 403, "disabled", "this account is disabled");
        } else {
          sendError(res, 401, "bad_credentials", "wrong user name or password");
        }
        return;
      }
      setSessionCookie(req, res, r.session.token, r.session.expiresAt, source.now());
      const me: MeResponse = { user: { name: r.user.name, roles: r.user.roles } };
      res.json(me);
    },
  }),
  {
    method: "post",
    path: "/api/auth/logout",
    access: EVERYONE_SIGNED_IN,
    query: noQuery,
    async handle(source, req, res) {
      const user = req.user;
      if (user) {
        await source.auth.login.logout(user.token, metaOf(req));
        source.auth.sessionsEnded({ sessionHash: user.sessionHash }, "logged out");
      }
      clearSessionCookie(req, res);
      res.status(204).end();
    },
  },
  {
    method: "get",
    path: "/api/auth/me",
    access: EVERYONE_SIGNED_IN,
    query: noQuery,
    handle(_source, req, res) {
      const me: MeResponse = { user: { name: req.user?.name ?? "", roles: req.user?.roles ?? [] } };
      res.json(me);
    },
  },
];
