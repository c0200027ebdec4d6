import type { PositionE7, VehicleFrame, VehiclePatch } from "./realtime";
import type { Position, StatusText, VehicleState } from "./vehicle";
import { STATUS_TEXT_LIMIT } from "./vehicle";
import { copyVehicle } from "./vehicle-copy";

/**
 * Whether two values of a vehicle's field hold the same data. The reducer builds new objects for every message,
 * so identity says little; fields are small (a few numbers, or a short bounded list), so a value walk is cheap.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // for-in rather than Object.keys: this runs for every field of every vehicle that changed, ten times a second.
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let na = 0;
  for (const k in ra) {
    na++;
    if (!(k in rb) || !sameValue(ra[k], rb[k])) return false;
  }
  let nb = 0;
  for (const _ in rb) nb++;
  return na === nb;
}

/** The fields every vehicle has: a patch holding them all is a whole vehicle and replaces a screen's copy. */
export const VEHICLE_REQUIRED_FIELDS: readonly (keyof VehicleState)[] = [
  "key", "sysid", "compid", "vehicleClass", "mavType", "autopilot", "firmware", "mode", "customMode", "armed", "armedSince",
  "systemStatus", "position", "heading", "groundSpeed", "airSpeed", "climb", "attitude", "battery", "gps", "ekfHealthy",
  "ekfFlags", "home", "mission", "statusTexts", "link", "lastUpdate",
] satisfies (keyof VehicleState)[];

/** Whether a patch carries a whole vehicle (the first time a screen hears of it, its refresh, or in a full frame). */
export function isWholeVehicle(patch: VehiclePatch): patch is VehicleState {
  for (const k of VEHICLE_REQUIRED_FIELDS) if (!(k in patch)) return false;
  return true;
}

/**
 * A screen's copy of a vehicle after a patch: a whole vehicle replaces it, a partial one is merged into it. Without
 * a copy a partial patch cannot be used: the screen missed a frame, and null says so (the vehicle's refresh brings it).
 */
export function mergeVehicle(prev: VehicleState | undefined, patch: VehiclePatch): VehicleState | null {
  if (isWholeVehicle(patch)) return patch;
  return prev ? patchVehicle(prev, patch) : null;
}

/**
 * A copy of the fleet kept by key (the load harness's screens, tests) after a frame, as the page's store applies one:
 * a full frame replaces it, each patch is merged (`mergeVehicle`), and the vehicles the frame removes, or its list of
 * the fleet leaves out, are dropped. Gives the vehicles the frame brought, merged, and the keys of the patches that
 * could not be used (a vehicle never held whole).
 */
export function mergeFrame(held: Map<string, VehicleState>, frame: VehicleFrame): { vehicles: VehicleState[]; unusable: string[] } {
  if (frame.full) held.clear();
  const vehicles: VehicleState[] = [];
  const unusable: string[] = [];
  for (const patch of frame.vehicles) {
    const v = mergeVehicle(held.get(patch.key), patch);
    if (!v) {
      unusable.push(patch.key);
      continue;
    }
    held.set(v.key, v);
    vehicles.push(v);
  }
  for (const key of frame.removed ?? []) held.delete(key);
  if (frame.fleet) {
    const fleet = new Set<string>(frame.fleet);
    for (const key of [...held.keys()]) if (!fleet.has(key)) held.delete(key);
  }
  return { vehicles, unusable };
}

/**
 * A new vehicle: `prev` with the patch's fields set on it (a spread of both is ~20 times slower, see copyVehicle), the
 * status texts it adds appended and its integer position read.
 */
export function patchVehicle(prev: VehicleState, patch: Partial<VehicleState> & Pick<VehiclePatch, "statusTextsAdded" | "positionE7">): VehicleState {
  const next = copyVehicle(prev) as unknown as Record<string, unknown>;
  const fields = patch as Record<string, unknown>;
  for (const k in fields) if (k !== "statusTextsAdded" && k !== "positionE7") next[k] = fields[k];
  const vehicle = next as unknown as VehicleState;
  if (patch.statusTextsAdded !== undefined) vehicle.statusTexts = appendStatusTexts(prev.statusTexts, patch.statusTextsAdded);
  if (patch.positionE7 !== undefined) vehicle.position = fromPositionE7(patch.positionE7);
  return vehicle;
}

/** A position in MAVLink's integers, or null when they would not give back exactly this position. */
export function toPositionE7(p: Position): PositionE7 | null {
  const lat = Math.round(p.lat * 1e7), lon = Math.round(p.lon * 1e7), amsl = Math.round(p.altAmsl * 1000), rel = Math.round(p.altRelative * 1000);
  // Each as fromPositionE7 computes it.
  return lat / 1e7 === p.lat && lon / 1e7 === p.lon && amsl / 1000 === p.altAmsl && rel / 1000 === p.altRelative ? [lat, lon, amsl, rel] : null;
}

/** The position MAVLink's integers stand for, computed as the decoder does (integer / 1e7, mm / 1000). */
export function fromPositionE7(e7: PositionE7): Position {
  return { lat: e7[0] / 1e7, lon: e7[1] / 1e7, altAmsl: e7[2] / 1000, altRelative: e7[3] / 1000 };
}

/** A vehicle's status texts with more come after them: the newest STATUS_TEXT_LIMIT, as the server keeps them. */
export function appendStatusTexts(texts: readonly StatusText[], added: readonly StatusText[]): StatusText[] {
  const all = texts.concat(added);
  return all.length > STATUS_TEXT_LIMIT ? all.slice(-STATUS_TEXT_LIMIT) : all;
}

/**
 * The texts that, appended to `before` (appendStatusTexts), give `after`; null when `after` is not `before` with
 * texts added (the list went another way, or nothing was added): the whole list is sent then.
 */
export function statusTextsAdded(before: readonly StatusText[], after: readonly StatusText[]): StatusText[] | null {
  if (after.length > STATUS_TEXT_LIMIT) return null;
  // The fewest added that give `after`: the texts before them must be the end of `before`, and as many as the screen
  // keeps. (Searching for `before`'s last text instead would be fooled by the same text twice.)
  for (let added = 1; added <= after.length; added++) {
    if (Math.min(before.length + added, STATUS_TEXT_LIMIT) !== after.length) continue;
    const kept = after.length - added;
    let same = true;
    for (let i = 0; i < kept && same; i++) same = sameValue(after[i], before[before.length - kept + i]);
    if (same) return after.slice(kept);
  }
  return null;
}
