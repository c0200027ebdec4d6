/** Uploads with the real tus client as a browser would send them; the test footage itself is made in video.ts. */
import fs from "node:fs";
import path from "node:path";
import * as tus from "tus-js-client";
import type { RunningServer } from "../../server/main";
import type { FootageUploadStatus } from "../../server/protocol";
import { api } from "./server";

export { makeLargeVideo, makeSrt, makeVideo, sha256sum } from "./video";

export interface UploadRun {
  url: string | null;
  /** Bytes already on the server when this run started (0 for a new upload). */
  firstProgress: number | null;
}

/**
 * Uploads `file` with tus-js-client (the same library the page uses). `stopAt`: abort once that fraction has been
 * sent, as a dropped connection would; `resumeUrl`: continue that upload.
 */
export function tusUpload(server: Pick<RunningServer, "httpPort">, cookie: string, file: string, opts: { stopAt?: number; resumeUrl?: string; chunkSize?: number; name?: string } = {}): Promise<UploadRun> {
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
export async function ingested(server: Pick<RunningServer, "httpPort">, cookie: string, url: string, timeoutMs = 60_000): Promise<FootageUploadStatus> {
  const id = url.split("/").pop()!;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = (await (await api(server, cookie, `/api/footage/ingest/${id}`)).json()) as FootageUploadStatus;
    if (s.state !== "uploading" && s.state !== "processing") return s;
    if (Date.now() > until) throw new Error(`upload ${id} still ${s.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

