import { describe, expect, it } from "vitest";
import { ApiCallError } from "../../access";
import { checkImportFile, MAX_IMPORT_BYTES, xhrUpload, type UploadProgress, type XhrLike } from "./upload";

class FakeXhr implements XhrLike {
  headers: Record<string, string> = {};
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
  setRequestHeader(name: string, value: string) { this.headers[name] = value; }
  send(body: FormData) { this.sent = body; }
  abort() { this.onabort?.(new ProgressEvent("abort")); }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.onload?.(new ProgressEvent("load"));
  }
}

const report = { packets: 10, garbageBytes: 0, crcErrors: 0, truncated: false, sha256: "ab", sizeBytes: 4 };

/** The server's job answers, in order, for GET /api/flights/import/:id. */
function fakeFetch(answers: { status: number; body: unknown }[]) {
  const asked: string[] = [];
  const fetchFn = (async (url: string) => {
    asked.push(url);
    const a = answers.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(a.body), { status: a.status });
  }) as unknown as typeof fetch;
  return { asked, fetchFn };
}

function start(answers: { status: number; body: unknown }[] = []) {
  const xhr = new FakeXhr();
  const progress: UploadProgress[] = [];
  const file = new File(["abcd"], "flight.tlog");
  const server = fakeFetch(answers);
  const handle = xhrUpload({ createXhr: () => xhr, fetchFn: server.fetchFn, pollMs: 0 })(file, (p) => progress.push(p));
  return { xhr, progress, handle, asked: server.asked };
}

const job = (phase: string, extra: object = {}) => ({
  id: "ab12", name: "flight.tlog", phase, bytes: 0, totalBytes: 4, packets: 0, flights: 0, seriesPoints: 0, result: null, ...extra,
});

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

describe("xhrUpload, following the import", () => {
  it("asks for an answer at once, then polls the import's progress until its report", async () => {
    const done = { flights: [{ id: 3 }], packets: 10, sha256: "ab", sizeBytes: 4, invalid: { garbageBytes: 0, crcErrors: 0, truncated: false } };
    const { xhr, progress, handle, asked } = start([
      { status: 200, body: job("reading", { bytes: 2, packets: 5 }) },
      { status: 200, body: job("series", { bytes: 4, flights: 1, seriesPoints: 700 }) },
      { status: 200, body: job("done", { bytes: 4, flights: 1, result: { status: 201, body: done } }) },
    ]);
    expect(xhr.headers.prefer).toBe("respond-async");
    xhr.answer(202, job("reading"));
    await expect(handle.result).resolves.toEqual({ flights: [{ id: 3 }], report: { packets: 10, sha256: "ab", sizeBytes: 4, garbageBytes: 0, crcErrors: 0, truncated: false } });
    expect(asked).toEqual(["/api/flights/import/ab12", "/api/flights/import/ab12", "/api/flights/import/ab12"]);
    expect(progress.map((p) => p.import && [p.import.phase, p.import.bytes, p.import.seriesPoints])).toEqual([
      ["reading", 0, 0], ["reading", 2, 0], ["series", 4, 700],
    ]);
    expect(progress.every((p) => p.loaded === 4 && p.total === 4)).toBe(true);
  });

  it("rejects with the server's reason when the import is refused or fails", async () => {
    const a = start([{ status: 200, body: job("failed", { result: { status: 422, body: { error: { code: "not_mavlink", message: "no valid MAVLink packet in 5 bytes" } } } }) }]);
    a.xhr.answer(202, job("reading"));
    await expect(a.handle.result).rejects.toMatchObject({ status: 422, code: "not_mavlink", message: "no valid MAVLink packet in 5 bytes" });
    const b = start([{ status: 404, body: { error: { code: "import_not_found", message: "no import ab12 of yours" } } }]);
    b.xhr.answer(202, job("reading"));
    await expect(b.handle.result).rejects.toMatchObject({ code: "import_not_found" });
    // A server answering without a job (an older one) gives its report at once.
    const c = start();
    c.xhr.answer(201, { flights: [], report });
    await expect(c.handle.result).resolves.toEqual({ flights: [], report });
    expect(c.asked).toEqual([]);
  });

  it("stops watching when cancelled after the upload", async () => {
    const { xhr, handle, asked } = start([{ status: 200, body: job("reading") }]);
    xhr.answer(202, job("reading"));
    handle.abort();
    await expect(handle.result).rejects.toMatchObject({ code: "aborted" });
    await new Promise((r) => setTimeout(r, 20));
    expect(asked.length).toBeLessThanOrEqual(1);
  });
});

describe("checkImportFile", () => {
  it("refuses empty and too large files before upload", () => {
    expect(checkImportFile({ name: "a.tlog", size: 10 })).toBeNull();
    expect(checkImportFile({ name: "a.tlog", size: 0 })).toBe("a.tlog is empty.");
    expect(MAX_IMPORT_BYTES).toBe(4 * 1024 ** 3);
    expect(checkImportFile({ name: "big.tlog", size: MAX_IMPORT_BYTES + 1 })).toBe("big.tlog is 4.00\u202fGiB: files up to 4.00\u202fGiB can be imported.");
  });
});
