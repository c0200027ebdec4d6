import { useCallback, useEffect, useRef, useState } from "react";
import type { DetailedError, Upload } from "tus-js-client";
import { describeApiError } from "../../access";
import type { FootageApi } from "./api";
import { UPLOAD_ENDPOINT, uploadIdOf } from "./api";
import { pairFiles } from "./pairing";
import { newRow, nextSpeed, toStart, withStatus, type UploadRow } from "./queue";

/**
 * Bytes per PATCH: a dropped connection loses at most the chunk under way, and no request carries gigabytes. The
 * server keeps what reached it, so a resume starts from its offset, not from the chunk's start.
 */
const CHUNK_BYTES = 32 * 1024 * 1024;
/** Back-off between retries on network errors and 5xx, then the upload stops and waits for the reviewer. */
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000, 30_000, 60_000];
/** Progress re-renders at most this often per upload: a fast link reports hundreds of times a second. */
const PROGRESS_EVERY_MS = 250;
const POLL_MS = 1000;

interface Entry {
  file: File;
  sidecar: File | null;
  upload: Upload | null;
  last: { at: number; sent: number } | null;
}

export interface UploadsState {
  rows: UploadRow[];
  /** Lines about what was picked and not uploaded (a lone SRT, files of a folder that are not footage). */
  notes: string[];
  add(files: readonly File[], fromFolder: boolean): void;
  pause(key: string): void;
  resume(key: string): void;
}

/** tus-js-client is loaded with the first upload: most visits to the page upload nothing. */
const loadTus = () => import("tus-js-client");

