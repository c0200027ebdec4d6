/**
 * What the ground station lets in from a link. A link is open to anyone in range: a system id is only taken as a
 * vehicle once it has proven itself (several consistent heartbeats), each vehicle is bound to the link and
 * source it was first heard on, and everything refused is counted here.
 */
export interface AdmissionCounters {
  /** Vehicles admitted and bound to this link now. */
  vehicles: number;
  /** Unknown system ids being watched now (heard, not proven yet). */
  candidates: number;
  /** Vehicles admitted since start. */
  admitted: number;
  /** Unknown system ids given up: never proven (one heartbeat, inconsistent ones) or refused for lack of room. */
  refusedIds: number;
  /** Of refusedIds: proven but refused because the vehicle or candidate budget was full. */
  refusedFull: number;
  /** Frames dropped from sources that host no admitted vehicle (not a candidate's either). */
  unknownFrames: number;
  /** Frames of an admitted vehicle from another source than the one it is bound to (quarantined, not used). */
  foreignFrames: number;
  /** Vehicles dropped: only heartbeats and no telemetry for too long, silent for too long, or to make room. */
  evicted: number;
  /** A vehicle's bound source changed (failover after the first source fell silent). */
  sourceChanges: number;
}

export const emptyAdmissionCounters = (): AdmissionCounters => ({
  vehicles: 0, candidates: 0, admitted: 0, refusedIds: 0, refusedFull: 0, unknownFrames: 0, foreignFrames: 0,
  evicted: 0, sourceChanges: 0,
});

/** Where a vehicle's packets come from: a link and the peer on it ("udp:10.0.0.5:14550", "serial", ...). */
export interface PacketSource {
  linkId: string;
  peer: string;
}
