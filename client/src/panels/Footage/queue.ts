import type { FootageUploadStatus } from "../../../../server/protocol";
import { formatBytes, formatSpeed } from "./format";

/** Uploads sending bytes at once; the rest wait their turn (a reviewer drops a whole SD card on the page). */
export const MAX_RUNNING = 3;

export type UploadPhase = "queued" | "uploading" | "paused" | "processing" | "stored" | "duplicate" | "refused" | "failed";

export interface UploadRow {
  key: string;
  name: string;
  size: number;
  sent: number;
  phase: UploadPhase;
  /** Bytes per second, smoothed; null until measured. */
  speed: number | null;
  /** Where a resumed upload picked up (bytes already on the server), or null for a fresh one. */
  resumedFrom: number | null;
  /** The server's words for refused and duplicate, or the network's for failed. */
  message: string | null;
  footageId: number | null;
  sidecarName: string | null;
  sidecarResult: { ok: boolean; text: string } | null;
}

export const newRow = (key: string, name: string, size: number, sidecarName: string | null): UploadRow => ({
  key, name, size, sent: 0, phase: "queued", speed: null, resumedFrom: null, message: null, footageId: null, sidecarName, sidecarResult: null,
});

/** The queued uploads to start now, oldest first, so that no more than `max` send at once. */
export function toStart(rows: readonly UploadRow[], max = MAX_RUNNING): string[] {
  const running = rows.filter((r) => r.phase === "uploading").length;
  return rows.filter((r) => r.phase === "queued").slice(0, Math.max(0, max - running)).map((r) => r.key);
}

/** Smooths the speed over the last few seconds so the figure does not jump with every chunk. */
export function nextSpeed(previous: number | null, bytes: number, ms: number): number | null {
  if (ms <= 0 || bytes < 0) return previous;
  const now = (bytes * 1000) / ms;
  return previous === null ? now : previous * 0.7 + now * 0.3;
}

/** The row after the server has had its say on the upload's bytes. */
export function withStatus(row: UploadRow, s: FootageUploadStatus): UploadRow {
  switch (s.state) {
    case "uploading":
    case "processing":
      return { ...row, phase: "processing" };
    case "stored":
      return { ...row, phase: "stored", footageId: s.footageId, message: null };
    case "duplicate":
    case "refused":
      return { ...row, phase: s.state, footageId: s.footageId, message: s.message };
  }
}

/** What the row says, in words. */
export function describeRow(r: UploadRow): string {
  const done = `${formatBytes(r.sent)} of ${formatBytes(r.size)}`;
  switch (r.phase) {
    case "queued":
      return r.sent > 0 ? `Waiting to continue (${done})` : "Waiting for a free slot";
    case "uploading":
      return `${done}${r.speed !== null ? `, ${formatSpeed(r.speed)}` : ""}${r.resumedFrom !== null && r.resumedFrom > 0 ? ` (resumed at ${formatBytes(r.resumedFrom)})` : ""}`;
    case "paused":
      return `Paused at ${done}`;
    case "processing":
      return "All sent: the server is hashing and checking the file…";
    case "stored":
      return `Stored as footage ${r.footageId ?? "?"}`;
    case "duplicate":
      return `Already stored: ${r.message ?? `footage ${r.footageId ?? "?"}`}`;
    case "refused":
      return `Refused: ${r.message ?? "no reason given"}`;
    case "failed":
      return `Stopped at ${done}: ${r.message ?? "the connection failed"}. Pick the file again or press Resume to continue.`;
  }
}
