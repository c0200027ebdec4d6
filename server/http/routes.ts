import type { Request, Response } from "express";
import { z } from "zod";
import type { ClientConfig, HealthResponse, LinkStatus, VehicleState, VehiclesResponse } from "../protocol";

/** What the routes read from the rest of the system. */
export interface ApiSource {
  now(): number;
  startedAt: number;
  version: string;
  vehicles(time: number): VehicleState[];
  links(): LinkStatus[];
  clientConfig: ClientConfig;
}

/**
 * Who may call a route. Until accounts exist every route is readable by anyone who can reach the server,
 * which is why the server binds to loopback unless told otherwise; the access-control work replaces
 * "anyone" with roles and enforces them in `mountRoutes`.
 */
export type Access = "anyone";

export interface Route {
  method: "get";
  path: string;
  access: Access;
  /** Query schema: unknown parameters are refused with 400, so a typo never silently changes a result. */
  query: z.ZodType;
  handle(source: ApiSource, req: Request, res: Response): void;
}

const noQuery = z.object({}).strict();

export const ROUTES: Route[] = [
  {
    method: "get",
    path: "/api/health",
    access: "anyone",
    query: noQuery,
    handle(source, _req, res) {
      const time = source.now();
      const body: HealthResponse = {
        status: "ok",
        version: source.version,
        uptimeSeconds: Math.round((time - source.startedAt) / 1000),
        vehicles: source.vehicles(time).length,
        links: source.links(),
      };
      res.json(body);
    },
  },
  {
    method: "get",
    path: "/api/vehicles",
    access: "anyone",
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
    access: "anyone",
    query: noQuery,
    handle(source, _req, res) {
      res.json(source.clientConfig);
    },
  },
];
