import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Request, Response } from "express";
import busboy from "busboy";
import type { JsonValue } from "../audit";
import type { ImportJob, ImportOutcome } from "../flights";
import type { ApiSource, Route } from "./route";
import { metaOf, noQuery, sendError } from "./route";

/** Where uploads are received, in the data directory (so the import moves the file instead of copying it). */
const UPLOADS_DIR = "tmp";

type Received = { ok: true; path: string; name: string; bytes: number } | { ok: false; status: number; code: string; message: string };

/** Streams the multipart field `file` to a temporary file in the data directory, refusing more than `limit` bytes. */
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
    let current: NodeJS.ReadableStream & { destroy(err?: Error): void } | null = null;
    // A client that goes away mid-upload: busboy then never closes, so end it here, remove the partial file and
    // free the import slot.
    req.once("close", () => {
      if (req.complete) return;
      const cut = new Error("the upload was cut off before its end");
      current?.destroy(cut);
      bb.destroy(cut);
      void (got ?? Promise.resolve(null)).then(() => resolve({ ok: false, status: 400, code: "upload_aborted", message: cut.message }));
    });
    bb.on("file", (field, stream, info) => {
      if (field !== "file") {
        stream.resume();
        return;
      }
      current = stream;
      const tmp = path.join(dir, `upload-${randomBytes(8).toString("hex")}.part`);
      let bytes = 0;
      stream.on("data", (chunk: Buffer) => { bytes += chunk.length; });
      got = pipeline(stream, createWriteStream(tmp, { flags: "wx" })).then(async (): Promise<Received> => {
        if ((stream as typeof stream & { truncated?: boolean }).truncated) {
          await rm(tmp, { force: true });
          return { ok: false, status: 413, code: "too_large", message: `file larger than ${limit} bytes (--import-max-bytes)` };
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

/** Every import is audited, refused and failed ones too: someone tried to bring this file in. */
async function auditOutcome(source: ApiSource, req: Request, got: { name: string; bytes: number }, o: ImportOutcome): Promise<void> {
  const entry = (result: string, target: string, detail: Record<string, JsonValue>) => source.auth.audit.append({
    actor: req.user?.name ?? "", address: metaOf(req).address, action: "flight_imported", target, result, detail,
  });
  if (o.ok) {
    const r = o.report;
    await entry(r.duplicate ? "duplicate" : "ok", `import:${r.sha256}`,
      { name: r.name, sizeBytes: r.sizeBytes, flights: r.flights.map((f) => f.id), invalid: r.invalid });
  } else {
    await entry(o.status === 422 ? "refused" : "failed", `import:${got.name}`, { sizeBytes: got.bytes, reason: o.message });
  }
}

function answer(res: Response, o: ImportOutcome): void {
  if (o.ok) res.status(o.status).json(o.report);
  else sendError(res, o.status, o.code, o.message);
}

/** RFC 7240: the client would rather have 202 and a job to poll than wait for the whole import. */
const wantsAsync = (req: Request) => /(^|[\s,;])respond-async([\s,;]|$)/i.test(req.get("prefer") ?? "");

async function handle(source: ApiSource, req: Request, res: Response): Promise<void> {
  const imports = source.flights.imports;
  // Claimed before the upload is read: a second upload is refused before it is sent, not after.
  const slot = imports.claim();
  if (slot === null) {
    req.resume();
    res.set("Retry-After", "30");
    sendError(res, 429, "import_busy", "another import is running: try again when it has finished");
    return;
  }
  let job: ImportJob;
  let got: Received;
  try {
    const dir = path.join(source.flights.dataDir, UPLOADS_DIR);
    await mkdir(dir, { recursive: true });
    got = await receive(req, dir, imports.maxBytes);
    if (!got.ok) {
      sendError(res, got.status, got.code, got.message);
      return;
    }
    job = slot.start({ path: got.path, name: got.name.slice(-255), move: true }, req.user?.name ?? "");
  } finally {
    slot.release();
  }
  const received = got;
  const done = job.done.then(async (o) => {
    await auditOutcome(source, req, received, o);
    return o;
  });
  if (wantsAsync(req)) {
    // Nobody awaits it here: an audit that cannot be written (the audit log logs it) must not take the server down
    // (the sync path gets a 500).
    done.catch(() => {});
    res.status(202).location(`/api/flights/import/${job.id}`).json(job.status());
    return;
  }
  answer(res, await done);
}

/**
 * POST /api/flights/import: a .tlog from another ground station, as multipart/form-data field "file". Answers
 * with the import report once done (201, 200 for a file imported before, 422 for a file with no MAVLink), or at
 * once with 202 and the job to poll when sent with `Prefer: respond-async`.
 * GET /api/flights/import/:id: that job's progress, then its outcome (ImportJobStatus).
 */
export const IMPORT_ROUTES: Route[] = [{
  method: "post",
  path: "/api/flights/import",
  access: ["reviewer"],
  query: noQuery,
  handle,
}, {
  method: "get",
  path: "/api/flights/import/:id",
  access: ["reviewer"],
  query: noQuery,
  handle(source, req, res) {
    const id = String(req.params.id ?? "");
    const job = source.flights.imports.get(id, req.user?.name ?? "");
    if (job === null) {
      sendError(res, 404, "import_not_found", `no import ${id.slice(0, 40)} of yours (finished ones are kept 15 minutes)`);
      return;
    }
    res.json(job.status());
  },
}];
