import type { Request, Response } from "express";
import { z } from "zod";
import type { AuditLog } from "../audit";
import type { LoginService, SessionStore, UserStore } from "../auth";
import type { SessionMatch } from "../control";
import type { FlightCatalogue, FlightIntegrityChecker, FlightReports } from "../flights";
import type { FlightCharts, ImportJobs, SeriesStore } from "../flights";
import type { TileSource } from "./tiles";
import type { BookmarkStore } from "../replay";
import type { IncidentServices } from "./incident-routes";
import type { FootageServices } from "./footage-routes";
import type { CustodyServices } from "./custody-routes";
import type { RetentionServices } from "./retention-routes";
import type { ApiError, ClientConfig, HealthResponse, LinkStatus, Role, VehicleState } from "../protocol";

/** Accounts, sessions and the audit log, as the routes use them. */
export interface AuthServices {
  users: UserStore;
  sessions: SessionStore;
  login: LoginService;
  audit: AuditLog;
  /** Sessions ended by a request (logout, user disabled, roles or password changed): drop their sockets and control. */
  sessionsEnded(match: SessionMatch, reason: string): void;
}

/** The flight records, as the flight routes read them. */
export interface FlightRecords {
  catalogue: Pick<FlightCatalogue, "get" | "list" | "addNote" | "messages">;
  /** Where the catalogue's tlogPath values are relative to. */
  dataDir: string;
  /** Each sealed file compared with its seal: every flight answer carries the result. */
  integrity: Pick<FlightIntegrityChecker, "annotate" | "current" | "verify">;
  /** The telemetry series store, or null until one is configured (the series route then answers 503). */
  series: Pick<SeriesStore, "query"> | null;
  /** Imports of uploaded .tlog files (flights/import-jobs.ts): one at a time, in a worker thread, with progress. */
  imports: Pick<ImportJobs, "claim" | "get" | "maxBytes">;
  /** The review charts read from each flight's .tlog (flights/flight-charts.ts). */
  charts: Pick<FlightCharts, "get">;
}

/** What the routes read from the rest of the system. */
export interface ApiSource {
  now(): number;
  startedAt: number;
  version: string;
  vehicles(time: number): VehicleState[];
  links(): LinkStatus[];
  clientConfig: ClientConfig;
  auth: AuthServices;
  flights: FlightRecords;
  /** Whether files can be created in the data directory now (cached briefly; see health-routes.ts). */
  dataDirWritable(): Promise<boolean>;
  /** The local base map (`--tile-url file://...`, tiles.ts), or none: the map's tiles come from elsewhere. */
  tiles?: Pick<TileSource, "tile"> | null;
  /** Flight reports (flights/report-service.ts), or none: the report route then answers 503. */
  reports?: Pick<FlightReports, "report"> | null;
  /** Reviewers' bookmarks on flights (replay/bookmarks.ts). */
  bookmarks: Pick<BookmarkStore, "add" | "list">;
  /** Replay sessions open now (for /api/health). */
  replaySessions(): number;
  /** Event-loop delay and the screens' frame statistics, for /api/health. */
  liveHealth(): Pick<HealthResponse, "eventLoop" | "frames" | "alertStore" | "flightCatalogue" | "cluster">;
  /** Incidents and the evidence linked to them (incidents/). */
  incidents: IncidentServices;
  /** Footage: uploads, the write-once originals and what is derived from them (footage/). */
  footage: FootageServices;
  /** Custody logs and evidence bundles (custody/). */
  custody: CustodyServices;
  /** Retention of footage: policy, legal holds, the deletion queue (retention/). */
  retention: RetentionServices;
}

/**
 * Who may call a route: "public" (the login page's needs only), or the roles of which a user needs one.
 * Every route says so in its entry; the app enforces it before the handler runs.
 */
export type Access = "public" | readonly Role[];

export const noQuery = z.object({}).strict();

export const EVERYONE_SIGNED_IN: readonly Role[] = ["admin", "pilot", "observer", "reviewer"];
export const ADMIN: readonly Role[] = ["admin"];

export interface Route {
  method: "get" | "post" | "patch";
  path: string;
  access: Access;
  /** Query schema: unknown parameters are refused with 400, so a typo never silently changes a result. */
  query: z.ZodType;
  /** JSON body schema, for routes that take one. */
  body?: z.ZodType;
  /** Largest JSON body, read only once the caller's access is checked (default BODY_LIMIT of app.ts). */
  bodyLimit?: string;
  handle(source: ApiSource, req: Request, res: Response, body: unknown): void | Promise<void>;
}

/**
 * A protocol served under a path prefix rather than one route (the tus resumable upload: POST, HEAD, PATCH,
 * OPTIONS on the prefix and its children). Its access is stated and enforced as a route's; it reads its own body.
 */
export interface Mount {
  path: string;
  access: readonly Role[];
  handle(source: ApiSource, req: Request, res: Response): void | Promise<void>;
}

/** A route whose handler gets its body typed by its schema. */
export function route<B>(r: Omit<Route, "body" | "handle"> & {
  body: z.ZodType<B, z.ZodTypeDef, unknown>;
  handle(source: ApiSource, req: Request, res: Response, body: B): void | Promise<void>;
}): Route {
  return r as Route;
}

export function sendError(res: Response, status: number, code: string, message: string): void {
  const body: { error: ApiError } = { error: { code, message } };
  res.status(status).json(body);
}

/** The positive whole number in path parameter `param`, or null after answering 400 naming `what` ("flight id"). */
export function pathId(req: Request, res: Response, what: string, param = "id"): number | null {
  const raw = String(req.params[param] ?? "");
  if (/^[1-9]\d{0,14}$/.test(raw)) return Number(raw);
  sendError(res, 400, "bad_request", `${what}: a positive whole number, not "${raw.slice(0, 40)}"`);
  return null;
}

/** The client address and user agent, for sessions and the audit log. */
export function metaOf(req: Request): { address: string; userAgent: string } {
  return { address: req.ip ?? req.socket.remoteAddress ?? "", userAgent: req.get("user-agent") ?? "" };
}
