import type { VehiclePatch } from "./realtime";
import type { VehicleState } from "./vehicle";

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
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** The fields every vehicle has: a patch holding them all is a whole vehicle and replaces a screen's copy. */
const REQUIRED: readonly (keyof VehicleState)[] = [
  "key", "sysid", "compid", "vehicleClass", "mavType", "autopilot", "firmware", "mode", "customMode", "armed", "armedSince",
  "systemStatus", "position", "heading", "groundSpeed", "airSpeed", "climb", "attitude", "battery", "gps", "ekfHealthy",
  "ekfFlags", "home", "mission", "statusTexts", "link", "lastUpdate",
] satisfies (keyof VehicleState)[];

/**
 * The fields of `next` that differ from `prev`, with the key; null when none differ. Without a `prev`, or when a
 * field went away (the reducer only adds optional fields, but a spread cannot remove one), the whole vehicle.
 */
export function vehiclePatch(prev: VehicleState | undefined, next: VehicleState): VehiclePatch | null {
  if (!prev) return next;
  const patch: Record<string, unknown> = { key: next.key };
  let changed = false;
  for (const k of Object.keys(next) as (keyof VehicleState)[]) {
    if (k === "key" || sameValue(prev[k], next[k])) continue;
    patch[k] = next[k];
    changed = true;
  }
  for (const k of Object.keys(prev)) if (!(k in next)) return next;
  return changed ? (patch as VehiclePatch) : null;
}

/** Whether a patch carries a whole vehicle (the first time a screen hears of it, or in a full frame). */
export function isWholeVehicle(patch: VehiclePatch): patch is VehicleState {
  for (const k of REQUIRED) if (!(k in patch)) return false;
  return true;
}

/**
 * A screen's copy of a vehicle after a patch: a whole vehicle replaces it, a partial one is merged into it. Without
 * a copy a partial patch cannot be used: the screen missed a frame, and null says so (the next full frame brings it).
 */
export function mergeVehicle(prev: VehicleState | undefined, patch: VehiclePatch): VehicleState | null {
  if (isWholeVehicle(patch)) return patch;
  return prev ? ({ ...prev, ...patch } as VehicleState) : null;
}
