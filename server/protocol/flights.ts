import type { Severity, VehicleKey } from "./vehicle";

/**
 * A flight as the catalogue keeps it: from arming (with 30 s before) to disarm (with 10 s after), recorded raw in
 * its own .tlog, hashed when it closes. Times are ms since the epoch; distances metres.
 */
export type FlightStatus = "recording" | "closed" | "interrupted" | "imported";

/**
 * Whether a sealed flight's file is still what was sealed. "verified": its SHA-256 was read in full and matches;
 * "altered": its size or SHA-256 differ from the seal; "missing": no file; "unchecked": not read in full since
 * the file last changed on disk (or never), a check is queued; "recording": not sealed yet, nothing to compare.
 */
export type IntegrityState = "verified" | "altered" | "missing" | "unchecked" | "recording";

export interface FlightIntegrity {
  state: IntegrityState;
  /** When the file was last compared with its seal (ms), null if never. */
  checkedAt: number | null;
  /** The file as found when it differs from its seal (null otherwise, or not read yet): compare sizeBytes, sha256. */
  actualSizeBytes: number | null;
  actualSha256: string | null;
}

/** POST /api/flights/:id/verify: the file read in full and compared with its seal now. */
export interface FlightVerifyResponse {
  id: number;
  /** The sealed hash (null: the flight is not sealed, nothing to compare). */
  sha256: string | null;
  integrity: FlightIntegrity;
}

export interface FlightVehicle {
  key: VehicleKey;
  sysid: number;
  compid: number;
  /** VehicleClass, e.g. "copter". */
  type: string;
  /** A name given to the vehicle by the unit, if any. */
  name: string | null;
}

export interface FlightPlace {
  lat: number;
  lon: number;
}

export interface FlightSummary {
  id: number;
  /** Deleted under retention: the row, its seal and custody log stay, the .tlog is gone (routes answer 410). */
  deleted?: { at: number; by: string; reason: string; request: number } | null;
  vehicle: FlightVehicle;
  /** First packet of the record (30 s before arming, or the first packet of an imported file). */
  startedAt: number;
  /** Last packet (10 s after disarm, or the last one written before a crash), or null while recording. */
  endedAt: number | null;
  armedAt: number | null;
  disarmedAt: number | null;
  /** Armed time, seconds (null until disarmed; an interrupted flight: armed until its last packet). */
  durationS: number | null;
  distanceM: number;
  maxAltRelM: number | null;
  maxDistHomeM: number | null;
  takeoff: FlightPlace | null;
  landing: FlightPlace | null;
  /** The user holding control when the flight started (null: nobody, or imported). */
  pilot: string | null;
  /** Relative to the data directory. */
  tlogPath: string;
  /** Set when the flight closes, never changed afterwards. */
  sizeBytes: number | null;
  sha256: string | null;
  /**
   * An imported flight: the SHA-256 of the file as uploaded (kept unchanged beside the catalogue). The flight's own
   * .tlog is that vehicle's packets extracted from it, so its `sha256` differs from this one.
   */
  importedFileSha256?: string;
  status: FlightStatus;
  /** Packets in the record: received from the vehicle plus sent to it. */
  packets: number;
  /** Packets the vehicle sent, and packets a ground station sent to it (null: counted before they were told apart). */
  packetsReceived: number | null;
  packetsSent: number | null;
  /** The vehicle's messages (STATUSTEXT) kept with the flight, and those past the bound (still in the .tlog). */
  messageCount: number;
  messagesDropped: number;
  /** The segment this one continues (a restart mid-flight), or null. */
  previousId: number | null;
  /**
   * The segment that continues this one after a restart mid-flight, and the time between this record's last
   * packet and that segment's first (the recording gap), or null.
   */
  continuedBy: { id: number; gapMs: number | null } | null;
  integrity: FlightIntegrity;
  /** "live" or "import: <original file name>". */
  source: string;
  notes: FlightNote[];
}

export interface FlightNote {
  id: number;
  author: string;
  time: number;
  text: string;
}

/** One STATUSTEXT of the flight's vehicle, as recorded (time: its .tlog timestamp, ms since the epoch). */
export interface FlightMessage {
  /** Its place in the flight's messages, from 0. */
  seq: number;
  time: number;
  severity: Severity;
  text: string;
}

/** GET /api/flights/:id/messages: every message of the flight kept, oldest first. */
export interface FlightMessagesResponse {
  flightId: number;
  vehicle: VehicleKey;
  messages: FlightMessage[];
  /** Messages past the per-flight bound: not listed here, still in the .tlog. */
  dropped: number;
  /** The per-flight bound. */
  limit: number;
}

/** GET /api/flights */
export interface FlightsQuery {
  vehicle?: VehicleKey;
  /** ms since the epoch: flights overlapping [from, to]. */
  from?: number;
  to?: number;
  /** minLon,minLat,maxLon,maxLat: flights whose track touches the box. */
  bbox?: [number, number, number, number];
  offset?: number;
  limit?: number;
}

export interface FlightsPage {
  flights: FlightSummary[];
  total: number;
  offset: number;
  limit: number;
}

/** Telemetry series kinds (measurements) and their fields. */
export const SERIES_FIELDS = {
  position: ["lat", "lon", "altAmsl", "altRelative", "heading", "groundSpeed", "climb"],
  attitude: ["roll", "pitch", "yaw"],
  battery: ["voltage", "current", "remaining"],
  gps: ["fix", "satellites", "hdop"],
  status: ["armed", "customMode", "heartbeatAgeMs"],
} as const;

export type SeriesKind = keyof typeof SERIES_FIELDS;

/** One sample: time (ms) and the kind's numeric fields (null: not known). */
export interface SeriesSample {
  time: number;
  values: Record<string, number | null>;
}

/** GET /api/flights/:id/series */
export interface SeriesResponse {
  kind: SeriesKind;
  fields: string[];
  /** Bucket width in ms (the samples are mean values per bucket), or 0 for raw samples. */
  resolutionMs: number;
  samples: SeriesSample[];
}

/** Where an import is: reading (and hashing, cutting) the file, committing its flights, writing their series. */
export type ImportPhase = "reading" | "saving" | "series" | "done" | "failed";

/**
 * GET /api/flights/import/:id, and the 202 answer of POST /api/flights/import sent with `Prefer: respond-async`:
 * an import in progress, then its outcome.
 */
export interface ImportJobStatus {
  id: string;
  /** The uploaded file's name. */
  name: string;
  phase: ImportPhase;
  /** Bytes of the file read so far, of totalBytes. */
  bytes: number;
  totalBytes: number;
  packets: number;
  flights: number;
  /** Telemetry series points written so far. */
  seriesPoints: number;
  /** Once done or failed: what POST /api/flights/import answers without respond-async (status and JSON body). */
  result: { status: number; body: unknown } | null;
}
