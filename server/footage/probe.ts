/**
 * ffprobe and ffmpeg (Debian's) as child processes: what a file is, and a poster frame and a thumbnail strip for the
 * page. A file ffprobe cannot read as a video is refused with ffprobe's own reason. Nothing here runs on the event
 * loop but the parsing of ffprobe's small JSON answer.
 */
import { execFile } from "node:child_process";
import { z } from "zod";
import type { FootageProbe } from "../protocol";

const PROBE_TIMEOUT_MS = 60_000;
const THUMB_TIMEOUT_MS = 180_000;
/** ffprobe's JSON for one file with a few streams is a few kB; a file crafted to have thousands is refused. */
const PROBE_MAX_OUTPUT = 4 * 1024 * 1024;
const MAX_TAGS = 40;
const MAX_TAG_CHARS = 200;
/** Thumbnails in the strip. */
export const STRIP_FRAMES = 10;

export type ProbeResult = { ok: true; probe: FootageProbe } | { ok: false; reason: string };

function run(cmd: string, args: string[], timeout: number, maxBuffer: number): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout, maxBuffer, windowsHide: true }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stderr: String(stderr) }));
      else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const tags = z.record(z.string(), z.unknown()).optional();
const ffprobeSchema = z.object({
  format: z.object({ format_name: z.string(), duration: z.string().optional(), tags }).passthrough(),
  streams: z.array(z.object({
    codec_type: z.string().optional(),
    codec_name: z.string().optional(),
    width: z.number().optional(),
    height: z.number().optional(),
    r_frame_rate: z.string().optional(),
    avg_frame_rate: z.string().optional(),
    nb_frames: z.string().optional(),
    duration: z.string().optional(),
    disposition: z.object({ attached_pic: z.number().optional() }).passthrough().optional(),
    tags,
  }).passthrough()).max(64),
});

type Ffprobe = z.infer<typeof ffprobeSchema>;

const STILL_FORMATS = /(^|,)(image2|png_pipe|jpeg_pipe|gif|webp_pipe|bmp_pipe|tiff_pipe|apng)(,|$)/;
const PLAYABLE_CODECS = new Set(["h264", "vp8", "vp9", "av1"]);
const DEVICE_TAG = /make|model|encoder|software|firmware|camera|handler_name|comment|description/i;

function rate(r: string | undefined): number | null {
  const m = /^(\d+)\/(\d+)$/.exec(r ?? "");
  if (!m || Number(m[2]) === 0) return null;
  const fps = Number(m[1]) / Number(m[2]);
  return fps > 0 && fps < 1000 ? Math.round(fps * 1000) / 1000 : null;
}

/** ISO 6709 as QuickTime writes it: "+51.5074-000.1278+010.000/". */
export function parseIso6709(text: string): FootageProbe["location"] {
  const m = /^([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)?\/?$/.exec(text.trim());
  if (!m) return null;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon, alt: m[3] === undefined ? null : Number(m[3]) };
}

function allTags(p: Ffprobe): [string, string][] {
  const out: [string, string][] = [];
  for (const t of [p.format.tags, ...p.streams.map((s) => s.tags)]) {
    for (const [k, v] of Object.entries(t ?? {})) if (typeof v === "string" || typeof v === "number") out.push([k, String(v)]);
  }
  return out;
}

/** What ffprobe's JSON says, or why it is not footage we keep. */
export function readProbe(json: unknown): ProbeResult {
  const parsed = ffprobeSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: "not a video ffprobe can read: ffprobe did not describe it as a media file" };
  const p = parsed.data;
  const video = p.streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  if (!video) return { ok: false, reason: `not a video ffprobe can read: it has no video stream (ffprobe reads it as ${p.format.format_name})` };
  const duration = Number(p.format.duration ?? video.duration ?? NaN);
  if (STILL_FORMATS.test(p.format.format_name) || !(duration > 0)) {
    return { ok: false, reason: `not a video ffprobe can read: a still image or no duration (ffprobe reads it as ${p.format.format_name})` };
  }
  const tagList = allTags(p);
  const tag = (re: RegExp) => tagList.find(([k]) => re.test(k))?.[1] ?? null;
  const location = tag(/^(location|com\.apple\.quicktime\.location\.ISO6709)$/i);
  const device: Record<string, string> = {};
  for (const [k, v] of tagList) {
    if (Object.keys(device).length >= MAX_TAGS) break;
    if (DEVICE_TAG.test(k) && !(k in device)) device[k.slice(0, 80)] = v.slice(0, MAX_TAG_CHARS);
  }
  const audio = p.streams.find((s) => s.codec_type === "audio");
  const codec = video.codec_name ?? "unknown";
  const container = p.format.format_name;
  const frames = Number(video.nb_frames ?? NaN);
  return {
    ok: true,
    probe: {
      format: container, durationS: duration,
      video: { codec, width: video.width ?? 0, height: video.height ?? 0, fps: rate(video.avg_frame_rate) ?? rate(video.r_frame_rate),
        frames: Number.isFinite(frames) && frames > 0 ? frames : null },
      audio: audio ? { codec: audio.codec_name ?? "unknown" } : null,
      creationTime: tag(/^creation_time$/i),
      timecode: tag(/^timecode$/i),
      location: location === null ? null : parseIso6709(location),
      device,
      browserPlayable: PLAYABLE_CODECS.has(codec) && (/(^|,)(mp4|mov)(,|$)/.test(container) || /(^|,)webm(,|$)/.test(container)),
    },
  };
}

/** Runs ffprobe on a file. */
export async function probeFile(file: string): Promise<ProbeResult> {
  let out: string;
  try {
    out = (await run("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", file], PROBE_TIMEOUT_MS, PROBE_MAX_OUTPUT)).stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string; killed?: boolean };
    if (e.code === "ENOENT") throw new Error("ffprobe is not installed (Debian package ffmpeg)");
    const why = e.killed ? "ffprobe took too long" : (e.stderr ?? "").trim().split("\n").pop()?.replace(/^.*?: /, "") || "ffprobe could not read it";
    return { ok: false, reason: `not a video ffprobe can read: ${why}` };
  }
  try {
    return readProbe(JSON.parse(out));
  } catch {
    return { ok: false, reason: "not a video ffprobe can read: its answer could not be read" };
  }
}

/** ffmpeg's first line of -version ("ffmpeg version 5.1.9-0+deb12u1 ..."), for what derived files were made with. */
export async function ffmpegVersion(): Promise<string> {
  const { stdout } = await run("ffmpeg", ["-hide_banner", "-version"], 10_000, 1024 * 1024);
  return stdout.split("\n")[0] ?? "ffmpeg";
}

/** A poster frame (the middle of the video, 640 px wide) and a strip of STRIP_FRAMES thumbnails, as JPEG files. */
export async function makeThumbnails(file: string, durationS: number, poster: string, strip: string): Promise<void> {
  const mid = Math.max(0, durationS / 2).toFixed(3);
  await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-ss", mid, "-i", file, "-frames:v", "1", "-vf", "scale=640:-2", "-q:v", "4", poster],
    THUMB_TIMEOUT_MS, 1024 * 1024);
  const fps = (STRIP_FRAMES / Math.max(durationS, 0.1)).toFixed(6);
  await run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", file, "-vf", `fps=${fps},scale=160:-2,tile=${STRIP_FRAMES}x1`,
    "-frames:v", "1", "-q:v", "5", strip], THUMB_TIMEOUT_MS, 1024 * 1024);
}
