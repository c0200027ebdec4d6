// Mission files: the domain model lives in protocol/mission.ts (the client edits it too).

export type { LatLon, MissionItem, FencePolygon, FenceCircle, RallyPoint, Mission } from "../protocol";
import type { Mission } from "../protocol";

/** A mission file could not be read. `line` is 1-based (text formats); `path` is a JSON path (.plan). */
export class MissionFileError extends Error {
  readonly code = "mission_file_invalid";
  constructor(
    message: string,
    readonly line?: number,
    readonly path?: string,
  ) {
    super(message);
    this.name = "MissionFileError";
  }
}

/** MAV_FRAME values whose x/y are latitude/longitude in degrees. */
const GLOBAL_FRAMES = new Set([0, 3, 5, 6, 10, 11]);

export function isGlobalFrame(frame: number): boolean {
  return GLOBAL_FRAMES.has(frame);
}

/** Returns a problem description, or null when the coordinate is in range. */
export function coordinateProblem(lat: number, lon: number): string | null {
  if (!(lat >= -90 && lat <= 90)) return `latitude ${lat} out of range (-90..90)`;
  if (!(lon >= -180 && lon <= 180)) return `longitude ${lon} out of range (-180..180)`;
  return null;
}

export function emptyMission(): Mission {
  return { home: null, items: [], fence: { polygons: [], circles: [] }, rally: [] };
}
