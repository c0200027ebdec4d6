/** Test footage made with Debian's ffmpeg, and uploads with the real tus client as a browser would send them. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tus from "tus-js-client";
import type { RunningServer } from "../../server/main";
import type { FootageUploadStatus } from "../../server/protocol";
import { api } from "./server";

/**
 * An H.264 MP4 of testsrc2 (a moving pattern with a running frame counter drawn in) with the creation_time given;
 * `bitrate` makes it as large as a test needs.
 */
export function makeVideo(opts: { seconds: number; creationTime: string; size?: string; fps?: number; bitrate?: string; name?: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dmc-footage-"));
  const file = path.join(dir, opts.name ?? "DJI_0001.MP4");
  execFileSync("ffmpeg", [
    "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", `testsrc2=duration=${opts.seconds}:size=${opts.size ?? "320x240"}:rate=${opts.fps ?? 25}`,
    "-c:v", "libx264", "-pix_fmt", "yuv420p", ...(opts.bitrate ? ["-b:v", opts.bitrate, "-maxrate", opts.bitrate, "-bufsize", opts.bitrate] : []),
    "-metadata", `creation_time=${opts.creationTime}`, "-f", "mp4", file,
  ]);
  return file;
}

export function sha256sum(file: string): string {
  return execFileSync("sha256sum", [file]).toString().split(" ")[0]!;
}

export interface UploadRun {
  url: string | null;
  /** Bytes already on the server when this run started (0 for a new upload). */
  firstProgress: number | null;
}

/**
 * Uploads `file` with tus-js-client (the same library the page uses). `stopAt`: abort once that fraction has been
 * sent, as a dropped connection would; `resumeUrl`: continue that upload.
 */
export function tusUpload(server: RunningServer, cookie: string, file: string, opts: { stopAt?: number; resumeUrl?: string; chunkSize?: number; name?: string } = {}): Promise<UploadRun> {
  const size = fs.statSync(file).size;
  return new Promise((resolve, reject) => {
    let firstProgress: number | null = null;
    const upload: tus.Upload = new tus.Upload(fs.createReadStream(file), {
      endpoint: `http://127.0.0.1:${server.httpPort}/api/footage/uploads`,
      ...(opts.resumeUrl ? { uploadUrl: opts.resumeUrl } : {}),
      headers: { cookie, origin: `http://127.0.0.1:${server.httpPort}` },
      metadata: { filename: opts.name ?? path.basename(file), filetype: "video/mp4" },
      uploadSize: size,
      chunkSize: opts.chunkSize ?? 1024 * 1024,
      retryDelays: [],
      onProgress: (sent) => {
        firstProgress ??= sent;
        if (opts.stopAt !== undefined && sent >= size * opts.stopAt) {
          void upload.abort().then(() => resolve({ url: upload.url, firstProgress }));
        }
      },
      onSuccess: () => resolve({ url: upload.url, firstProgress }),
      onError: (err) => reject(err),
    });
    upload.start();
  });
}

/** Follows an upload after its last byte until it is stored, recognised as a duplicate or refused. */
export async function ingested(server: RunningServer, cookie: string, url: string, timeoutMs = 60_000): Promise<FootageUploadStatus> {
  const id = url.split("/").pop()!;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = (await (await api(server, cookie, `/api/footage/ingest/${id}`)).json()) as FootageUploadStatus;
    if (s.state !== "uploading" && s.state !== "processing") return s;
    if (Date.now() > until) throw new Error(`upload ${id} still ${s.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
