/**
 * Runs one ffmpeg command as a child process: spawned with its argv (no shell: nothing in a name or a path can be
 * read as a command), under `nice` so the live server and the drones' heartbeats keep the CPU they need, progress
 * read from `-progress pipe:1`, stopped by an AbortSignal (shutdown), and its stderr's last lines kept for the
 * failure's message.
 */
import { spawn } from "node:child_process";
import { Tail, progressTime } from "./ffmpeg-args";

/** Nice level: below the server (0), so ffmpeg takes only what is left over. */
export const FFMPEG_NICE = 10;
/** SIGTERM first; a process that ignores it is killed this long after. */
const KILL_AFTER_MS = 5_000;

export type FfmpegOutcome = { ok: true } | { ok: false; cancelled: boolean; message: string };

export interface FfmpegRunOptions {
  /** Seconds of media the output will hold: progress is the fraction of it written. */
  durationS: number;
  onProgress?(fraction: number): void;
  signal?: AbortSignal;
  /** Defaults to killing it after this long (a stuck ffmpeg must not hold the queue forever). */
  timeoutMs?: number;
}

/** Runs `argv` (argv[0] = "ffmpeg") under nice; resolves when it has exited. Never rejects. */
export function runFfmpeg(argv: readonly string[], opts: FfmpegRunOptions): Promise<FfmpegOutcome> {
  return new Promise((resolve) => {
    if (opts.signal?.aborted) return resolve({ ok: false, cancelled: true, message: "cancelled before it started" });
    const child = spawn("nice", ["-n", String(FFMPEG_NICE), ...argv], { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    const stderr = new Tail();
    let cancelled = false;
    let timedOut = false;
    let killer: NodeJS.Timeout | null = null;
    const stop = () => {
      child.kill("SIGTERM");
      killer ??= setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
      killer.unref();
    };
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = opts.timeoutMs ? setTimeout(() => { timedOut = true; stop(); }, opts.timeoutMs) : null;
    timer?.unref();
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      // -progress writes blocks of key=value lines ending in "progress=continue|end".
      pending = (pending + chunk).slice(-16_384);
      const end = pending.lastIndexOf("progress=");
      if (end < 0) return;
      const t = progressTime(pending.slice(0, end));
      pending = pending.slice(pending.indexOf("\n", end) + 1);
      if (t !== null && opts.durationS > 0) opts.onProgress?.(Math.min(1, t / opts.durationS));
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => stderr.push(chunk));
    let settled = false;
    const finish = (outcome: FfmpegOutcome) => {
      if (settled) return;
      settled = true;
      if (killer) clearTimeout(killer);
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      resolve(outcome);
    };
    child.on("error", (err: NodeJS.ErrnoException) => {
      finish({ ok: false, cancelled: false, message: err.code === "ENOENT" ? "nice or ffmpeg is not installed (Debian packages coreutils, ffmpeg)" : err.message });
    });
    child.on("close", (code, signal) => {
      if (code === 0 && !cancelled && !timedOut) return finish({ ok: true });
      const tail = stderr.toString();
      const why = cancelled ? "cancelled (the server is stopping)" : timedOut ? `ffmpeg took longer than ${opts.timeoutMs} ms` : `ffmpeg exited with ${code ?? signal}`;
      finish({ ok: false, cancelled, message: tail ? `${why}: ${tail}` : why });
    });
  });
}
