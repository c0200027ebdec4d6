/**
 * GET /api/flights/:id/report: the flight's entry for the operational logbook, printable as a flight report.
 * Everything in it is derived from the flight's .tlog and the alert history; nothing is stored.
 */
import type { Alert } from "./alerts";
import type { FlightIntegrity, FlightStatus } from "./flights";
import type { VehicleKey } from "./vehicle";

/** The name printed in the report's header. */
export const REPORT_UNIT_NAME = "Drone Unit";

/** Further than this (horizontally) from the take-off point, a flight is reported as beyond visual line of sight. */
export const BVLOS_DISTANCE_M = 500;

/** Above this height over the take-off point the aircraft counts as airborne (take-off and landing times). */
export const AIRBORNE_HEIGHT_M = 1;

/** At most this many alerts are listed in a report (the rest are counted). */
export const REPORT_MAX_ALERTS = 200;

/** A moment and where the aircraft was (degrees WGS84, time ms since the epoch). */
export interface ReportPlace {
  time: number;
  lat: number;
  lon: number;
}

export interface ReportAircraft {
  key: VehicleKey;
  sysid: number;
  compid: number;
  /** The catalogue's vehicle class ("copter"). */
  vehicleType: string;
  /** The unit's name for it, if any. */
  name: string | null;
  /** From HEARTBEAT ("ArduPilot"), null if the file has none. */
  autopilot: string | null;
  /** From AUTOPILOT_VERSION ("4.7.0-dev"), null if the file has none. */
  firmware: string | null;
}

/** Visual line of sight or beyond, with the rule that decided it (printed beside it). */
export interface ReportOperation {
  kind: "VLOS" | "BVLOS" | "unknown";
  rule: string;
}

export interface ReportAlerts {
  /** "history": the alerts this ground station raised live; "none": not flown live here (an import), none exist. */
  source: "history" | "none";
  items: Alert[];
  /** Alerts past REPORT_MAX_ALERTS, not listed. */
  more: number;
}

export interface ReportEvidence {
  /** The name the original .tlog has when exported (GET /api/flights/:id/export?format=tlog). */
  fileName: string;
  sha256: string | null;
  sizeBytes: number | null;
  integrity: FlightIntegrity;
  /** An imported flight: the SHA-256 of the file as uploaded (its flights' files are extracts of it). */
  importedFileSha256: string | null;
  /** How anyone can check the file without this system, step by step. */
  howToCheck: string[];
}

export interface FlightReport {
  flightId: number;
  unit: string;
  generatedAt: number;
  generatedBy: string;
  status: FlightStatus;
  /** "live" or "import: <file name>". */
  source: string;
  aircraft: ReportAircraft;
  /** Who held control of the vehicle when the flight started; null: nobody, or not recorded (imports). */
  remotePilot: string | null;
  /** UTC date of the take-off (of the record's start if it never took off), YYYY-MM-DD. */
  date: string;
  record: { startedAt: number; endedAt: number | null; armedAt: number | null; disarmedAt: number | null };
  /** Lift-off and touch-down (height crossing AIRBORNE_HEIGHT_M); null when not in the record. */
  takeoff: ReportPlace | null;
  landing: ReportPlace | null;
  /** Lift-off to touch-down, seconds. */
  flightTimeS: number | null;
  /** Armed time, seconds (the catalogue's). */
  armedTimeS: number | null;
  /** Where heights and distances are measured from: the position at arming (ArduCopter's home). */
  reference: ReportPlace | null;
  /** Highest point above the take-off point, with where and when (the proof). */
  maxHeight: (ReportPlace & { heightM: number; altAmslM: number }) | null;
  /** Furthest point from the take-off point (horizontal), with where and when. */
  maxDistance: (ReportPlace & { distanceM: number; heightM: number }) | null;
  operation: ReportOperation;
  alerts: ReportAlerts;
  /** The track for the map image: [lon, lat], simplified to toleranceM. */
  track: { points: [number, number][]; toleranceM: number; positions: number };
  evidence: ReportEvidence;
  /** How the figures were obtained, printed under the table. */
  method: string[];
}

/** The wording of the VLOS rule, shared by the report and its page. */
export function operationOf(maxDistanceM: number | null): ReportOperation {
  const rule = `BVLOS when the aircraft went more than ${BVLOS_DISTANCE_M} m horizontally from the take-off point `
    + `(where the remote pilot stands); VLOS otherwise. Distance alone: the remote pilot's log says whether sight was kept.`;
  if (maxDistanceM === null) return { kind: "unknown", rule };
  return { kind: maxDistanceM > BVLOS_DISTANCE_M ? "BVLOS" : "VLOS", rule };
}
