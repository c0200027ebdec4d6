/**
 * The resumable upload endpoint (tus 1.0, @tus/server with its file store under <dataDir>/uploads). The HTTP layer
 * has checked the session and the role before a request gets here; this adds who may touch which upload (its
 * owner only), the bounds (size, unfinished uploads per user and in all, free disk), and hands a finished upload to
 * the ingest. An upload not finished within a week is deleted by the periodic clean-up.
 */
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { FileStore } from "@tus/file-store";
import { Server } from "@tus/server";
import type { Upload } from "@tus/utils";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { FootageCatalogue } from "./catalogue";
import type { FootageIngest } from "./ingest";

export const UPLOAD_PATH = "/api/footage/uploads";
/** Unfinished uploads one user may have (an SD card's worth of files at once), and all users together. */
export const MAX_UNFINISHED_PER_USER = 32;
export const MAX_UNFINISHED = 128;
/** Room left on the disk after an upload: the database, flights being recorded and the audit log need it. */
export const DISK_RESERVE_BYTES = 2 * 1024 ** 3;
export const UPLOAD_EXPIRY_MS = 7 * 24 * 3_600_000;
const MAX_NAME_CHARS = 255;

export interface UploadsDeps {
  uploadsDir: string;
  maxBytes: number;
  catalogue: FootageCatalogue;
  ingest: FootageIngest;
  audit: { append(input: AuditInput): unknown };
  log: Logger;
  now: () => number;
  /** Free bytes on the data directory's disk (statfs), measured when an upload is announced. */
  freeBytes?: () => Promise<number>;
}

/**
 * The tus file store, without its own creation of the directory: that runs in an fs callback that throws (an
 * uncaught exception, the server down) if the directory cannot be made. The directory is made here first, synchronously,
 * where a failure is an ordinary start-up error.
 */
class UploadStore extends FileStore {}
Object.defineProperty(UploadStore.prototype, "checkOrCreateDirectory", { value: () => undefined });

/** A refusal tus sends as the response (status and a sentence). */
const refusal = (status_code: number, body: string) => ({ status_code, body: `${body}\n` });

/** The user the HTTP layer signed in (set on the Node request before tus sees it). */
function userOf(req: Request): { name: string; address: string } {
  const node = (req as unknown as { runtime?: { node?: { req?: IncomingMessage & { user?: { name: string }; ip?: string } } } }).runtime?.node?.req;
  const name = node?.user?.name;
  if (!name) throw refusal(401, "not signed in");
  return { name, address: node.ip ?? node.socket.remoteAddress ?? "" };
}

/** A file name as given by the browser: kept as text, never used as a path. */
export function cleanName(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  // Control characters (a newline in a name would forge lines in a log or a CSV) are dropped.
  const name = [...raw].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join("").trim();
  return name.length === 0 || name.length > MAX_NAME_CHARS ? null : name;
}

async function statfsFree(dir: string): Promise<number> {
  const s = await fs.promises.statfs(dir);
  return s.bavail * s.bsize;
}

export class FootageUploads {
  readonly store: FileStore;
  private readonly tus: Server;
  private readonly freeBytes: () => Promise<number>;

