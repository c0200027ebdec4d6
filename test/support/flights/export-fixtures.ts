/** Test support for server/flights/export's tests: a flight summary and the recorded fixture flight. */
import type { FlightSummary } from "../../../server/protocol";
import type { TrackSample } from "../../../server/flights/export";
import { fileChunks, trackSamples } from "../../../server/flights/export";

export const FIXTURE_TLOG = new URL("../../fixtures/copter_flight_1.tlog", import.meta.url).pathname;
/** GLOBAL_POSITION_INT messages in the fixture that are a place (769 less 30 at 0,0 before the EKF origin). */
export const FIXTURE_POSITIONS = 739;

export function testFlight(over: Partial<FlightSummary> = {}): FlightSummary {
  return {
    id: 12,
    vehicle: { key: "1:1", sysid: 1, compid: 1, type: "copter", name: "Alpha" },
    startedAt: 1_795_234_604_877,
    endedAt: 1_795_234_796_916,
    armedAt: 1_795_234_644_000,
    disarmedAt: 1_795_234_790_000,
    durationS: 146,
    distanceM: 812.5,
    maxAltRelM: 30.2,
    maxDistHomeM: 180,
    takeoff: { lat: 51.5074, lon: -0.1278 },
    landing: { lat: 51.5074, lon: -0.1278 },
    pilot: "pia",
    tlogPath: "flights/1-1/copter_flight_1.tlog",
    sizeBytes: null,
    sha256: null,
    status: "imported",
    packets: 21_259,
    packetsReceived: 20_700,
    packetsSent: 559,
    messageCount: 0,
    messagesDropped: 0,
    previousId: null,
    continuedBy: null,
    integrity: { state: "unchecked", checkedAt: null, actualSizeBytes: null, actualSha256: null },
    source: "import: copter_flight_1.tlog",
    notes: [],
    ...over,
  };
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export async function text(pieces: AsyncIterable<string>): Promise<string> {
  return (await collect(pieces)).join("");
}

export const fixtureSamples = (): AsyncIterable<TrackSample> => trackSamples(fileChunks(FIXTURE_TLOG), { sysid: 1, compid: 1 });

export async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** A sample at a place, with plausible values for the rest. */
export function sample(time: number, lat: number, lon: number, over: Partial<TrackSample> = {}): TrackSample {
  return {
    time, lat, lon, altAmsl: 40, altRelative: 30, heading: 90, groundSpeed: 5, climb: 0, mode: "AUTO", armed: true,
    batteryVoltage: 12.4, batteryRemaining: 80, ...over,
  };
}
