/**
 * The ffmpeg command lines that make derivatives, as pure functions (what is run is what is recorded), and the
 * reading of ffmpeg's `-progress` output.
 */

export type DerivativeSpec = { kind: "browser" } | { kind: "clip"; fromS: number; toS: number };

/** H.264 (yuv420p: the only chroma layout every browser decodes) and AAC in MP4, the index at the front. */
const BROWSER_OUTPUT = [
  // Every frame at its own time, none duplicated or dropped to reach a constant rate: the copy's timing is the
  // original's (frame n of the copy is frame n of the original, at the same media time), so sync offsets still hold.
  "-fps_mode", "passthrough",
  "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
  "-c:a", "aac", "-b:a", "128k",
  // The index (moov) before the media: a browser can start playing, and seek, before it has the whole file.
  "-movflags", "+faststart",
];

/** Seconds as ffmpeg reads them, exact to the microsecond (no exponent, no float noise like 2.0000000004). */
export const seconds = (s: number): string => (Math.round(s * 1e6) / 1e6).toFixed(6).replace(/\.?0+$/, "");

/**
 * ffmpeg's argv (argv[0] "ffmpeg") making `spec` from `input` into `output` (an MP4), progress on stdout.
 *
 * Clips are re-encoded, never stream-copied: a stream copy can only cut at keyframes, so its first frame would not
 * be the one asked for. `-ss` goes before `-i`: since ffmpeg 2.1 input seeking while transcoding is frame-accurate
 * (the demuxer jumps to the keyframe before the point and the decoded frames before it are dropped), and it does
 * not decode the whole file up to the start as output seeking (`-ss` after `-i`) would. Output timestamps then
 * start at 0, and `-t` (not `-to`, which would be read on the original's clock only with -copyts) gives the length.
 */
export function derivativeArgs(spec: DerivativeSpec, input: string, output: string): string[] {
  const head = ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-progress", "pipe:1"];
  // First video and (if any) first audio stream only: subtitles or data tracks would not fit MP4, and are no picture.
  const map = ["-map", "0:v:0", "-map", "0:a:0?", "-map_metadata", "-1", "-sn", "-dn"];
  const out = [...BROWSER_OUTPUT, "-f", "mp4", "-n", output];
  if (spec.kind === "browser") return [...head, "-i", input, ...map, ...out];
  return [...head, "-ss", seconds(spec.fromS), "-i", input, "-t", seconds(spec.toS - spec.fromS), ...map, ...out];
}

/** The media time reached, in seconds, from one block of `-progress` lines; null when the block has none. */
export function progressTime(block: string): number | null {
  let t: number | null = null;
  for (const line of block.split("\n")) {
    // out_time_us is microseconds; out_time_ms is also microseconds (an old ffmpeg misnomer); out_time is h:m:s.
    const m = /^out_time_(?:us|ms)=(\d+)\s*$/.exec(line);
    if (m) t = Number(m[1]) / 1e6;
  }
  return t;
}

/** Keeps the last `lines` lines of a stream (ffmpeg's stderr): what a failure reports. */
export class Tail {
  private text = "";

  constructor(private readonly lines = 8, private readonly maxChars = 4000) {}

  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.maxChars * 2);
  }

  toString(): string {
    return this.text.trim().split("\n").slice(-this.lines).join("\n").slice(-this.maxChars);
  }
}
