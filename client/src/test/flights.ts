// Test data shared by the flights page tests (only tests import this).
import type { FlightSummary, FlightsPage } from "../../../server/protocol";

export const T0 = new Date(2024, 4, 3, 14, 2, 11).getTime();

export function sampleFlight(over: Partial<FlightSummary> = {}): FlightSummary {
  return {
    id: 7,
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: null },
    startedAt: T0,
    endedAt: T0 + 186_000,
    armedAt: T0 + 30_000,
    disarmedAt: T0 + 176_000,
    durationS: 146,
    distanceM: 1234,
    maxAltRelM: 30.2,
    maxDistHomeM: 310,
    takeoff: { lat: 51.5, lon: -0.1 },
    landing: { lat: 51.5001, lon: -0.1001 },
    pilot: "pia",
    tlogPath: "flights/7.tlog",
    sizeBytes: 1_572_864,
    sha256: "0123456789abcdef".repeat(4),
    status: "closed",
    packets: 40_000,
    packetsReceived: 39_000,
    packetsSent: 1_000,
    messageCount: 0,
    messagesDropped: 0,
    previousId: null,
    continuedBy: null,
    integrity: { state: "verified", checkedAt: T0 + 200_000, actualSizeBytes: null, actualSha256: null },
    source: "live",
    notes: [],
    ...over,
  };
}

export function samplePage(flights: FlightSummary[], total = flights.length, offset = 0): FlightsPage {
  return { flights, total, offset, limit: 50 };
}
