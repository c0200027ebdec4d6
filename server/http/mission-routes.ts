import { z } from "zod";
import type { MissionExportResponse, MissionFileFormat, MissionImportResponse } from "../protocol";
import { MissionFileError, missionSchema, parsePlan, parseWaypoints, serialisePlan, serialiseWaypoints } from "../missions";
import type { Route } from "./route";
import { noQuery, route, sendError } from "./route";

/** Mission files are bigger than other requests: 700 items of a .plan are about 200 kB. */
export const MISSION_BODY_LIMIT = "2mb";
/** Pilots plan missions; the others only see them on the map. */
const PILOT = ["pilot"] as const;

const importBody = z.object({
  fileName: z.string().min(1).max(255),
  text: z.string().max(2_000_000),
}).strict();

const exportBody = z.object({
  plan: missionSchema,
  format: z.enum(["plan", "waypoints"]),
  name: z.string().regex(/^[\w. -]{1,100}$/, "letters, digits, spaces, dots, dashes and underscores only").optional(),
}).strict();

/** By content first (a renamed file still reads), by extension when the content says nothing. */
export function detectFormat(fileName: string, text: string): MissionFileFormat | null {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("QGC WPL")) return "waypoints";
  if (start.startsWith("{")) return "plan";
  if (/\.plan$/i.test(fileName)) return "plan";
  if (/\.(waypoints|txt)$/i.test(fileName)) return "waypoints";
  return null;
}

export const MISSION_ROUTES: Route[] = [
  route({
    method: "post",
    path: "/api/missions/import",
    access: PILOT,
    query: noQuery,
    body: importBody,
    bodyLimit: MISSION_BODY_LIMIT,
    handle(_source, _req, res, body) {
      const format = detectFormat(body.fileName, body.text);
      if (!format) {
        sendError(res, 400, "mission_file_invalid",
          `${body.fileName}: not a mission file (expected a QGroundControl .plan or a "QGC WPL 110" .waypoints file)`);
        return;
      }
      try {
        const mission = format === "plan" ? parsePlan(body.text) : parseWaypoints(body.text);
        const reply: MissionImportResponse = { format, mission };
        res.json(reply);
      } catch (err) {
        if (!(err instanceof MissionFileError)) throw err;
        sendError(res, 400, err.code, `${body.fileName}: ${err.message}`);
      }
    },
  }),
  route({
    method: "post",
    path: "/api/missions/export",
    access: PILOT,
    query: noQuery,
    body: exportBody,
    bodyLimit: MISSION_BODY_LIMIT,
    handle(_source, _req, res, body) {
      const name = body.name ?? "mission";
      const warnings: string[] = [];
      let reply: MissionExportResponse;
      if (body.format === "plan") {
        reply = { fileName: `${name}.plan`, mediaType: "application/json", text: serialisePlan(body.plan), warnings };
      } else {
        const shapes = body.plan.fence.polygons.length + body.plan.fence.circles.length;
        if (shapes > 0) warnings.push(`a .waypoints file holds no geofence: ${shapes} fence shape${shapes === 1 ? " was" : "s were"} left out (use .plan)`);
        if (body.plan.rally.length > 0) warnings.push(`a .waypoints file holds no rally points: ${body.plan.rally.length} left out (use .plan)`);
        reply = { fileName: `${name}.waypoints`, mediaType: "text/plain", text: serialiseWaypoints(body.plan), warnings };
      }
      res.json(reply);
    },
  }),
];
