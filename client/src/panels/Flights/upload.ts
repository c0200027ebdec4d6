import { ApiCallError } from "../../access";
import { apiErrorOf, unreachable } from "./api";
import { formatBytes } from "./format";
import { readImportResult, type ImportResult } from "./report";

/** Larger files are refused before upload; the server has its own limit (413) too. */
/** The server's limit (server/http/import-route.ts IMPORT_LIMIT_BYTES): checked here before a long upload. */
export const MAX_IMPORT_BYTES = 256 * 1024 ** 2;

export interface UploadProgress {
  loaded: number;
  /** null when the browser cannot tell. */
  total: number | null;
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

/** POST /api/flights/import as multipart (field "file"), reporting upload progress. Same origin: the cookie goes along. */
export function xhrUpload(createXhr: () => XhrLike = () => new XMLHttpRequest()): UploadFn {
  return (file, onProgress) => {
    const xhr = createXhr();
    const result = new Promise<ImportResult>((resolve, reject) => {
      xhr.open("POST", "/api/flights/import");
      xhr.setRequestHeader("accept", "application/json");
      xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : null });
      xhr.onload = () => {
        const body = parse(xhr.responseText);
        const result = readImportResult(body);
        if (xhr.status < 200 || xhr.status >= 300) reject(apiErrorOf(xhr.status, body));
        else if (result) resolve(result);
        else reject(new ApiCallError(xhr.status, "bad_response", "the server's answer was not an import report"));
      };
      xhr.onerror = () => reject(unreachable());
      xhr.onabort = () => reject(new ApiCallError(0, "aborted", "upload cancelled"));
      const form = new FormData();
      form.append("file", file, file.name);
      xhr.send(form);
    });
    return { result, abort: () => xhr.abort() };
  };
}
