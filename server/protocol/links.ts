import type { AdmissionCounters } from "./admission";

/** Status of one configured MAVLink link (udpin://, tcpout://, serial://, ...). */
export type LinkKind = "udpin" | "udpout" | "tcpin" | "tcpout" | "serial";

export type LinkConnection = "connecting" | "open" | "closed" | "error";

export interface LinkCounters {
  bytesIn: number;
  bytesOut: number;
  /** Well-formed frames with a valid checksum. */
  frames: number;
  /** Bytes skipped because they were not part of any frame. */
  garbageBytes: number;
  /** Frames dropped for a bad checksum. */
  crcErrors: number;
  /** Valid-looking frames whose message id is not in the dialect (cannot be checked, skipped). */
  unknownMessages: number;
  /** Frames that passed the checksum but could not be decoded. */
  decodeErrors: number;
  /**
   * Datagrams dropped unread: on udpin from new senders while the sender table is full, on udpout from any
   * address but the configured one. Not in bytesIn.
   */
  droppedDatagrams: number;
  /**
   * Frames dropped by MAVLink signing: unsigned from a vehicle that has a signing key, a bad signature, a
   * replayed or stale timestamp, or signed by a sysid we hold no key for.
   */
  signatureRejected: number;
}

export interface LinkStatus {
  id: string;
  url: string;
  kind: LinkKind;
  connection: LinkConnection;
  /** Human-readable reason of the last error or disconnection, if any. */
  lastError: string | null;
  /** Number of peers currently attached (UDP senders heard recently, TCP clients). */
  peers: number;
  counters: LinkCounters;
  /** What the ground station let in from this link and what it refused (absent on a link it does not read). */
  admission?: AdmissionCounters;
}
