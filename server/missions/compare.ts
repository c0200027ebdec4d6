/**
 * Is what the vehicle gave back the plan that was sent? Compared by what ArduPilot stores, not by bytes: AP_Mission
 * keeps a packed command, so a download reports frame 6 (GLOBAL_RELATIVE_ALT_INT) as 3, commands without a location
 * in frame 0 with x/y/z zeroed, altitudes in whole centimetres, and each command's params as its storage keeps them
 * (LOITER_TIME's param3 only as a direction, +1 or -1; integers truncated; dropped params as 0): the per-command
 * table, with its source in ArduPilot, is protocol/ardupilot-mission.ts. Home (mission seq 0) is the vehicle's own.
 * What counts: the command, the position to degE7, the altitude and what it is relative to, and the params.
 */
import type { MissionType } from "../protocol";
import { paramsToSend, storedParams, storesLocation } from "../protocol";
import type { ListItem } from "./lists";

/** AP_Mission stores MAV_FRAME_MISSION (2) on a located command as an absolute altitude, like GLOBAL. */
const ALT_REFERENCE: Readonly<Record<number, string>> = {
  0: "absolute (above sea level)", 2: "absolute (above sea level)", 5: "absolute (above sea level)",
  3: "relative to home", 6: "relative to home",
  10: "above terrain", 11: "above terrain",
};
const GLOBAL_FRAMES: ReadonlySet<number> = new Set([0, 3, 5, 6, 10, 11]);

/** Vehicles keep altitudes in centimetres. */
const ALT_TOLERANCE_M = 0.01 + 1e-6;
/** Most differences listed before "... and N more". */
const MAX_LINES = 12;

const COMMAND_NAMES: Readonly<Record<number, string>> = {
  16: "WAYPOINT", 17: "LOITER_UNLIM", 18: "LOITER_TURNS", 19: "LOITER_TIME", 20: "RETURN_TO_LAUNCH", 21: "LAND",
  22: "TAKEOFF", 177: "DO_JUMP", 178: "DO_CHANGE_SPEED", 5001: "FENCE_POLYGON_VERTEX_INCLUSION",
  5002: "FENCE_POLYGON_VERTEX_EXCLUSION", 5003: "FENCE_CIRCLE_INCLUSION", 5004: "FENCE_CIRCLE_EXCLUSION",
  5100: "RALLY_POINT",
};

function commandText(command: number): string {
  const name = COMMAND_NAMES[command];
  return name ? `${command} (${name})` : String(command);
}

const degE7 = (deg: number): number => Math.round(deg * 1e7);
const f32 = (v: number): number => Math.fround(v);

const unset = (v: number | null): boolean => v === null || Number.isNaN(v);

/**
 * `stored` is the planned param as ArduPilot keeps it. A vehicle that keeps NaN (not ArduPilot) may report an unset
 * param as unset, or as 0.
 */
function sameParam(planned: number | null, stored: number, actual: number | null): boolean {
  if (unset(actual)) return unset(planned) || stored === 0 || Number.isNaN(stored);
  if (Number.isNaN(stored)) return actual === 0;
  return f32(stored) === f32(actual!);
}

/** A mission item's params as ArduPilot stores them; fence and rally items are compared as sent (float32). */
function expectedParams(type: MissionType, item: ListItem): number[] {
  const sent = paramsToSend(item.command, item.params);
  return type === "mission" ? storedParams(item.command, sent) : sent.map((v, k) => (item.params[k] === null ? Number.NaN : v));
}

function paramText(v: number | null): string {
  return v === null || Number.isNaN(v) ? "unset" : String(f32(v) === v ? v : Number(f32(v).toPrecision(7)));
}

function positionDifferences(type: MissionType, planned: ListItem, actual: ListItem): string[] {
  const out: string[] = [];
  // Fence vertices and rally points are all positions; a mission command only when AP_Mission stores a location.
  if (type === "mission" && !storesLocation(planned.command)) return out;
  const global = GLOBAL_FRAMES.has(planned.frame);
  const samePos = global
    ? degE7(planned.lat) === degE7(actual.lat) && degE7(planned.lon) === degE7(actual.lon)
    : f32(planned.lat) === f32(actual.lat) && f32(planned.lon) === f32(actual.lon);
  if (!samePos) {
    const at = (it: ListItem): string => (global
      ? `${degE7(it.lat) / 1e7}, ${degE7(it.lon) / 1e7}` : `${f32(it.lat)}, ${f32(it.lon)}`);
    out.push(`position ${at(actual)} on the vehicle, ${at(planned)} planned`);
  }
  // A fence has no altitude.
  if (type === "fence") return out;
  const plannedRef = ALT_REFERENCE[planned.frame] ?? `frame ${planned.frame}`;
  const actualRef = ALT_REFERENCE[actual.frame] ?? `frame ${actual.frame}`;
  if (plannedRef !== actualRef) out.push(`altitude ${actualRef} on the vehicle, ${plannedRef} planned`);
  if (Math.abs(planned.alt - actual.alt) > ALT_TOLERANCE_M) {
    out.push(`altitude ${actual.alt} m on the vehicle, ${planned.alt} m planned`);
  }
  return out;
}

/** The differences of one item, without its name; empty when the same by meaning. */
export function itemDifferences(type: MissionType, planned: ListItem, actual: ListItem): string[] {
  if (planned.command !== actual.command) {
    return [`command ${commandText(actual.command)} on the vehicle, ${commandText(planned.command)} planned`];
  }
  const out = positionDifferences(type, planned, actual);
  const stored = expectedParams(type, planned);
  planned.params.forEach((p, k) => {
    const a = actual.params[k] ?? null;
    if (sameParam(p, stored[k]!, a)) return;
    const kept = !unset(p) && !Number.isNaN(stored[k]!) && f32(stored[k]!) !== f32(p!) ? ` (kept as ${paramText(stored[k]!)})` : "";
    out.push(`param${k + 1} ${paramText(a)} on the vehicle, ${paramText(p)} planned${kept}`);
  });
  return out;
}

/**
 * Differences, in words, between a planned list and the one read back; empty when they mean the same. For the
 * mission list, seq 0 (home) is not compared: the vehicle keeps its own home there.
 */
export function compareLists(type: MissionType, planned: readonly ListItem[], actual: readonly ListItem[]): string[] {
  const out: string[] = [];
  // A mission list of home alone and an empty one both hold no mission (a cleared vehicle may report its home).
  const n = (k: number) => (type === "mission" ? Math.max(0, k - 1) : k);
  if (n(planned.length) !== n(actual.length)) {
    out.push(`the vehicle has ${n(actual.length)} ${type} items, the plan ${n(planned.length)}`);
  }
  const first = type === "mission" ? 1 : 0;
  for (let i = first; i < Math.min(planned.length, actual.length); i++) {
    for (const d of itemDifferences(type, planned[i]!, actual[i]!)) out.push(`${type} item ${i}: ${d}`);
  }
  if (out.length <= MAX_LINES) return out;
  return [...out.slice(0, MAX_LINES), `... and ${out.length - MAX_LINES} more differences`];
}
