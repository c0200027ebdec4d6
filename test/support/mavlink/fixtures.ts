/** Test support for server/mavlink's tests: the real recordings and deterministic chunking. */
import { fileURLToPath } from "node:url";
import { readTlogFile, type TlogEntry } from "../../../server/mavlink";

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
}

/** What the vehicle sent in copter_flight_1.tlog (21,259 packets). */
export function flightEntries(): TlogEntry[] {
  return readTlogFile(fixturePath("copter_flight_1.tlog")).entries;
}

/** The packets back to back, as they came over the link (no tlog timestamps). */
export function wireBytes(entries: readonly TlogEntry[]): Buffer {
  return Buffer.concat(entries.map((e) => e.frame.bytes));
}

/** Seeded pseudo-random numbers (the simulator's mulberry32), so a failing chunking can be reproduced. */
export { seededRandom } from "../../../sitl/sim/faults";

/** Splits buf into chunks of min..max bytes (copies, as a socket would deliver them). */
export function chunked(buf: Buffer, random: () => number, min: number, max: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length;) {
    const n = min + Math.floor(random() * (max - min + 1));
    chunks.push(Buffer.from(buf.subarray(i, i + n)));
    i += n;
  }
  return chunks;
}
