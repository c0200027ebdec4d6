import type { FlightSummary } from "../../protocol";

/** "Flight 12: Alpha (1:1)": the flight's title in exported files. */
export function flightTitle(f: FlightSummary): string {
  return `Flight ${f.id}: ${f.vehicle.name ?? f.vehicle.type} (${f.vehicle.key})`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * What an exported file says about the flight it holds: enough to find the record again (id, hash), never the
 * server's own file layout.
 */
export function flightProperties(f: FlightSummary): Record<string, string | number | null> {
  return {
    flightId: f.id,
    vehicle: f.vehicle.key,
    vehicleType: f.vehicle.type,
    vehicleName: f.vehicle.name,
    startedAt: iso(f.startedAt),
    endedAt: iso(f.endedAt),
    armedAt: iso(f.armedAt),
    disarmedAt: iso(f.disarmedAt),
    durationS: f.durationS,
    distanceM: f.distanceM,
    maxAltRelM: f.maxAltRelM,
    maxDistHomeM: f.maxDistHomeM,
    pilot: f.pilot,
    status: f.status,
    source: f.source,
    tlogSha256: f.sha256,
    tlogSizeBytes: f.sizeBytes,
  };
}

/** The properties as "key: value" lines, for formats that only hold free text (GPX desc, KML description). */
export function flightDescription(f: FlightSummary): string {
  return Object.entries(flightProperties(f))
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
}
