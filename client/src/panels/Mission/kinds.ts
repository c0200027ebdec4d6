import type { LatLon, MissionItem } from "../../../../server/protocol";

/** ArduCopter command numbers (MAV_CMD) the editor knows by name. Others are kept and shown by number. */
export const CMD = {
  WAYPOINT: 16,
  LOITER_TIME: 19,
  RETURN_TO_LAUNCH: 20,
  LAND: 21,
  TAKEOFF: 22,
  CHANGE_SPEED: 178,
} as const;

/** MAV_FRAME: GLOBAL (absolute, used by the RTL item and home) and GLOBAL_RELATIVE_ALT (above home), as QGC writes. */
export const FRAME_GLOBAL = 0;
export const FRAME_RELATIVE = 3;

export type ItemKind = "takeoff" | "waypoint" | "loiter" | "land" | "rtl" | "speed" | "other";

/** Kinds a pilot can choose in the list ("other" only shows an imported command it cannot edit). */
export const EDITABLE_KINDS: readonly Exclude<ItemKind, "other">[] = ["takeoff", "waypoint", "loiter", "land", "rtl", "speed"];

export const KIND_LABELS: Record<ItemKind, string> = {
  takeoff: "Take-off",
  waypoint: "Waypoint",
  loiter: "Loiter (time)",
  land: "Land",
  rtl: "Return to launch",
  speed: "Change speed",
  other: "Other command",
};

export const DEFAULT_ALTITUDE_M = 30;
export const DEFAULT_LOITER_S = 10;
export const DEFAULT_SPEED_MPS = 5;
/** DO_CHANGE_SPEED param1: 1 = ground speed (what a copter uses). */
const SPEED_TYPE_GROUND = 1;

export function kindOf(item: Pick<MissionItem, "command">): ItemKind {
  switch (item.command) {
    case CMD.TAKEOFF: return "takeoff";
    case CMD.WAYPOINT: return "waypoint";
    case CMD.LOITER_TIME: return "loiter";
    case CMD.LAND: return "land";
    case CMD.RETURN_TO_LAUNCH: return "rtl";
    case CMD.CHANGE_SPEED: return "speed";
    default: return "other";
  }
}

export function kindLabel(item: Pick<MissionItem, "command">): string {
  const kind = kindOf(item);
  return kind === "other" ? `Command ${item.command}` : KIND_LABELS[kind];
}

/** Navigation commands occupy MAV_CMD 0..94 (DO_ commands, 176+, act in place and do not move the vehicle). */
export function isNavCommand(command: number): boolean {
  return command < 95;
}

/** Lat/lon 0,0 is how MAVLink says "no position" (take-off, RTL, land-here); nobody flies at Null Island. */
export function hasPosition(item: Pick<MissionItem, "lat" | "lon" | "command">): boolean {
  if (!isNavCommand(item.command) || item.command === CMD.RETURN_TO_LAUNCH) return false;
  return Number.isFinite(item.lat) && Number.isFinite(item.lon) && !(item.lat === 0 && item.lon === 0);
}

/** Whether the altitude field means something for this item (the list shows no altitude input otherwise). */
export function hasAltitude(item: Pick<MissionItem, "command">): boolean {
  const kind = kindOf(item);
  return kind === "takeoff" || kind === "waypoint" || kind === "loiter" || (kind === "other" && isNavCommand(item.command));
}

export function waypoint(at: LatLon, alt: number): MissionItem {
  return { command: CMD.WAYPOINT, frame: FRAME_RELATIVE, params: [0, 0, 0, 0], lat: at.lat, lon: at.lon, alt, autocontinue: true };
}

/**
 * The item of `kind` that replaces `from`, keeping what still makes sense: position for waypoint/loiter/land,
 * altitude for take-off/waypoint/loiter. `fallback` positions an item that had none (e.g. take-off -> waypoint).
 */
export function convertItem(from: MissionItem, kind: Exclude<ItemKind, "other">, fallback: LatLon | null, value?: number): MissionItem {
  const pos = hasPosition(from) ? { lat: from.lat, lon: from.lon } : (fallback ?? { lat: 0, lon: 0 });
  const alt = hasAltitude(from) && from.alt > 0 ? from.alt : DEFAULT_ALTITUDE_M;
  const base = { frame: FRAME_RELATIVE, autocontinue: from.autocontinue };
  switch (kind) {
    case "takeoff":
      return { ...base, command: CMD.TAKEOFF, params: [0, 0, 0, 0], lat: 0, lon: 0, alt: value ?? alt };
    case "waypoint":
      return { ...base, command: CMD.WAYPOINT, params: [value ?? 0, 0, 0, 0], ...pos, alt };
    case "loiter":
      return { ...base, command: CMD.LOITER_TIME, params: [value ?? DEFAULT_LOITER_S, 0, 0, 0], ...pos, alt };
    case "land":
      // Land where it is placed, or in place (0,0) when it had no position: ArduCopter does either.
      return { ...base, command: CMD.LAND, params: [0, 0, 0, 0], ...(hasPosition(from) ? pos : { lat: 0, lon: 0 }), alt: 0 };
    case "rtl":
      return { ...base, frame: FRAME_GLOBAL, command: CMD.RETURN_TO_LAUNCH, params: [0, 0, 0, 0], lat: 0, lon: 0, alt: 0 };
    case "speed":
      return { ...base, command: CMD.CHANGE_SPEED, params: [SPEED_TYPE_GROUND, value ?? DEFAULT_SPEED_MPS, -1, 0], lat: 0, lon: 0, alt: 0 };
  }
}

/** A new item of `kind`, e.g. from the "Add take-off" button. */
export function newItem(kind: Exclude<ItemKind, "other">, at: LatLon | null, alt = DEFAULT_ALTITUDE_M): MissionItem {
  return convertItem(waypoint(at ?? { lat: 0, lon: 0 }, alt), kind, at);
}

/** The parameter the list lets the pilot edit for each kind (index into params), with its label and unit. */
export function editableParam(item: Pick<MissionItem, "command">): { index: 0 | 1; label: string; unit: string } | null {
  switch (kindOf(item)) {
    case "waypoint": return { index: 0, label: "hold", unit: "s" };
    case "loiter": return { index: 0, label: "loiter time", unit: "s" };
    case "speed": return { index: 1, label: "speed", unit: "m/s" };
    default: return null;
  }
}
