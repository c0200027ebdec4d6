// Domain model of a mission file, independent of its on-disk format. Degrees and metres throughout.

export interface LatLon {
  lat: number;
  lon: number;
}

/** One MAVLink mission item. Its seq is its array index + 1 (seq 0 is the home position, kept apart). */
export interface MissionItem {
  command: number;
  frame: number;
  /** param1..param4; NaN means "unset" (QGroundControl writes it as null / nan). */
  params: [number, number, number, number];
  /** param5 / x: latitude in degrees for global frames. */
  lat: number;
  /** param6 / y: longitude in degrees for global frames. */
  lon: number;
  /** param7 / z: altitude in metres, its reference given by `frame`. */
  alt: number;
  autocontinue: boolean;
}

export interface FencePolygon {
  inclusion: boolean;
  points: LatLon[];
}

export interface FenceCircle {
  inclusion: boolean;
  center: LatLon;
  /** metres */
  radius: number;
}

export interface RallyPoint extends LatLon {
  /** metres, relative to home (as ArduPilot stores rally altitudes) */
  alt: number;
}

export interface Mission {
  home: { lat: number; lon: number; altAmsl: number } | null;
  items: MissionItem[];
  fence: { polygons: FencePolygon[]; circles: FenceCircle[] };
  rally: RallyPoint[];
}

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
