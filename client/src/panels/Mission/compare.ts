/**
 * Whether two plans mean the same flight. A vehicle gives items back changed (frame 6 returns as 3, RTL as
 * frame 0, unset params as 0, home overwritten), so plans are compared by command, position, relative altitude
 * and the params that matter, never byte for byte.
 */
import type { LatLon, Mission, MissionItem } from "../../../../server/protocol";
import { hasPosition, isNavCommand, kindOf } from "./kinds";

/** MISSION_ITEM_INT carries degE7: anything closer is the same point. */
const LATLON_EPS = 2e-7;
/** Altitudes travel as float32. */
const ALT_EPS = 0.01;
const PARAM_EPS = 1e-3;

const near = (a: number, b: number, eps: number) => Math.abs(a - b) <= eps;
const samePoint = (a: LatLon, b: LatLon) => near(a.lat, b.lat, LATLON_EPS) && near(a.lon, b.lon, LATLON_EPS);
/** Unset (null/NaN) and 0 are one thing on the way back from ArduPilot. */
const param = (v: number | null) => (v === null || Number.isNaN(v) ? 0 : v);

/** Params ArduCopter stores for each kind; the rest it drops and returns as 0. */
function meaningfulParams(item: MissionItem): number[] {
  switch (kindOf(item)) {
    case "waypoint": case "loiter": return [0];
    case "speed": return [0, 1];
    case "takeoff": case "rtl": case "land": return [];
    default: return [0, 1, 2, 3];
  }
}

export function sameItem(a: MissionItem, b: MissionItem): boolean {
  if (a.command !== b.command) return false;
  const kind = kindOf(a);
  if (hasPosition(a) !== hasPosition(b)) return false;
  if (hasPosition(a) && !samePoint(a, b)) return false;
  const altMatters = kind === "takeoff" || kind === "waypoint" || kind === "loiter" || (kind === "other" && isNavCommand(a.command));
  if (altMatters && !near(a.alt, b.alt, ALT_EPS)) return false;
  return meaningfulParams(a).every((i) => near(param(a.params[i] ?? null), param(b.params[i] ?? null), PARAM_EPS));
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x, i) => {
    const y = b[i];
    return y !== undefined && same(x, y);
  });
}

/** Same mission, fence and rally points (home is ignored: the vehicle sets its own). */
export function sameMission(a: Mission, b: Mission): boolean {
  return (
    sameList(a.items, b.items, sameItem) &&
    sameList(a.fence.polygons, b.fence.polygons, (x, y) => x.inclusion === y.inclusion && sameList(x.points, y.points, samePoint)) &&
    sameList(a.fence.circles, b.fence.circles, (x, y) => x.inclusion === y.inclusion && samePoint(x.center, y.center) && near(x.radius, y.radius, 0.5)) &&
    sameList(a.rally, b.rally, (x, y) => samePoint(x, y) && near(x.alt, y.alt, ALT_EPS))
  );
}
