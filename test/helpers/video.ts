/** Test footage made with Debian's ffmpeg, and DJI-style sidecars for it (no server needed: benches use these too). */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** How a test video is encoded: H.264 in MP4 (what browsers play), or what they do not (MPEG-4 Part 2 in AVI, HEVC in MP4). */
export type TestVideoCodec = "h264" | "mpeg4-avi" | "hevc";

const ENCODINGS: Record<TestVideoCodec, string[]> = {
  "h264": ["-c:v", "libx264", "-pix_fmt", "yuv420p"],
  // B-frames as a camera's encoder would use: the decode order then differs from the display order.
  "mpeg4-avi": ["-c:v", "mpeg4", "-q:v", "3", "-bf", "2"],
  "hevc": ["-c:v", "libx265", "-pix_fmt", "yuv420p", "-x265-params", "log-level=error", "-tag:v", "hvc1"],
};

/**
 * A video of testsrc2 (a moving pattern with a running frame counter drawn in) with the creation_time given;
 * `bitrate` makes it as large as a test needs. H.264 MP4 unless `codec` says otherwise; `audio` adds a sine tone.
 */
export function makeVideo(opts: {
  seconds: number; creationTime: string; size?: string; fps?: number; bitrate?: string; name?: string; codec?: TestVideoCodec; audio?: boolean;
}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-footage-"));
  const codec = opts.codec ?? "h264";
  const file = path.join(dir, opts.name ?? (codec === "mpeg4-avi" ? "DJI_0001.AVI" : "DJI_0001.MP4"));
  execFileSync("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", `testsrc2=duration=${opts.seconds}:size=${opts.size ?? "320x240"}:rate=${opts.fps ?? 25}`,
    ...(opts.audio ? ["-f", "lavfi", "-i", `sine=frequency=440:duration=${opts.seconds}`, "-c:a", codec === "mpeg4-avi" ? "libmp3lame" : "aac"] : []),
    ...ENCODINGS[codec], ...(opts.bitrate ? ["-b:v", opts.bitrate, "-maxrate", opts.bitrate, "-bufsize", opts.bitrate] : []),
    "-metadata", `creation_time=${opts.creationTime}`, "-f", codec === "mpeg4-avi" ? "avi" : "mp4", file,
  ]);
  return file;
}

export function sha256sum(file: string): string {
  return execFileSync("sha256sum", [file]).toString().split(" ")[0]!;
}

/**
 * A DJI-style sidecar for a video whose first frame is at `startsAt` (UTC ms) on a flight flying `track`: one cue per
 * frame, the drone's local time in `zoneMinutes` east of UTC, its position where the track was at that moment.
 * `layout` picks the model's wording (see server/footage/srt.ts); `garbage` puts unreadable cues in.
 */
export function makeSrt(track: readonly { time: number; lat: number; lon: number }[], opts: {
  startsAt: number; seconds: number; fps: number; zoneMinutes: number; layout?: "bracket" | "gps"; garbage?: boolean;
}): string {
  const cues: string[] = [];
  const frames = Math.round(opts.seconds * opts.fps);
  const at = (t: number) => {
    let i = 0;
    while (i < track.length - 2 && track[i + 1]!.time <= t) i++;
    const a = track[i]!;
    const b = track[i + 1]!;
    const f = Math.min(1, Math.max(0, (t - a.time) / (b.time - a.time)));
    return { lat: a.lat + (b.lat - a.lat) * f, lon: a.lon + (b.lon - a.lon) * f };
  };
  const stamp = (s: number) => {
    const ms = Math.round(s * 1000);
    const p = (n: number, w = 2) => String(n).padStart(w, "0");
    return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)},${p(ms % 1000, 3)}`;
  };
  for (let n = 0; n < frames; n++) {
    const t = n / opts.fps;
    const utc = opts.startsAt + t * 1000;
    const local = new Date(utc + opts.zoneMinutes * 60_000).toISOString().replace("T", " ").replace("Z", "");
    const p = at(utc);
    const body = opts.layout === "gps"
      ? `F/2.8, SS 1000, ISO 100, EV 0, DZOOM 1.000, GPS (${p.lon.toFixed(6)}, ${p.lat.toFixed(6)}, 19), D 24.64m, H 30.00m\n${local}`
      : `<font size="28">FrameCnt: ${n + 1}, DiffTime: ${Math.round(1000 / opts.fps)}ms\n${local}\n[iso: 100] [shutter: 1/500.0] [fnum: 2.8] [latitude: ${p.lat.toFixed(6)}] [longitude: ${p.lon.toFixed(6)}] [rel_alt: 30.000 abs_alt: 40.000] </font>`;
    cues.push(`${n + 1}\n${stamp(t)} --> ${stamp(t + 1 / opts.fps)}\n${body}`);
    if (opts.garbage && n % 50 === 7) cues.push(`${n + 1}b\nthis line is not a cue\n\u0000\u0007 garbage`);
  }
  return `${cues.join("\n\n")}\n`;
}

/**
 * A valid MP4 of about `bytes`: a short test video followed by a top-level `free` box of filler, which players and
 * ffprobe skip (ISO/IEC 14496-12 free space). Made in seconds at any size, where encoding gigabytes would take minutes.
 */
export function makeLargeVideo(bytes: number, creationTime = "2026-11-21T09:00:00Z"): string {
  const file = makeVideo({ seconds: 2, creationTime, name: "DJI_0100.MP4" });
  const pad = Math.max(16, bytes - fs.statSync(file).size);
  const header = Buffer.alloc(16);
  // size 1: the 64-bit size follows the type (boxes over 4 GiB).
  header.writeUInt32BE(1, 0);
  header.write("free", 4, "latin1");
  header.writeBigUInt64BE(BigInt(pad), 8);
  const fd = fs.openSync(file, "a");
  try {
    fs.writeSync(fd, header);
    // Filler that is not all zeros (a file system would store zeros sparsely), written a MiB at a time.
    const block = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((i * 2654435761) >>> 0, i);
    let left = pad - 16;
    for (let n = 0; left > 0; n++) {
      block.writeUInt32LE(n, 0);
      const w = Math.min(left, block.length);
      fs.writeSync(fd, block, 0, w);
      left -= w;
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}