/** Resumable uploads (tus) of the files picked, at most MAX_RUNNING at once, then the server's verdict on each. */
export function useUploads(api: FootageApi, onStored?: () => void): UploadsState {
  const [rows, setRows] = useState<UploadRow[]>([]);
  const [notes, setNotes] = useState<string[]>([]);
  const entries = useRef(new Map<string, Entry>());
  const counter = useRef(0);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    const live = entries.current;
    return () => {
      alive.current = false;
      // Leaving the page stops the transfers; the fingerprints stay, so picking the files again resumes them.
      for (const e of live.values()) void e.upload?.abort();
    };
  }, []);

  const patch = useCallback((key: string, change: (r: UploadRow) => UploadRow) => {
    if (alive.current) setRows((all) => all.map((r) => (r.key === key ? change(r) : r)));
  }, []);

  const sendSidecar = useCallback(async (key: string, footageId: number, sidecar: File) => {
    try {
      await api.sidecar(footageId, sidecar.name, sidecar);
      patch(key, (r) => ({ ...r, sidecarResult: { ok: true, text: `${sidecar.name} attached` } }));
    } catch (err) {
      patch(key, (r) => ({ ...r, sidecarResult: { ok: false, text: `${sidecar.name} not attached: ${describeApiError(err)}` } }));
    }
  }, [api, patch]);

  /** After the last byte: the server hashes and probes the file; ask until it has decided. */
  const follow = useCallback(async (key: string, url: string) => {
    const id = uploadIdOf(url);
    for (let attempt = 0; alive.current; attempt++) {
      try {
        const status = await api.ingest(id);
        patch(key, (r) => withStatus(r, status));
        if (status.state !== "uploading" && status.state !== "processing") {
          const sidecar = entries.current.get(key)?.sidecar;
          if (status.footageId !== null && status.state !== "refused" && sidecar) await sendSidecar(key, status.footageId, sidecar);
          if (status.state === "stored") onStored?.();
          return;
        }
      } catch (err) {
        if (attempt > 30) return patch(key, (r) => ({ ...r, phase: "failed", message: `the server's verdict could not be read: ${describeApiError(err)}` }));
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS * (1 + attempt / 10), 5000)));
    }
  }, [api, patch, sendSidecar, onStored]);

  const begin = useCallback(async (key: string) => {
    const entry = entries.current.get(key);
    if (!entry) return;
    if (entry.upload) {
      entry.upload.start();
      return;
    }
    const { file } = entry;
    const tus = await loadTus();
    const upload = new tus.Upload(file, {
      endpoint: UPLOAD_ENDPOINT,
      metadata: { filename: file.name, filetype: file.type || "application/octet-stream" },
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent) => {
        const now = performance.now();
        const last = entry.last;
        if (last && now - last.at < PROGRESS_EVERY_MS && sent < file.size) return;
        entry.last = { at: now, sent };
        patch(key, (r) => ({
          ...r, sent,
          speed: last && sent >= last.sent ? nextSpeed(r.speed, sent - last.sent, now - last.at) : r.speed,
          resumedFrom: r.resumedFrom === -1 ? sent : r.resumedFrom,
        }));
      },
      onSuccess: () => {
        patch(key, (r) => ({ ...r, sent: file.size, phase: "processing", speed: null }));
        if (upload.url) void follow(key, upload.url);
      },
      onError: (err) => patch(key, (r) => ({ ...r, phase: "failed", speed: null, message: tusMessage(err, tus.DetailedError) })),
    });
    entry.upload = upload;
    // The same file picked again after a closed tab or a dropped connection continues the upload it began.
    const previous = await upload.findPreviousUploads().catch(() => []);
    const newest = [...previous].sort((a, b) => b.creationTime.localeCompare(a.creationTime))[0];
    if (newest) {
      upload.resumeFromPreviousUpload(newest);
      // -1: "resumed, offset not yet known": the first progress report gives it.
      patch(key, (r) => ({ ...r, resumedFrom: -1 }));
    }
    upload.start();
  }, [patch, follow]);

  // The scheduler: whenever a slot is free, the oldest waiting upload takes it.
  useEffect(() => {
    const keys = toStart(rows);
    if (keys.length === 0) return;
    setRows((all) => all.map((r) => (keys.includes(r.key) ? { ...r, phase: "uploading" } : r)));
    for (const key of keys) void begin(key);
  }, [rows, begin]);

  const add = useCallback((files: readonly File[], fromFolder: boolean) => {
    const pairing = pairFiles(files, fromFolder);
    const added = pairing.uploads.map(({ file, sidecar }) => {
      const key = `u${++counter.current}`;
      entries.current.set(key, { file, sidecar, upload: null, last: null });
      return newRow(key, file.name, file.size, sidecar?.name ?? null);
    });
    setRows((all) => [...all, ...added]);
    const lines = [
      ...pairing.orphanSidecars.map((s) => `${s.name}: a sidecar without its video beside it, not uploaded (pick it with its video).`),
      ...(pairing.skipped.length > 0 ? [`${pairing.skipped.length} file(s) of the folder are not video and were left out: ${pairing.skipped.slice(0, 5).map((f) => f.name).join(", ")}${pairing.skipped.length > 5 ? "…" : ""}`] : []),
    ];
    setNotes(lines);
  }, []);

  const pause = useCallback((key: string) => {
    const entry = entries.current.get(key);
    void entry?.upload?.abort();
    patch(key, (r) => (r.phase === "uploading" ? { ...r, phase: "paused", speed: null } : r));
  }, [patch]);

  // Back in the queue: it starts again when a slot is free, from where the server's bytes end.
  const resume = useCallback((key: string) => patch(key, (r) => (r.phase === "paused" || r.phase === "failed" ? { ...r, phase: "queued", message: null } : r)), [patch]);

  return { rows, notes, add, pause, resume };
}

/** tus-js-client's error in the reviewer's words: the server's answer where there was one. */
function tusMessage(err: Error, detailed: typeof DetailedError): string {
  if (err instanceof detailed && err.originalResponse) {
    const status = err.originalResponse.getStatus();
    const body = err.originalResponse.getBody();
    return `the server answered ${status}${body ? `: ${body.slice(0, 200)}` : ""}`;
  }
  return "the connection failed after several tries";
}
