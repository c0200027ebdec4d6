import fs from "node:fs";
import path from "node:path";
import express from "express";
import type { NextFunction, Request, Response } from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import type { OriginPolicy } from "./origin";
import type { ApiSource, Route } from "./route";
import { sendError } from "./route";
import { MOUNTS, ROUTES } from "./routes";
import { sessionOf } from "./session";

/** Largest JSON body accepted: every request of the API is small. */
export const BODY_LIMIT = "16kb";

const issues = (error: { issues: { path: (string | number)[]; message: string }[] }) =>
  error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");

/** The origin of a tile URL template for the CSP ("https://{s}.tile.example/{z}/..." -> "https://*.tile.example"). */
export function tileSource(tileUrl: string | null): string[] {
  if (!tileUrl) return [];
  const m = /^(https?:\/\/[^/]+)/i.exec(tileUrl.replace(/\{s\}/g, "*"));
  return m?.[1] ? [m[1]] : [];
}

/** Refuses a request without a live session (401) or without one of the route's roles (403); sets req.user. */
async function checkAccess(route: Pick<Route, "access">, source: ApiSource, req: Request, res: Response): Promise<boolean> {
  if (route.access === "public") return true;
  const user = await sessionOf(source.auth.sessions, req.headers.cookie);
  if (!user) {
    sendError(res, 401, "unauthenticated", "sign in first");
    return false;
  }
  if (!route.access.some((r) => user.roles.includes(r))) {
    sendError(res, 403, "forbidden", `needs role ${route.access.join(" or ")}`);
    return false;
  }
  req.user = user;
  return true;
}

/** The HTTP API and the built web client. Errors are JSON `{ error: { code, message } }` with a 4xx/5xx status. */
export function createApp(source: ApiSource, opts: { clientDir: string; origins: OriginPolicy }, log: Logger): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  // Behind a trusted TLS proxy req.secure (the cookie's Secure flag) and req.ip (rate limits, audit) are the browser's.
  app.set("trust proxy", (address: string) => opts.origins.trustsProxy(address));
  app.use(helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        // Same-origin WebSocket (Socket.IO) is covered by 'self'.
        "connect-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", ...tileSource(source.clientConfig.tileUrl)],
        // Leaflet positions tiles and markers with inline styles.
        "style-src": ["'self'", "'unsafe-inline'"],
        // The server is often reached over plain http on the unit's network: do not rewrite to https.
        "upgrade-insecure-requests": null,
      },
    },
    // Only meaningful over https; harmless otherwise, but a plain-http deployment must not be pinned to https.
    strictTransportSecurity: false,
  }));
  app.use((req, res, next) => {
    const refusal = opts.origins.refusal(req);
    if (refusal === null) {
      next();
      return;
    }
    log.warn({ host: req.headers.host, origin: req.headers.origin, path: req.path }, refusal);
    sendError(res, 403, "forbidden_origin", refusal);
  });
  for (const route of ROUTES) {
    const limit = route.bodyLimit ?? BODY_LIMIT;
    const json = express.json({ limit });
    app[route.method](route.path, async (req, res) => {
      res.set("Cache-Control", "no-store");
      if (!await checkAccess(route, source, req, res)) return;
      // Read only now: a caller without the right session never gets a body of theirs read or parsed.
      res.locals.bodyLimit = limit;
      await new Promise<void>((resolve, reject) => json(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
      const query = route.query.safeParse(req.query);
      if (!query.success) {
        sendError(res, 400, "bad_request", issues(query.error));
        return;
      }
      let body: unknown = undefined;
      if (route.body) {
        const parsed = route.body.safeParse(req.body ?? {});
        if (!parsed.success) {
          sendError(res, 400, "bad_request", issues(parsed.error));
          return;
        }
        body = parsed.data;
      }
      await route.handle(source, req, res, body);
    });
  }
  for (const mount of MOUNTS) {
    const handler = async (req: Request, res: Response) => {
      if (!await checkAccess(mount, source, req, res)) return;
      await mount.handle(source, req, res);
    };
    app.all(mount.path, handler);
    app.all(`${mount.path}/{*rest}`, handler);
  }
  app.all("/api/{*rest}", (req, res) => sendError(res, 404, "not_found", `no such API route: ${req.method} ${req.path}`));

  const index = path.join(opts.clientDir, "index.html");
  if (fs.existsSync(index)) {
    app.use(express.static(opts.clientDir, { index: false, maxAge: "1h" }));
    app.get("/{*rest}", (_req, res) => res.sendFile(index));
  } else {
    log.warn({ clientDir: opts.clientDir }, "web client not built (npm run build): only the API is served");
    app.get("/", (_req, res) => sendError(res, 503, "client_not_built", "the web client is not built: run `npm run build`"));
  }

  app.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === "entity.parse.failed") {
      sendError(res, 400, "bad_request", `malformed JSON body: ${err.message}`);
      return;
    }
    if (err.type === "entity.too.large") {
      sendError(res, 413, "too_large", `request body larger than ${String(res.locals.bodyLimit ?? BODY_LIMIT)}`);
      return;
    }
    if (typeof err.status === "number" && err.status >= 400 && err.status < 500) {
      sendError(res, err.status, "bad_request", err.message);
      return;
    }
    log.error({ err }, "request failed");
    sendError(res, 500, "internal", "internal server error");
  });
  return app;
}
