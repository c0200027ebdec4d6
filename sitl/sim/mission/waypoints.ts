/**
 * QGC WPL 110 mission files (.waypoints), as QGroundControl and Mission Planner write them: a header line, then one
 * item a line, tab-separated: INDEX CURRENT_WP COORD_FRAME COMMAND PARAM1 PARAM2 PARAM3 PARAM4 LAT LON ALT AUTOCONTINUE.
 * Latitude/longitude are degrees in the file and degE7 in MissionItem (for global frames).
 */
import { isGlobalFrame } from "./types";
import type { MissionItem } from "./types";

const HEADER = "QGC WPL 110";
const COLUMNS = [
  "index", "current", "frame", "command", "param1", "param2", "param3", "param4", "latitude", "longitude", "altitude",
  "autocontinue",
] as const;

/** Thrown for a malformed file; `line` is 1-based. */
export class WaypointsError extends Error {
  constructor(readonly line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = "WaypointsError";
  }
}

function parseLine(text: string, lineNo: number, seq: number): MissionItem {
  const cols = text.split(/\s+/);
  if (cols.length !== COLUMNS.length) {
    throw new WaypointsError(lineNo, `expected ${COLUMNS.length} tab-separated columns, got ${cols.length}`);
  }
  const v = cols.map((c, i) => {
    const n = Number(c);
    if (c === "" || !Number.isFinite(n)) throw new WaypointsError(lineNo, `${COLUMNS[i]} is not a number: "${c}"`);
    return n;
  });
  const [index, current, frame, command, param1, param2, param3, param4, lat, lon, alt, autocontinue] = v as [
    number, number, number, number, number, number, number, number, number, number, number, number,
  ];
  if (index !== seq) throw new WaypointsError(lineNo, `index ${index} out of order (expected ${seq})`);
  const scale = isGlobalFrame(frame) ? 1e7 : 1;
  return {
    seq, frame, command, current, autocontinue, param1, param2, param3, param4,
    x: Math.round(lat * scale), y: Math.round(lon * scale), z: alt, missionType: 0,
  };
}

/** The items of a .waypoints file; throws WaypointsError naming the line for malformed input. */
export function parseWaypoints(text: string): MissionItem[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim() ?? "";
  if (header !== HEADER) throw new WaypointsError(1, `expected the header "${HEADER}", got "${header.slice(0, 40)}"`);
  const items: MissionItem[] = [];
  lines.slice(1).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed !== "") items.push(parseLine(trimmed, i + 2, items.length));
  });
  return items;
}

/** A .waypoints file of items (numbered by their position), with a trailing newline. */
export function formatWaypoints(items: readonly MissionItem[]): string {
  const rows = items.map((item, seq) => {
    const scale = isGlobalFrame(item.frame) ? 1e-7 : 1;
    return [
      seq, item.current, item.frame, item.command, item.param1, item.param2, item.param3, item.param4,
      item.x * scale, item.y * scale, item.z, item.autocontinue,
    ].map((n) => String(Number(n.toPrecision(15)))).join("\t");
  });
  return [HEADER, ...rows].join("\n") + "\n";
}
