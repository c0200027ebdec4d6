/**
 * Fault injection, per vehicle: what a ground station must survive. Faults are set through methods or a schedule
 * (times in ms since the vehicle started), e.g. `[{ at: 30_000, fault: "silence", durationMs: 8000 }]`.
 * - silence: nothing is sent for durationMs, the vehicle keeps flying (a radio dropout);
 * - corrupt: one byte flipped in `rate` (0..1) of the outgoing packets for durationMs (or for good), so the GCS
 *   counts CRC errors;
 * - gpsLoss: no fix for durationMs (or for good); the EKF loses position and ArduCopter's EKF failsafe lands;
 * - battery: the pack drops to `remaining` (default 0.15), below BATT_LOW_VOLT: the battery failsafe acts;
 * - reboot: silent ~2 s, then a fresh boot (sequence from 0, streams off, boot timeline again), mission and
 *   parameters kept.
 */
export type FaultKind = "silence" | "corrupt" | "gpsLoss" | "battery" | "reboot";

export interface FaultSpec {
  /** ms after the vehicle started. */
  at: number;
  fault: FaultKind;
  durationMs?: number;
  /** corrupt: fraction of packets; battery: remaining fraction. */
  rate?: number;
}

const FAULT_KINDS: readonly FaultKind[] = ["silence", "corrupt", "gpsLoss", "battery", "reboot"];

/** Parses a schedule from JSON-like data (CLI); throws with every problem listed. */
export function parseFaultSchedule(data: unknown): FaultSpec[] {
  if (!Array.isArray(data)) throw new Error("fault schedule must be an array");
  const problems: string[] = [];
  const out: FaultSpec[] = [];
  data.forEach((item: unknown, i) => {
    const o = (typeof item === "object" && item !== null ? item : {}) as Record<string, unknown>;
    const { at, fault, durationMs, rate } = o;
    if (typeof at !== "number" || !(at >= 0)) problems.push(`[${i}].at must be a number of ms >= 0`);
    if (typeof fault !== "string" || !FAULT_KINDS.includes(fault as FaultKind)) {
      problems.push(`[${i}].fault must be one of ${FAULT_KINDS.join(", ")}`);
    }
    if (durationMs !== undefined && (typeof durationMs !== "number" || !(durationMs > 0))) {
      problems.push(`[${i}].durationMs must be a positive number`);
    }
    if (rate !== undefined && (typeof rate !== "number" || !(rate >= 0 && rate <= 1))) {
      problems.push(`[${i}].rate must be between 0 and 1`);
    }
    if (problems.length === 0) {
      const spec: FaultSpec = { at: at as number, fault: fault as FaultKind };
      if (durationMs !== undefined) spec.durationMs = durationMs as number;
      if (rate !== undefined) spec.rate = rate as number;
      out.push(spec);
    }
  });
  if (problems.length > 0) throw new Error(`bad fault schedule: ${problems.join("; ")}`);
  return out.sort((a, b) => a.at - b.at);
}

/** Deterministic pseudo-random numbers (mulberry32), so corruption tests are repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The link-side faults: silence and corruption of outgoing bytes. */
export class LinkFaults {
  private silentUntil = -Infinity;
  private corruptUntil = -Infinity;
  private corruptRate = 0;
  private readonly random: () => number;
  corrupted = 0;
  dropped = 0;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  silence(now: number, durationMs: number): void {
    this.silentUntil = Math.max(this.silentUntil, now + durationMs);
  }

  corrupt(now: number, rate: number, durationMs = Infinity): void {
    this.corruptRate = rate;
    this.corruptUntil = now + durationMs;
  }

  isSilent(now: number): boolean {
    return now < this.silentUntil;
  }

  /** The bytes to put on the wire, or null to send nothing. */
  apply(bytes: Buffer, now: number): Buffer | null {
    if (this.isSilent(now)) {
      this.dropped++;
      return null;
    }
    if (now < this.corruptUntil && this.random() < this.corruptRate) {
      const copy = Buffer.from(bytes);
      // Past the start byte and header so the frame is still found, and fails its checksum.
      const i = Math.min(copy.length - 3, 10 + Math.floor(this.random() * Math.max(1, copy.length - 12)));
      copy[i] = copy[i]! ^ 0x5a;
      this.corrupted++;
      return copy;
    }
    return bytes;
  }
}
