/**
 * Footage: video files from the drones' cameras, uploaded resumably (tus) by reviewers, stored write-once as evidence
 * under their SHA-256, described by ffprobe, and linked to incidents. The original is never changed; what is made
 * from it (poster, thumbnails; later clips and transcodes) is derived and rebuildable.
 */

import type { FootageDerivative, FootagePlayback } from "./derivatives";

/** What ffprobe read from the file (the device's own metadata where it wrote any). */
export interface FootageProbe {
  /** ffprobe's format names, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  format: string;
  durationS: number;
  video: { codec: string; width: number; height: number; fps: number | null; frames: number | null };
  audio: { codec: string } | null;
  /** creation_time as the file states it (ISO 8601, read as UTC unless it names a zone), or null. */
  creationTime: string | null;
  /** Start timecode (SMPTE "hh:mm:ss:ff") where the file carries one. */
  timecode: string | null;
  /** ISO 6709 location tag ("+51.5074-000.1278+010.000/"), parsed, where present. */
  location: { lat: number; lon: number; alt: number | null } | null;
  /** Make, model, encoder and similar tags, as written by the device. */
  device: Record<string, string>;
  /** Whether a browser can play it as stored (H.264/VP9/AV1 video in MP4 or WebM). */
  browserPlayable: boolean;
}

export interface FootageSummary {
  id: number;
  sha256: string;
  sizeBytes: number;
  /** The name the file had on the uploader's machine (kept as given, shown as text only). */
  originalName: string;
  /** The sidecar's name when the drone wrote one beside it (DJI_0001.SRT with DJI_0001.MP4). */
  sidecarName: string | null;
  uploadedBy: string;
  uploadedAt: number;
  probe: FootageProbe;
  /** Deleted under retention: the record and its custody log stay, the bytes are gone. */
  deleted?: { at: number; request: number } | null;
  /** Which file a player should load (GET /api/footage/:id and the replay's list say; see playbackUrl). */
  playback?: FootagePlayback;
  /** The files made from it (GET /api/footage/:id only): clips, browser copies. */
  derivatives?: FootageDerivative[];
}

export type UploadState = "uploading" | "processing" | "stored" | "duplicate" | "refused";

/** GET /api/footage/uploads/:id: where an upload has got to after its last byte. */
export interface FootageUploadStatus {
  id: string;
  state: UploadState;
  originalName: string;
  sizeBytes: number;
  /** The footage the upload became (stored), or the footage it already was (duplicate). */
  footageId: number | null;
  /** Why it was refused, in words. */
  message: string | null;
  updatedAt: number;
}

export interface FootagePage {
  footage: FootageSummary[];
  total: number;
  offset: number;
  limit: number;
}

/** Where a footage file's time offset to a flight came from. */
export type SyncSource = "srt" | "camera" | "creation_time" | "manual";

/**
 * A footage file placed on a flight's clock: its first frame (t = 0 of the file) at `startsAt` (UTC ms, the
 * flight's clock). Every change is kept (the newest is the one in force) and audited.
 */
export interface FootageSync {
  id: number;
  footageId: number;
  flightId: number;
  startsAt: number;
  source: SyncSource;
  /** How it was found, in words: which SRT frames, how close its positions came to the track, the time zone assumed. */
  detail: string;
  setBy: string;
  setAt: number;
  /** Why a person set or changed it (manual); null for one found by the server. */
  reason: string | null;
}

/** GET /api/footage/:id/sync: the offset in force per flight, and every one set before. */
export interface FootageSyncs {
  current: FootageSync[];
  history: FootageSync[];
}

/** The sources the server can find an offset from by itself. */
export type AutoSyncSource = Exclude<SyncSource, "manual">;

/**
 * POST /api/footage/:id/sync/auto: find the offset to a flight. Without `source`: the sidecar if there is one, else
 * the camera's messages in the flight's .tlog when one of its recordings matches the footage, else creation_time.
 * With `source`: that one only (refused with its reason when it finds nothing).
 */
export interface SyncAutoRequest {
  flightId: number;
  source?: AutoSyncSource;
}

/**
 * Camera events read from a flight's .tlog. Times are on the flight's clock (the .tlog's, UTC ms); `utc` is the
 * camera's own clock where the message carries it (ArduPilot: its GPS time).
 */
export type CameraEvent =
  /** A photo, counted once however often its message was repeated. index: as the message numbers it
   * (CAMERA_FEEDBACK from 1, CAMERA_IMAGE_CAPTURED from 0); time: when its first report was recorded. */
  | { kind: "photo"; index: number; time: number; utc: number | null; lat: number | null; lon: number | null; altAmsl: number | null;
    altRelative: number | null; message: "CAMERA_FEEDBACK" | "CAMERA_IMAGE_CAPTURED"; component: number }
  /** A video recording: start and end on the flight's clock; ended false: still recording when the file ends (end is
   * then the last moment it was known to be recording). */
  | { kind: "recording"; start: number; end: number; ended: boolean; from: "capture_status" | "command_ack"; component: number;
    /** Which messages gave it, in words. */
    detail: string };

/** What the camera did in a flight: its photos and recordings in time order, and its clock against the flight's. */
export interface FlightCameraEvents {
  events: CameraEvent[];
  /** Photos past the bound (a flight's camera messages are bounded like any input). */
  photosDropped: number;
  /**
   * The .tlog's time of each photo's first report minus the camera's UTC time of it (CAMERA_FEEDBACK time_usec):
   * the smallest over the photos (the one delivered soonest), their median, and how many photos had a time.
   */
  clock: { minMs: number; medianMs: number; photos: number } | null;
}

/** POST /api/footage/:id/sync: a reviewer's own offset (a nudge), with the reason. */
export interface SyncManualRequest {
  flightId: number;
  startsAt: number;
  reason: string;
}

/** One point of the camera's own track from its sidecar: seconds into the video, where the camera was. */
export interface FootagePoint {
  t: number;
  lat: number;
  lon: number;
  alt: number | null;
}

/** GET /api/flights/:id/footage: the footage placed on a flight, each with its offset (for the replay view). */
export interface FlightFootage {
  footage: { footage: FootageSummary; sync: FootageSync }[];
}
