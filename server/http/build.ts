import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import type { Logger } from "pino";
import type { Config } from "../config";
import { createApp } from "./app";
import { writableCheck } from "./health-routes";
import { OriginPolicy } from "./origin";
import type { ApiSource, AuthServices, FlightRecords } from "./route";
import { LOCAL_TILE_URL } from "./tiles";
import type { TileSource } from "./tiles";

export type HttpConfig = Pick<Config,
  "dataDir" | "filesDir" | "tileUrl" | "tileAttribution" | "tickMs" | "lostAfterMs" | "clientDir" | "allowedHosts" | "trustProxy" | "httpPort" | "httpHost">;

export interface HttpBuildDeps extends Pick<ApiSource, "now" | "startedAt" | "version" | "vehicles" | "links" | "bookmarks" | "replaySessions" | "liveHealth" | "reports" | "incidents" | "footage" | "custody" | "retention"> {
  log: Logger;
  auth: AuthServices;
  flights: Omit<FlightRecords, "dataDir">;
  /** The local base map opened at start (--tile-url file://...), or null. */
  tiles: TileSource | null;
}

export interface HttpParts {
  app: Express;
  server: http.Server;
  /** Which Host and Origin headers are ours (the Socket.IO server checks them too). */
  origins: OriginPolicy;
  /** Listens on the configured address; a bind error rejects, later errors are logged. */
  listen(): Promise<AddressInfo>;
  stop(): Promise<void>;
}

/** The REST API and the built web client on one HTTP server (not listening yet). */
export function buildHttp(config: HttpConfig, deps: HttpBuildDeps): HttpParts {
  const { log, tiles } = deps;
  const origins = new OriginPolicy(config.allowedHosts, config.trustProxy);
  const app = createApp({
    now: deps.now,
    startedAt: deps.startedAt,
    version: deps.version,
    vehicles: deps.vehicles,
    links: deps.links,
    clientConfig: {
      tileUrl: tiles ? LOCAL_TILE_URL : config.tileUrl,
      tileAttribution: config.tileAttribution,
      tickMs: config.tickMs,
      lostAfterMs: config.lostAfterMs,
      version: deps.version,
    },
    auth: deps.auth,
    flights: { ...deps.flights, dataDir: config.filesDir },
    dataDirWritable: bothWritable(writableCheck(config.dataDir), config.filesDir === config.dataDir ? null : writableCheck(config.filesDir)),
    tiles,
    bookmarks: deps.bookmarks,
    replaySessions: deps.replaySessions,
    liveHealth: deps.liveHealth,
    incidents: deps.incidents,
    footage: deps.footage,
    custody: deps.custody,
    retention: deps.retention,
    reports: deps.reports ?? null,
  }, { clientDir: config.clientDir, origins }, log.child({ part: "http" }));
  const server = http.createServer(app);
  return {
    app, server, origins,
    async listen() {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.httpPort, config.httpHost, () => {
          server.off("error", reject);
          resolve();
        });
      });
      // After start-up an error (e.g. EMFILE on accept) is logged, not fatal.
      server.on("error", (err) => log.error({ err }, "web server error"));
      return server.address() as AddressInfo;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The data directory and, when it is elsewhere, the evidence files' directory: both must take writes. */
function bothWritable(data: () => Promise<boolean>, files: (() => Promise<boolean>) | null): () => Promise<boolean> {
  return async () => (await data()) && (files === null || await files());
}
