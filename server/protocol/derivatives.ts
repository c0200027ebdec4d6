/**
 * Footage derivatives: new files made from an original with ffmpeg (a clip of a time range, a copy a browser can
 * play; redactions later), each linked to its parent with the exact command and ffmpeg version that made it and
 * its own SHA-256. The original is never touched: the NPCC's "work on copies".
 */
import type { FootageProbe } from "./footage";

/** What a derivative is. `redaction` is reserved: no request makes one yet. */
export type DerivativeKind = "clip" | "browser" | "redaction";

/** A derivative as stored (write-once, append-only row). */
export interface FootageDerivative {
  id: number;
  footageId: number;
  kind: DerivativeKind;
  /** The range of the original, seconds (clips); null for a whole-file transcode. */
  fromS: number | null;
  toS: number | null;
  /** The parent original's SHA-256, as it was when the derivative was made. */
  parentSha256: string;
  sha256: string;
  sizeBytes: number;
  /** ffmpeg's argv exactly as run (argv[0] is "ffmpeg"; the input is the stored original, the output a scratch file). */
  command: string[];
  /** First line of `ffmpeg -version`. */
  ffmpegVersion: string;
  probe: FootageProbe;
  requestedBy: string;
  requestedAt: number;
  madeAt: number;
  reason: string;
}

export type DerivativeJobState = "waiting" | "running" | "done" | "failed" | "cancelled";

/** A request being worked on (kept in memory: the made derivative is the record). */
export interface DerivativeJob {
  id: string;
  footageId: number;
  kind: DerivativeKind;
  fromS: number | null;
  toS: number | null;
  reason: string;
  requestedBy: string;
  requestedAt: number;
  state: DerivativeJobState;
  /** 0..1 from ffmpeg's -progress output. */
  progress: number;
  /** The derivative made (done). */
  derivativeId: number | null;
  /** Why it failed, with the last lines of ffmpeg's stderr. */
  message: string | null;
}

/** POST /api/footage/:id/derivatives. */
export interface DerivativeRequest {
  kind: "clip" | "browser";
  /** Clip start and end in seconds of the original: 0 <= from < to <= duration. */
  from?: number;
  to?: number;
  reason: string;
}

/** GET /api/footage/:id/derivatives: what was made, and what is waiting, running or failed lately. */
export interface FootageDerivativeList {
  derivatives: FootageDerivative[];
  jobs: DerivativeJob[];
}

/** Which file the player should load for a footage file. */
export type FootagePlayback =
  | { source: "original" }
  | { source: "browser"; derivativeId: number }
  /** The original cannot play in a browser and no browser copy is made yet. */
  | { source: "none" };

export const derivativeStreamUrl = (id: number): string => `/api/footage/derivatives/${id}/stream`;
export const derivativeDownloadUrl = (id: number): string => `/api/footage/derivatives/${id}/download`;

/** The URL a player should use for footage `id`, or null when none can play (yet). */
export function playbackUrl(id: number, playback: FootagePlayback): string | null {
  switch (playback.source) {
    case "original":
      return `/api/footage/${id}/stream`;
    case "browser":
      return derivativeStreamUrl(playback.derivativeId);
    case "none":
      return null;
  }
}

/** The playback a footage file has when the server did not say (an older answer): the original if it plays. */
export function playbackOf(f: { probe: Pick<FootageProbe, "browserPlayable">; playback?: FootagePlayback }): FootagePlayback {
  return f.playback ?? (f.probe.browserPlayable ? { source: "original" } : { source: "none" });
}
