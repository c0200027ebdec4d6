import { describe, expect, it } from "vitest";
import { ApiCallError } from "../../access";
import { checkImportFile, MAX_IMPORT_BYTES, xhrUpload, type UploadProgress, type XhrLike } from "./upload";

class FakeXhr implements XhrLike {
  status = 0;
  responseText = "";
  withCredentials = false;
  upload: XhrLike["upload"] = { onprogress: null };
  onload: XhrLike["onload"] = null;
  onerror: XhrLike["onerror"] = null;
  onabort: XhrLike["onabort"] = null;
  opened: [string, string] | null = null;
  sent: FormData | null = null;
  open(method: string, url: string) { this.opened = [method, url]; }
  setRequestHeader() {}
  send(body: FormData) { this.sent = body; }
  abort() { this.onabort?.(new ProgressEvent("abort")); }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.onload?.(new ProgressEvent("load"));
  }
}

const report = { packets: 10, garbageBytes: 0, crcErrors: 0, truncated: false, sha256: "ab", sizeBytes: 4 };

function start() {
  const xhr = new FakeXhr();
  const progress: UploadProgress[] = [];
  const file = new File(["abcd"], "flight.tlog");
  const handle = xhrUpload(() => xhr)(file, (p) => progress.push(p));
  return { xhr, progress, handle };
}

describe("xhrUpload", () => {
  it("posts the file as multipart field 'file' and reports progress", async () => {
    const { xhr, progress, handle } = start();
    expect(xhr.opened).toEqual(["POST", "/api/flights/import"]);
    expect((xhr.sent?.get("file") as File).name).toBe("flight.tlog");
    xhr.upload.onprogress?.({ loaded: 2, total: 4, lengthComputable: true } as ProgressEvent);
    xhr.upload.onprogress?.({ loaded: 3, total: 0, lengthComputable: false } as ProgressEvent);
    xhr.answer(200, { flights: [], report });
    await expect(handle.result).resolves.toEqual({ flights: [], report });
    expect(progress).toEqual([{ loaded: 2, total: 4 }, { loaded: 3, total: null }]);
  });

  it("words a refusal from the server's error, and a bare 413", async () => {
    const a = start();
    a.xhr.answer(400, { error: { code: "not_tlog", message: "not a .tlog file" } });
    await expect(a.handle.result).rejects.toMatchObject({ status: 400, code: "not_tlog", message: "not a .tlog file" });
    const b = start();
    b.xhr.answer(413, "<html>too large</html>");
    await expect(b.handle.result).rejects.toMatchObject({ code: "too_large", message: "the file is larger than the server accepts" });
  });

  it("fails on a network error, an odd answer, or a cancel", async () => {
    const a = start();
    a.xhr.onerror?.(new ProgressEvent("error"));
    await expect(a.handle.result).rejects.toMatchObject({ code: "unreachable" });
    const b = start();
    b.xhr.answer(200, { ok: true });
    await expect(b.handle.result).rejects.toBeInstanceOf(ApiCallError);
    const c = start();
    c.handle.abort();
    await expect(c.handle.result).rejects.toMatchObject({ code: "aborted" });
  });
});

describe("checkImportFile", () => {
  it("refuses empty and too large files before upload", () => {
    expect(checkImportFile({ name: "a.tlog", size: 10 })).toBeNull();
    expect(checkImportFile({ name: "a.tlog", size: 0 })).toBe("a.tlog is empty.");
    expect(checkImportFile({ name: "big.tlog", size: MAX_IMPORT_BYTES + 1 })).toBe("big.tlog is 256.0\u202fMiB: files up to 256.0\u202fMiB can be imported.");
  });
});
