import type { Alert, FlightReport, FlightSummary, ReportAlerts, VehicleKey } from "../protocol";
import { REPORT_MAX_ALERTS, REPORT_UNIT_NAME, operationOf } from "../protocol";
import { simplifiedIndexes } from "../vehicles";
import { exportFileName } from "./export";
import type { ReportFacts } from "./report-facts";

/** The alert history as a report reads it (alerts/store.ts). */
export interface AlertHistory {
  during(key: VehicleKey, from: number, to: number, limit: number): Promise<Alert[]>;
}

/** Points of the map image: enough for a sharp A4 drawing, small enough for the page to draw at once. */
const MAX_IMAGE_POINTS = 1500;
/**
 * Douglas-Peucker recurses once per kept point in the worst case (a jittery hover): more than a few thousand
 * points overflow the stack, so a longer line is first sampled down evenly (first and last point kept).
 */
const MAX_SIMPLIFY_INPUT = 3000;

function sampled(points: [number, number][]): [number, number][] {
  if (points.length <= MAX_SIMPLIFY_INPUT) return points;
  const step = (points.length - 1) / (MAX_SIMPLIFY_INPUT - 1);
  return Array.from({ length: MAX_SIMPLIFY_INPUT }, (_, i) => points[Math.round(i * step)]!);
}
/**
 * The track simplified in metres (projected around its first point) until it fits MAX_IMAGE_POINTS: a 2 m
 * tolerance keeps the shape of a hover; a long survey gets coarser, never longer.
 */
export function imageTrack(all: [number, number][], spacingM: number): { points: [number, number][]; toleranceM: number } {
  const points = sampled(all);
  if (points.length < 3) return { points, toleranceM: spacingM };
  let tolerance = Math.max(2, spacingM);
  for (;;) {
    const kept = simplifiedIndexes(points.length, (i) => points[i]![1], (i) => points[i]![0], tolerance, false);
    if (kept.length <= MAX_IMAGE_POINTS) return { points: kept.map((i) => points[i]!), toleranceM: tolerance };
    tolerance *= 2;
  }
}

/** The alerts of the flight's vehicle raised between its first and last packet. */
export async function reportAlerts(history: AlertHistory | null, flight: FlightSummary, now: number): Promise<ReportAlerts> {
  if (history === null) return { source: "none", items: [], more: 0 };
  const items = await history.during(flight.vehicle.key, flight.startedAt, flight.endedAt ?? now, REPORT_MAX_ALERTS + 1);
  // Imports were not flown here: no alert was raised live for them, and an empty list must not read as "none".
  if (flight.status === "imported" && items.length === 0) return { source: "none", items: [], more: 0 };
  return { source: "history", items: items.slice(0, REPORT_MAX_ALERTS), more: Math.max(0, items.length - REPORT_MAX_ALERTS) };
}

/** How anyone checks the original without this system: the same file always gives the same hash. */
function howToCheck(flight: FlightSummary, fileName: string): string[] {
  if (flight.sha256 === null) return ["The flight is not sealed yet (still recording): it has no SHA-256 to check."];
  return [
    `Export the original: Flights → flight ${flight.id} → "Export .tlog" (file ${fileName}).`,
    `Run: sha256sum ${fileName}   (Windows: certutil -hashfile ${fileName} SHA256; macOS: shasum -a 256 ${fileName})`,
    `The printed hash must equal this report's SHA-256, character for character; any other value means the file is not the original.`,
  ];
}

const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const METHOD = [
  "Take-off and landing: the aircraft armed and more than 1 m above the take-off point, and back below 1 m.",
  "Heights: GLOBAL_POSITION_INT relative altitude, above home, which ArduCopter sets where it arms (the take-off point).",
  "Distances: horizontal, great circle, from the position at arming (where the remote pilot is taken to stand).",
  "Positions and times are as the aircraft sent them, timestamped by the ground station (UTC).",
];

export interface ReportInput {
  flight: FlightSummary;
  facts: ReportFacts;
  alerts: ReportAlerts;
  generatedAt: number;
  generatedBy: string;
}

/** The report of one flight, from its catalogue entry, what its file holds and the alert history. */
export function flightReport({ flight, facts, alerts, generatedAt, generatedBy }: ReportInput): FlightReport {
  const { takeoff, landing } = facts;
  const fileName = exportFileName(flight, "tlog");
  return {
    flightId: flight.id,
    unit: REPORT_UNIT_NAME,
    generatedAt,
    generatedBy,
    status: flight.status,
    source: flight.source,
    aircraft: {
      key: flight.vehicle.key, sysid: flight.vehicle.sysid, compid: flight.vehicle.compid, vehicleType: flight.vehicle.type,
      name: flight.vehicle.name, autopilot: facts.autopilot, firmware: facts.firmware,
    },
    remotePilot: flight.pilot,
    date: utcDate(takeoff?.time ?? flight.startedAt),
    record: { startedAt: flight.startedAt, endedAt: flight.endedAt, armedAt: flight.armedAt, disarmedAt: flight.disarmedAt },
    takeoff,
    landing,
    flightTimeS: takeoff && landing ? Math.round((landing.time - takeoff.time) / 100) / 10 : null,
    armedTimeS: flight.durationS,
    reference: facts.reference,
    maxHeight: facts.maxHeight,
    maxDistance: facts.maxDistance,
    operation: operationOf(facts.maxDistance?.distanceM ?? null),
    alerts,
    track: { ...imageTrack(facts.track, facts.spacingM), positions: facts.positions },
    evidence: {
      fileName, sha256: flight.sha256, sizeBytes: flight.sizeBytes, integrity: flight.integrity,
      importedFileSha256: flight.importedFileSha256 ?? null, howToCheck: howToCheck(flight, fileName),
    },
    method: METHOD,
  };
}
