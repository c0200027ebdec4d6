import fs from "node:fs";
import path from "node:path";
import express from "express";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import type { ApiError } from "../protocol";
import type { OriginPolicy } from "./origin";
import type { ApiSource } from "./routes";
import { ROUTES } from "./routes";

function sendError(res: Response, status: number, code: string, message: string): void {
  const body: { error: ApiError } = { error: { code, message } };
  res.status(status).json(body);
}

/** The HTTP API and the built web client. Errors are JSON `{ error: { code, message } }` with a 4xx/5xx status. */
export function createApp(source: ApiSource, opts: { clientDir: string; origins: OriginPolicy }, log: Logger): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
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
    app[route.method](route.path, (req, res) => {
      const query = route.query.safeParse(req.query);
      if (!query.success) {
        sendError(res, 400, "bad_request", query.error.issues.map((i) => i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message).join("; "));
        return;
      }
      res.set("Cache-Control", "no-store");
      route.handle(source, req, res);
    });
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

  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    log.error({ err }, "request failed");
    sendError(res, 500, "internal", "internal server error");
  });
  return app;
}
