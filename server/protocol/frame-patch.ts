import type { VehiclePatch } from "./realtime";
import type { VehicleState } from "./vehicle";
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

/** Whether a patch carries a whole vehicle (the first time a screen hears of it, or in a full frame). */
export function isWholeVehicle(patch: VehiclePatch): patch is VehicleState {
  for (const k of VEHICLE_REQUIRED_FIELDS) if (!(k in patch)) return false;
  return true;
}

/**
 * A screen's copy of a vehicle after a patch: a whole vehicle replaces it, a partial one is merged into it. Without
 * a copy a partial patch cannot be used: the screen missed a frame, and null says so (the next full frame brings it).
 */
export function mergeVehicle(prev: VehicleState | undefined, patch: VehiclePatch): VehicleState | null {
  if (isWholeVehicle(patch)) return patch;
  return prev ? patchVehicle(prev, patch) : null;
}

/** A new vehicle: `prev` with the patch's fields set on it (a spread of both is ~20 times slower, see copyVehicle). */
export function patchVehicle(prev: VehicleState, patch: Partial<VehicleState>): VehicleState {
  const next = copyVehicle(prev) as unknown as Record<string, unknown>;
  const fields = patch as Record<string, unknown>;
  for (const k in fields) next[k] = fields[k];
  return next as unknown as VehicleState;
}
