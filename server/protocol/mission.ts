/**
 * A mission as the pilot plans it and the vehicle stores it, independent of any file format or MAVLink message:
 * degrees and metres throughout. Shared by the server (files, mission protocol) and the client (editor).
 */

export interface LatLon {
  lat: number;
  lon: number;
}

/** One MAVLink mission item. Its seq is its array index + 1 (seq 0 is the home position, kept apart). */
export interface MissionItem {
  command: number;
  frame: number;
  /**
   * param1..param4; null means "unset" (NaN in MAVLink, null in a .plan, "nan" in a .waypoints file). Null rather
   * than NaN because the plan travels as JSON, which has no NaN.
   */
  params: [number | null, number | null, number | null, number | null];
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


/** MAV_MISSION_TYPE: the three lists a vehicle keeps. */
export type MissionType = "mission" | "fence" | "rally";
