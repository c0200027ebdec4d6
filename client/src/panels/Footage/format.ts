import type { FootageProbe, SyncSource } from "../../../../server/protocol";

const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** 1 KB = 1024 B, as file managers on the reviewers' machines show it; one decimal past bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

export const formatSpeed = (bytesPerSecond: number | null): string =>
  bytesPerSecond === null || !Number.isFinite(bytesPerSecond) ? "" : `${formatBytes(Math.round(bytesPerSecond))}/s`;

/** 6.04 -> "0:06", 3725 -> "1:02:05". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** A frame's moment to the millisecond: "2026-11-21 09:00:03.040 UTC". */
export function formatUtcMs(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  return `${new Date(ms).toISOString().slice(0, 23).replace("T", " ")} UTC`;
}

export const describeVideo = (p: FootageProbe): string =>
  `${p.video.width}×${p.video.height} ${p.video.codec}${p.video.fps ? ` ${Number(p.video.fps.toFixed(3))} fps` : ""}`;

export const SYNC_SOURCE_LABELS: Record<SyncSource, string> = {
  srt: "SRT sidecar",
  camera: "camera messages in the flight log",
  creation_time: "the file's creation_time",
  manual: "set by hand",
};