  constructor(private readonly deps: UploadsDeps) {
    fs.mkdirSync(deps.uploadsDir, { recursive: true });
    this.freeBytes = deps.freeBytes ?? (() => statfsFree(deps.uploadsDir));
    this.store = new UploadStore({ directory: deps.uploadsDir, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
    this.tus = new Server({
      path: UPLOAD_PATH,
      datastore: this.store,
      maxSize: deps.maxBytes,
      relativeLocation: true,
      // Same origin only (the HTTP layer refuses foreign origins): no CORS header at all.
      allowedOrigins: [],
      disableTerminationForFinishedUploads: true,
      onIncomingRequest: (req, id) => this.owned(req, id),
      onUploadCreate: (req, upload) => this.create(req, upload),
      onUploadFinish: async (_req, upload) => {
        // Answered at once; the hash of a large file takes a while. The page follows GET /api/footage/ingest/:id.
        void this.deps.ingest.enqueue(upload.id, this.fileOf(upload.id));
        return {};
      },
      onResponseError: (_req, err) => {
        if ((err as { code?: string }).code !== "ENOSPC") return undefined;
        this.deps.log.error({ err }, "footage upload stopped: the disk is full");
        return refusal(507, "the server's disk is full: the upload is kept and can resume when there is room");
      },
    });
  }

  /** The bytes of an upload in the upload area. */
  fileOf(uploadId: string): string {
    return path.join(this.deps.uploadsDir, uploadId);
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.tus.handle(req, res);
  }

  /** Deletes what an upload left in the upload area (bytes and tus record); no error if already gone. */
  async discard(uploadId: string): Promise<void> {
    await fs.promises.rm(this.fileOf(uploadId), { force: true });
    await fs.promises.rm(`${this.fileOf(uploadId)}.json`, { force: true });
  }

  /** Unfinished uploads older than the expiry: their bytes go, their row says so. */
  async cleanUp(): Promise<number> {
    const removed = await this.store.deleteExpired();
    for (const u of this.deps.catalogue.unfinished()) {
      if (u.state === "uploading" && this.deps.now() - u.updatedAt > UPLOAD_EXPIRY_MS && !fs.existsSync(this.fileOf(u.id))) {
        this.deps.catalogue.setUpload(u.id, { state: "refused", message: "not finished within 7 days: deleted" }, this.deps.now());
      }
    }
    return removed;
  }

  /** Continuing, or asking about, an upload is its owner's alone; to others it does not exist. */
  private owned(req: Request, id: string): Promise<void> {
    const user = userOf(req);
    if (req.method === "POST" || req.method === "OPTIONS") return Promise.resolve();
    const upload = this.deps.catalogue.upload(id);
    if (!upload || upload.owner !== user.name) return Promise.reject(refusal(404, "no such upload"));
    if (upload.state !== "uploading" && req.method === "PATCH") return Promise.reject(refusal(409, `this upload is ${upload.state}`));
    return Promise.resolve();
  }

  private async create(req: Request, upload: Upload): Promise<{ metadata: Record<string, string> }> {
    const user = userOf(req);
    const name = cleanName(upload.metadata?.["filename"]);
    if (name === null) throw refusal(400, `a file name of 1 to ${MAX_NAME_CHARS} characters is needed (metadata "filename")`);
    if (upload.sizeIsDeferred || upload.size === undefined) throw refusal(400, "the file's size must be given when the upload starts (Upload-Length)");
    if (upload.size === 0) throw refusal(400, `${name} is empty`);
    const mine = this.deps.catalogue.unfinished(user.name).length;
    if (mine >= MAX_UNFINISHED_PER_USER) throw refusal(429, `you have ${mine} uploads not finished (at most ${MAX_UNFINISHED_PER_USER}): finish or wait for some`);
    if (this.deps.catalogue.unfinished().length >= MAX_UNFINISHED) throw refusal(503, "the server has too many uploads in progress: try again later");
    const free = await this.freeBytes();
    if (free - upload.size < DISK_RESERVE_BYTES) {
      this.deps.log.warn({ free, size: upload.size }, "footage upload refused: not enough disk");
      throw refusal(507, `not enough room on the server for ${name} (${upload.size} bytes; ${Math.max(0, free - DISK_RESERVE_BYTES)} free for footage)`);
    }
    this.deps.catalogue.startUpload(upload.id, user.name, name, upload.size, this.deps.now());
    this.deps.audit.append({ actor: user.name, address: user.address, action: "footage_upload_started", target: `upload:${upload.id}`, result: "ok",
      detail: { name, size: upload.size } });
    // Whatever the browser said, the owner is who is signed in.
    return { metadata: { ...(upload.metadata as Record<string, string>), filename: name, owner: user.name } };
  }
}
