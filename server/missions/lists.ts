/**
 * A plan (Mission) as the three lists a MAVLink vehicle keeps, and back: the mission (type 0, home at seq 0), the
 * fence (type 1: polygon vertices and circles) and the rally points (type 2). Pure functions, degrees and metres.
 * The list items reuse MissionItem: lat/lon/alt are x/y/z (param5..7) of the MAVLink item.
 */
import type { MissionItem, MissionType } from "../protocol";
import type { FenceCircle, FencePolygon, Mission, RallyPoint } from "./types";

/** One item of any of the three lists, as MissionItem (x = lat, y = lon, z = alt). */
export type ListItem = MissionItem;
export type MissionLists = Record<MissionType, ListItem[]>;

export const MISSION_TYPES: readonly MissionType[] = ["mission", "fence", "rally"];

/** MAV_CMD numbers of the fence and rally lists. */
export const LIST_CMD = {
  NAV_WAYPOINT: 16,
  FENCE_POLYGON_VERTEX_INCLUSION: 5001,
  FENCE_POLYGON_VERTEX_EXCLUSION: 5002,
  FENCE_CIRCLE_INCLUSION: 5003,
  FENCE_CIRCLE_EXCLUSION: 5004,
  RALLY_POINT: 5100,
} as const;

/** MAV_FRAME: GLOBAL (absolute altitude; fence items, whose altitude means nothing) and GLOBAL_RELATIVE_ALT. */
const FRAME_GLOBAL = 0;
const FRAME_RELATIVE = 3;

/**
 * Every inclusion polygon goes in inclusion group 0: the vehicle must stay inside all of them, which is how
 * ArduPilot treats inclusion fences whatever their group.
 */
const INCLUSION_GROUP = 0;

function item(command: number, frame: number, params: ListItem["params"], lat: number, lon: number, alt: number): ListItem {
  return { command, frame, params, lat, lon, alt, autocontinue: true };
}

/** Seq 0 of the mission list: home, absolute altitude (zeros when the plan has none: the vehicle overwrites it). */
export function homeListItem(home: Mission["home"]): ListItem {
  const h = home ?? { lat: 0, lon: 0, altAmsl: 0 };
  return item(LIST_CMD.NAV_WAYPOINT, FRAME_GLOBAL, [0, 0, 0, 0], h.lat, h.lon, h.altAmsl);
}

export function fenceList(fence: Mission["fence"]): ListItem[] {
  const out: ListItem[] = [];
  for (const polygon of fence.polygons) {
    const command = polygon.inclusion
      ? LIST_CMD.FENCE_POLYGON_VERTEX_INCLUSION : LIST_CMD.FENCE_POLYGON_VERTEX_EXCLUSION;
    const n = polygon.points.length;
    for (const p of polygon.points) {
      out.push(item(command, FRAME_GLOBAL, [n, polygon.inclusion ? INCLUSION_GROUP : 0, 0, 0], p.lat, p.lon, 0));
    }
  }
  for (const circle of fence.circles) {
    const command = circle.inclusion ? LIST_CMD.FENCE_CIRCLE_INCLUSION : LIST_CMD.FENCE_CIRCLE_EXCLUSION;
    out.push(item(command, FRAME_GLOBAL, [circle.radius, circle.inclusion ? INCLUSION_GROUP : 0, 0, 0],
      circle.center.lat, circle.center.lon, 0));
  }
  return out;
}

export function rallyList(rally: readonly RallyPoint[]): ListItem[] {
  return rally.map((r) => item(LIST_CMD.RALLY_POINT, FRAME_RELATIVE, [0, 0, 0, 0], r.lat, r.lon, r.alt));
}

/** The three lists of a plan; the mission list starts with home (seq 0). */
export function missionToLists(mission: Mission): MissionLists {
  return {
    mission: [homeListItem(mission.home), ...mission.items.map((i) => ({ ...i, params: [...i.params] as ListItem["params"] }))],
    fence: fenceList(mission.fence),
    rally: rallyList(mission.rally),
  };
}

/** Result of reading lists back into a plan: the plan, and whatever in the lists a plan cannot hold. */
export interface ListsReading {
  mission: Mission;
  /** In words, e.g. "fence item 3: polygon of 4 vertices ends after 2". Empty when everything was understood. */
  problems: string[];
}

function readFence(items: readonly ListItem[], problems: string[]): Mission["fence"] {
  const polygons: FencePolygon[] = [];
  const circles: FenceCircle[] = [];
  let i = 0;
  while (i < items.length) {
    const it = items[i]!;
    const inclusion = it.command === LIST_CMD.FENCE_POLYGON_VERTEX_INCLUSION || it.command === LIST_CMD.FENCE_CIRCLE_INCLUSION;
    if (it.command === LIST_CMD.FENCE_CIRCLE_INCLUSION || it.command === LIST_CMD.FENCE_CIRCLE_EXCLUSION) {
      circles.push({ inclusion, center: { lat: it.lat, lon: it.lon }, radius: it.params[0] ?? 0 });
      i += 1;
      continue;
    }
    if (it.command !== LIST_CMD.FENCE_POLYGON_VERTEX_INCLUSION && it.command !== LIST_CMD.FENCE_POLYGON_VERTEX_EXCLUSION) {
      // ArduPilot also knows the legacy return point (5000); a plan has no place for it.
      problems.push(`fence item ${i}: command ${it.command} is not a fence polygon vertex or circle`);
      i += 1;
      continue;
    }
    const n = Math.round(it.params[0] ?? 0);
    const vertices = items.slice(i, i + Math.max(n, 1));
    const complete = n >= 3 && vertices.length === n && vertices.every((v) => v.command === it.command);
    if (!complete) {
      problems.push(`fence item ${i}: a polygon of ${n} vertices that does not have them`);
      i += 1;
      continue;
    }
    polygons.push({ inclusion, points: vertices.map((v) => ({ lat: v.lat, lon: v.lon })) });
    i += n;
  }
  return { polygons, circles };
}

/** A plan from the three lists as downloaded (mission list with home at seq 0, as a vehicle gives it). */
export function listsToMission(lists: MissionLists): ListsReading {
  const problems: string[] = [];
  const [home, ...items] = lists.mission;
  const rally: RallyPoint[] = [];
  lists.rally.forEach((r, i) => {
    if (r.command === LIST_CMD.RALLY_POINT) rally.push({ lat: r.lat, lon: r.lon, alt: r.alt });
    else problems.push(`rally item ${i}: command ${r.command} is not a rally point`);
  });
  return {
    mission: {
      home: home ? { lat: home.lat, lon: home.lon, altAmsl: home.alt } : null,
      items: items.map((i) => ({ ...i, params: [...i.params] as ListItem["params"] })),
      fence: readFence(lists.fence, problems),
      rally,
    },
    problems,
  };
}
