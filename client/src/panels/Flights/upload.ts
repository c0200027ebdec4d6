import type { ImportJobStatus } from "../../../../server/protocol";
import { ApiCallError } from "../../access";
import { apiErrorOf, sameOriginFetch, unreachable } from "./api";
import { formatBytes } from "./format";
import { readImportResult, type ImportResult } from "./report";

/**
 * The server's default limit (--import-max-bytes, 4 GiB): larger files are refused before a long upload. A server
 * configured lower answers 413, worded as such.
 */
export const MAX_IMPORT_BYTES = 4 * 1024 ** 3;

/** Where an import stands once the file is on the server: reading it, saving its flights, writing their series. */
export type ImportStep = Pick<ImportJobStatus, "phase" | "bytes" | "totalBytes" | "packets" | "flights" | "seriesPoints">;

export interface UploadProgress {
  loaded: number;
  /** null when the browser cannot tell. */
  total: number | null;
  /** Set once the upload is complete and the server is importing the file. */
  import?: ImportStep;
}

export interface UploadHandle {
  result: Promise<ImportResult>;
  abort(): void;
}

export type UploadFn = (file: File, onProgress: (p: UploadProgress) => void) => UploadHandle;

/** The part of XMLHttpRequest an upload uses (fetch cannot report upload progress). */
export interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  withCredentials: boolean;
  upload: { onprogress: ((e: ProgressEvent) => void) | null };
  onload: ((e: ProgressEvent) => void) | null;
  onerror: ((e: ProgressEvent) => void) | null;
  onabort: ((e: ProgressEvent) => void) | null;
}

/** Why a file is not sent, in words; null when it may be. */
export function checkImportFile(file: { name: string; size: number }, maxBytes = MAX_IMPORT_BYTES): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > maxBytes) return `${file.name} is ${formatBytes(file.size)}: files up to ${formatBytes(maxBytes)} can be imported.`;
  return null;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** An import report answer (200/201), or the error it is. */
function outcome(status: number, body: unknown): ImportResult {
  if (status < 200 || status >= 300) throw apiErrorOf(status, body);
  const result = readImportResult(body);
  if (!result) throw new ApiCallError(status, "bad_response", "the server's answer was not an import report");
  return result;
}

function isJob(body: unknown): body is ImportJobStatus {
  return typeof body === "object" && body !== null && typeof (body as { id?: unknown }).id === "string"
    && typeof (body as { phase?: unknown }).phase === "string";
}

export interface UploadOptions {
  createXhr?: () => XhrLike;
  /** For polling the import's progress (same origin: the cookie goes along). */
  fetchFn?: typeof fetch;
  pollMs?: number;
}

/**
 * POST /api/flights/import as multipart (field "file"), reporting upload progress; the server answers at once
 * (Prefer: respond-async) with the import job, whose progress is then polled until its outcome. Cancelling stops
 * the upload, or, once the file is sent, only the watching: the server finishes the import.
 */
export function xhrUpload({ createXhr = () => new XMLHttpRequest(), fetchFn = sameOriginFetch, pollMs = 500 }: UploadOptions = {}): UploadFn {
  return (file, onProgress) => {
    const xhr = createXhr();
    let stopped = false;
    let stopPolling = () => {};
    const aborted = () => new ApiCallError(0, "aborted", "upload cancelled");
    const poll = (job: ImportJobStatus, resolve: (r: ImportResult) => void, reject: (e: unknown) => void) => {
      const loaded = { loaded: file.size, total: file.size };
      const step = (status: ImportJobStatus) => {
        if (status.result !== null) {
          try {
            resolve(outcome(status.result.status, status.result.body));
          } catch (err) {
            reject(err);
          }
          return;
        }
        const { phase, bytes, totalBytes, packets, flights, seriesPoints } = status;
        onProgress({ ...loaded, import: { phase, bytes, totalBytes, packets, flights, seriesPoints } });
        const timer = setTimeout(() => {
          fetchFn(`/api/flights/import/${encodeURIComponent(job.id)}`, { headers: { accept: "application/json" } }).then(
            async (res) => {
              const body = parse(await res.text());
              if (stopped) return;
              if (!res.ok) reject(apiErrorOf(res.status, body));
              else if (!isJob(body)) reject(new ApiCallError(res.status, "bad_response", "the server's answer was not an import's progress"));
              else step(body);
            },
            () => { if (!stopped) reject(unreachable()); },
          );
        }, pollMs);
        stopPolling = () => clearTimeout(timer);
      };
      step(job);
    };
    let cancel = () => {};
    const result = new Promise<ImportResult>((resolve, reject) => {
      cancel = () => {
        stopped = true;
        stopPolling();
        reject(aborted());
      };
      xhr.open("POST", "/api/flights/import");
      xhr.setRequestHeader("accept", "application/json");
      xhr.setRequestHeader("prefer", "respond-async");
      xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : null });
      xhr.onload = () => {
        const body = parse(xhr.responseText);
        if (xhr.status === 202 && isJob(body)) {
          poll(body, resolve, reject);
          return;
        }
        try {
          resolve(outcome(xhr.status, body));
        } catch (err) {
          reject(err);
        }
      };
      xhr.onerror = () => reject(unreachable());
      xhr.onabort = () => reject(aborted());
      const form = new FormData();
      form.append("file", file, file.name);
      xhr.send(form);
    });
    return {
      result,
      abort: () => {
        xhr.abort();
        cancel();
      },
    };
  };
}
