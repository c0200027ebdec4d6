import type { HealthResponse, VehiclesResponse } from "../protocol";
import { AUTH_ROUTES } from "./auth-routes";
import type { Mount, Route } from "./route";
import { EVERYONE_SIGNED_IN, noQuery } from "./route";
import { USER_ROUTES } from "./user-routes";
import { MISSION_ROUTES } from "./mission-routes";
import { FLIGHT_ROUTES } from "./flight-routes";
import { IMPORT_ROUTES } from "./import-route";
import { HEALTH_ROUTES } from "./health-routes";
import { AUDIT_ROUTES } from "./audit-routes";
import { TILE_ROUTES } from "./tiles-route";
import { REPORT_ROUTES } from "./report-routes";
import { BOOKMARK_ROUTES } from "./bookmark-routes";
import { INCIDENT_ROUTES } from "./incident-routes";
import { FOOTAGE_MOUNTS, FOOTAGE_ROUTES } from "./footage-routes";
import { DERIVATIVE_ROUTES } from "./derivative-routes";
import { CUSTODY_ROUTES } from "./custody-routes";
import { RETENTION_ROUTES } from "./retention-routes";
import { CHART_ROUTES } from "./chart-routes";
import { EVIDENCE_ROUTES } from "./evidence-routes";

const LIVE_ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/health",
    access: EVERYONE_SIGNED_IN,
    query: noQuery,
    handle(source, _req, res) {
      const time = source.now();
      const body: HealthResponse = {
        status: "ok",
        version: source.version,
        uptimeSeconds: Math.round((time - source.startedAt) / 1000),
        vehicles: source.vehicles(time).length,
        links: source.links(),
        replaySessions: source.replaySessions(),
        ...source.liveHealth(),
      };
      res.json(body);
    },
  },
  {
    method: "get",
    path: "/api/vehicles",
    access: EVERYONE_SIGNED_IN,
    query: noQuery,
    handle(source, _req, res) {
      const time = source.now();
      const body: VehiclesResponse = { time, vehicles: source.vehicles(time) };
      res.json(body);
    },
  },
  {
    method: "get",
    path: "/api/config",
    access: EVERYONE_SIGNED_IN,
    query: noQuery,
    handle(source, _req, res) {
      res.json(source.clientConfig);
    },
  },
];

/** Every API route, with who may call it: the one table the app mounts and the access test walks. */
export const ROUTES: Route[] = [...LIVE_ROUTES, ...AUTH_ROUTES, ...USER_ROUTES, ...MISSION_ROUTES, ...FLIGHT_ROUTES, ...REPORT_ROUTES, ...IMPORT_ROUTES, ...HEALTH_ROUTES, ...AUDIT_ROUTES, ...TILE_ROUTES, ...BOOKMARK_ROUTES, ...CHART_ROUTES, ...INCIDENT_ROUTES, ...FOOTAGE_ROUTES, ...DERIVATIVE_ROUTES, ...CUSTODY_ROUTES, ...RETENTION_ROUTES, ...EVIDENCE_ROUTES];

/** Protocols under a path prefix, each with its access (see Mount). */
export const MOUNTS: Mount[] = [...FOOTAGE_MOUNTS];
