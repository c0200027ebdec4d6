import type { VehicleKey } from "../protocol";
import type { PacketSource } from "../protocol";

/** Bounds on what strangers on a link can make the ground station hold; see VehicleAdmission. */
export interface AdmissionOptions {
  /** Vehicles admitted at once, all links together. */
  maxVehicles: number;
  /** Vehicles admitted at once on one link. */
  maxVehiclesPerLink: number;
  /** Unknown system ids watched at once, all links together (each costs a small record and its held frames). */
  maxCandidates: number;
  /** Unknown system ids watched at once on one link. */
  maxCandidatesPerLink: number;
  /** Vehicle heartbeats, consistent in type and autopilot, that prove a new system id... */
  proofHeartbeats: number;
  /** ...spread over at least this long (ms): a real autopilot sends one a second, a one-shot forgery cannot. */
  proofSpanMs: number;
  /** An unknown id not heard again within this (ms) is given up and counted as refused. */
  candidateTtlMs: number;
  /**
   * Bytes of frames kept per candidate until it is admitted (then recorded and decoded in order), the rest dropped:
   * a vehicle whose streams are already on sends a few hundred packets in the second its proof takes.
   */
  heldBytesPerCandidate: number;
  /** Bytes held for all candidates together. */
  maxHeldBytes: number;
  /**
   * An admitted vehicle that sent nothing but heartbeats for this long (ms) after its admission is dropped:
   * ArduPilot sends SYS_STATUS, ATTITUDE and positions within seconds of being asked.
   */
  provingMs: number;
  /** A vehicle dropped for sending only heartbeats is not admitted again for this long (ms). */
  benchMs: number;
  /** A vehicle silent for this long (ms) is forgotten and frees its slot. */
  forgetAfterMs: number;
  /** A vehicle's bound source may be replaced by another once silent this long (ms): failover to another radio. */
  lostAfterMs: number;
  /** A second source still sending for a vehicle after this long silent (ms) ends that conflict. */
  conflictQuietMs: number;
  /** Second sources tracked at once (their frames are still counted and quarantined beyond it). */
  maxConflicts: number;
  /** Non-vehicle ids (ground stations, gimbals, routers) let through beside admitted vehicles, all links. */
  maxCompanions: number;
}

export const DEFAULT_ADMISSION: Readonly<AdmissionOptions> = Object.freeze({
  maxVehicles: 256,
  maxVehiclesPerLink: 256,
  maxCandidates: 4096,
  maxCandidatesPerLink: 2048,
  proofHeartbeats: 2,
  proofSpanMs: 500,
  candidateTtlMs: 3000,
  heldBytesPerCandidate: 256 * 1024,
  maxHeldBytes: 16 * 1024 * 1024,
  provingMs: 30_000,
  benchMs: 60_000,
  forgetAfterMs: 30 * 60_000,
  lostAfterMs: 5000,
  conflictQuietMs: 60_000,
  maxConflicts: 64,
  maxCompanions: 256,
});

/** What admission tells the rest of the ground station. */
export interface AdmissionEvents {
  /** A new vehicle is admitted (its held frames follow through the normal path). */
  admitted?(key: VehicleKey, source: PacketSource): void;
  /** A vehicle was dropped and its slot freed. */
  evicted?(key: VehicleKey, source: PacketSource, reason: string): void;
  /** Frames for a bound vehicle arrive from another source: counted and kept apart. Once per conflict. */
  conflict?(key: VehicleKey, bound: PacketSource, other: PacketSource, time: number): void;
  /** That second source has been silent for conflictQuietMs. */
  conflictEnded?(key: VehicleKey, bound: PacketSource, other: PacketSource, time: number): void;
  /** The vehicle's first source fell silent and another took over. */
  sourceChanged?(key: VehicleKey, from: PacketSource, to: PacketSource, time: number): void;
  /** A non-vehicle id heard beside vehicles fell silent (forget what was kept for it). */
  forgotten?(key: VehicleKey): void;
  /** A peer hosts an admitted vehicle now (true) or no more (false): links keep such peers first. */
  peerBound?(source: PacketSource, bound: boolean): void;
}
