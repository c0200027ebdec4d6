import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Request, Response } from "express";
import busboy from "busboy";
import type { JsonValue } from "../audit";
import type { ApiSource, Route } from "./route";
import { metaOf, noQuery, sendError } from "./route";

/**
 * Largest .tlog accepted: about 13 hours of one vehicle, or 4 of three. The upload is streamed to disk, but the
 * import then parses the file in memory (about 13 times its size): raise this with a streaming import.
 */
export const IMPORT_LIMIT_BYTES = 256 * 1024 ** 2;

type Received = { ok: true; path: string; name: string; bytes: number } | { ok: false; status: number; code: string; message: string };

/** Streams the multipart field `file` to a temporary file in the data directory. */
function receive(req: Request, dir: string, limit: number): Promise<Received> {
  return new Promise((resolve) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: limit, fields: 0 } });
    } catch {
      resolve({ ok: false, status: 400, code: "bad_request", message: "expected multipart/form-data with a file field \"file\"" });
      return;
    }
    let got: Promise<Received> | null = null;
    bb.on("file", (field, stream, info) => {
      if (field !== "file") {
        stream.resume();
        return;
      }
      const tmp = path.join(dir, `upload-${randomBytes(8).toString("hex")}.part`);
      let bytes = 0;
      stream.on("data", (chunk: Buffer) => { bytes += chunk.length; });
      got = pipeline(stream, createWriteStream(tmp, { flags: "wx" })).then(async (): Promise<Received> => {
        if ((stream as typeof stream & { truncated?: boolean }).truncated) {
          await rm(tmp, { force: true });
          return { ok: false, status: 413, code: "too_large", message: `file larger than ${limit} bytes` };
        }
        return { ok: true, path: tmp, name: info.filename || "upload.tlog", bytes };
      }, async (err: unknown) => {
        await rm(tmp, { force: true });
        return { ok: false, status: 500, code: "upload_failed", message: `could not store the upload: ${String(err)}` };
      });
    });
    bb.on("close", () => {
      resolve(got ?? Promise.resolve({ ok: false, status: 400, code: "bad_request", message: "no file field \"file\" in the upload" }));
    });
    bb.on("error", (err: unknown) => resolve({ ok: false, status: 400, code: "bad_request", message: `malformed upload: ${String(err)}` }));
    req.pipe(bb);
  });
}

/**
 * One import at a time: an import parses its file in memory on the server's thread (about 13 times the file's
 * size); two at once could starve the live links and the heartbeat the vehicles watch.
 */
let importing = false;

async function handle(source: ApiSource, req: Request, res: Response): Promise<void> {
  if (importing) {
    req.resume();
    res.set("Retry-After", "30");
    sendError(res, 429, "import_busy", "another import is running: try again when it has finished");
    return;
  }
  importing = true;
  try {
    await importOne(source, req, res);
  } finally {
    importing = false;
  }
}

async function importOne(source: ApiSource, req: Request, res: Response): Promise<void> {
  const dir = path.join(source.flights.dataDir, "tmp");
  await mkdir(dir, { recursive: true });
  const got = await receive(req, dir, IMPORT_LIMIT_BYTES);
  if (!got.ok) {
    sendError(res, got.status, got.code, got.message);
    return;
  }
  const audit = (result: string, target: string, detail: Record<string, JsonValue>) => source.auth.audit.append({
    actor: req.user?.name ?? "", address: metaOf(req).address, action: "flight_imported", target, result, detail,
  });
  let report: Awaited<ReturnType<ApiSource["flights"]["importTlog"]>>;
  try {
    report = await source.flights.importTlog({ path: got.path, name: got.name.slice(-255) });
  } catch (err) {
    // A failed import is recorded too: someone tried to bring this file in.
    audit("failed", `import:${got.name}`, { sizeBytes: got.bytes, reason: String(err) });
    throw err;
  } finally {
    // The import keeps its own copy: the upload goes before anyone is told the import is done.
    await rm(got.path, { force: true });
  }
  audit(report.duplicate ? "duplicate" : "ok", `import:${report.sha256}`,
    { name: report.name, sizeBytes: report.sizeBytes, flights: report.flights.map((f) => f.id), invalid: report.invalid });
  res.status(report.duplicate ? 200 : 201).json(report);
}

/** POST /api/flights/import: a .tlog from another ground station, as multipart/form-data field "file". */
export const IMPORT_ROUTES: Route[] = [{
  method: "post",
  path: "/api/flights/import",
  access: ["reviewer"],
  query: noQuery,
  handle,
}];
