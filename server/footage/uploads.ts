/**
 * The resumable upload endpoint (tus 1.0, @tus/server with its file store under <dataDir>/uploads). The HTTP layer
 * has checked the session and the role before a request gets here; this adds who may touch which upload (its
 * owner only), the bounds (size, unfinished uploads per user and in all, free disk), and hands a finished upload to
 * the ingest. An upload not finished within a week is deleted by the periodic clean-up.
 */
import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { Transform } from "node:stream";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FileStore } from "@tus/file-store";
import { Server } from "@tus/server";
import type { Upload } from "@tus/utils";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { FootageCatalogue, UploadLimitHit, UploadLimits } from "./catalogue";
import type { FootageIngest } from "./ingest";

export const UPLOAD_PATH = "/api/footage/uploads";
/** Unfinished uploads one user may have (an SD card's worth of files at once), and all users together. */
export const MAX_UNFINISHED_PER_USER = 32;
export const MAX_UNFINISHED = 128;
const LIMITS: UploadLimits = { perUser: MAX_UNFINISHED_PER_USER, total: MAX_UNFINISHED };
/** Room left on the disk after an upload: the database, flights being recorded and the audit log need it. */
export const DISK_RESERVE_BYTES = 2 * 1024 ** 3;
export const UPLOAD_EXPIRY_MS = 7 * 24 * 3_600_000;
/** While uploads are refused for lack of room, how often the disk is looked at again to end the alert. */
export const DISK_RECHECK_MS = 30_000;
const MAX_NAME_CHARS = 255;

export interface UploadsDeps {
  uploadsDir: string;
  maxBytes: number;
  catalogue: FootageCatalogue;
  ingest: FootageIngest;
  audit: { record(input: AuditInput): void };
  log: Logger;
  now: () => number;
  /** Free bytes on the data directory's disk (statfs), measured when an upload is announced. */
  freeBytes?: () => Promise<number>;
}

/** A refusal tus sends as the response (status and a sentence). */
const refusal = (status_code: number, body: string) => ({ status_code, body: `${body}\n` });

const DISK_FULL = "the server's disk is full: the bytes received so far are kept and the upload can resume when there is room";
const isDiskFull = (err: unknown) => ["ENOSPC", "EDQUOT"].includes((err as NodeJS.ErrnoException | null)?.code ?? "");

const overLimit = (hit: UploadLimitHit) => hit.limit === "user"
  ? refusal(429, `you have ${hit.unfinished} uploads not finished (at most ${MAX_UNFINISHED_PER_USER}): finish or wait for some`)
  : refusal(503, "the server has too many uploads in progress: try again later");

/**
 * The tus file store, without its own creation of the directory: that runs in an fs callback that throws (an
 * uncaught exception, the server down) if the directory cannot be made. The directory is made here first, synchronously,
 * where a failure is an ordinary start-up error. Its write is the file store's own but for the error: the file store
 * turns every failure into a 500, and a full disk must say so (507) and raise the alert.
 */
class UploadStore extends FileStore {
  onDiskFull: () => void = () => undefined;

  override async write(readable: Readable, fileId: string, offset: number): Promise<number> {
    const out = fs.createWriteStream(path.join(this.directory, fileId), { flags: "r+", start: offset });
    let received = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        done(null, chunk);
      },
    });
    // Piped by hand, not through pipeline: a failed write must not destroy the request's body (see drain).
    readable.pipe(count);
    try {
      await pipeline(count, out);
    } catch (err) {
      // What reached the disk stays: the offset a HEAD reports is the file's size, and the upload resumes from there.
      // As the file store answers any other failure (a client gone mid-request, mostly).
      if (!isDiskFull(err)) {
        readable.destroy();
        throw refusal(500, "Something went wrong receiving the file");
      }
      this.onDiskFull();
      await drain(readable, count);
      throw refusal(507, DISK_FULL);
    }
    return offset + received;
  }
}

/** Longest the rest of a refused chunk is read and dropped for, before the answer goes out anyway. */
const DRAIN_MS = 30_000;

/**
 * Reads the rest of a chunk the disk could not take, and drops it, so that the client has sent its whole request
 * when it reads the 507: answered in the middle of its body, the connection closed under it and the client saw a
 * reset instead of the reason. At most one chunk (the client's chunk size) and DRAIN_MS; the bytes are not kept
 * (the upload resumes from what reached the disk).
 */
async function drain(readable: Readable, from: Transform): Promise<void> {
  readable.unpipe(from);
  if (readable.readableEnded || readable.destroyed) return;
  await new Promise<void>((resolve) => {
    const done = (): void => { clearTimeout(timer); resolve(); };
    const timer = setTimeout(() => { readable.destroy(); resolve(); }, DRAIN_MS);
    readable.once("end", done).once("close", done).once("error", done);
    readable.resume();
  });
}
Object.defineProperty(UploadStore.prototype, "checkOrCreateDirectory", { value: () => undefined });

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

/** Told when uploads start being refused for lack of room (the problem in words) and when there is room again (null). */
export type DiskListener = (problem: string | null) => void;

export class FootageUploads {
  readonly store: FileStore;
  private readonly tus: Server;
  private freeBytes: () => Promise<number>;
  private diskListener: DiskListener = () => undefined;
  /** Bytes the last refused upload still needed (beyond the reserve) while the disk is short, else null. */
  private shortBy: number | null = null;
  private recheck: NodeJS.Timeout | null = null;

  constructor(private readonly deps: UploadsDeps) {
    fs.mkdirSync(deps.uploadsDir, { recursive: true });
    this.freeBytes = deps.freeBytes ?? (() => statfsFree(deps.uploadsDir));
    const store = new UploadStore({ directory: deps.uploadsDir, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
    store.onDiskFull = () => this.diskShort(0, "the disk filled up while an upload was being written");
    this.store = store;
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
        if (!isDiskFull(err)) return undefined;
        this.diskShort(0, "the disk filled up while an upload was being written");
        return refusal(507, DISK_FULL);
      },
    });
  }

  /**
   * Who hears about a disk too full for uploads (the alert), and optionally where free space is read (tests stand
   * in for a full disk). Returns the function that stops the watch.
   */
  watchDisk(listener: DiskListener, freeBytes?: () => Promise<number>): () => void {
    this.diskListener = listener;
    if (freeBytes) this.freeBytes = freeBytes;
    return () => {
      this.diskListener = () => undefined;
      if (this.recheck) clearInterval(this.recheck);
      this.recheck = null;
    };
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
    for (const u of await this.deps.catalogue.unfinished()) {
      if (u.state === "uploading" && this.deps.now() - u.updatedAt > UPLOAD_EXPIRY_MS && !fs.existsSync(this.fileOf(u.id))) {
        await this.deps.catalogue.setUpload(u.id, { state: "refused", message: "not finished within 7 days: deleted" }, this.deps.now());
      }
    }
    return removed;
  }

  /** Continuing, or asking about, an upload is its owner's alone; to others it does not exist. */
  private async owned(req: Request, id: string): Promise<void> {
    const user = userOf(req);
    if (req.method === "POST" || req.method === "OPTIONS") return;
    const upload = await this.deps.catalogue.upload(id);
    if (!upload || upload.owner !== user.name) throw refusal(404, "no such upload");
    if (upload.state !== "uploading" && req.method === "PATCH") throw refusal(409, `this upload is ${upload.state}`);
    if (req.method === "PATCH") await this.roomToContinue(upload.sizeBytes, Number(req.headers.get("upload-offset") ?? 0));
  }

  /**
   * Before more bytes of an upload are taken: the rest of it must still fit above the reserve, or the PATCH is refused
   * with 507 before a byte is written. The upload stays as it is and resumes from its offset once there is room.
   */
  private async roomToContinue(size: number, offset: number): Promise<void> {
    const rest = Math.max(0, size - (Number.isSafeInteger(offset) ? offset : 0));
    const free = await this.freeBytes();
    if (free - rest >= DISK_RESERVE_BYTES) {
      this.diskOk(free);
      return;
    }
    this.diskShort(rest, `${free} bytes free, ${rest} more needed by an upload, ${DISK_RESERVE_BYTES} kept in reserve`);
    throw refusal(507, `not enough room on the server to continue (${rest} bytes to come, ${Math.max(0, free - DISK_RESERVE_BYTES)} free for footage): `
      + "the bytes received so far are kept and the upload can resume when there is room");
  }

  /** Uploads refused for lack of room: the alert is raised (once) and the disk looked at again until there is room. */
  private diskShort(needed: number, why: string): void {
    const first = this.shortBy === null;
    this.shortBy = Math.max(needed, this.shortBy ?? 0);
    this.deps.log.warn({ needed, why }, "footage upload refused: not enough disk");
    if (!first) return;
    this.diskListener(`Disk full for footage: uploads are refused (${why}). Uploads already started are kept and resume when room is made.`);
    this.recheck = setInterval(() => {
      this.freeBytes().then((free) => this.diskOk(free), (err: unknown) => this.deps.log.warn({ err }, "free disk space could not be read"));
    }, DISK_RECHECK_MS);
    this.recheck.unref();
  }

  /** Room again for what was refused: the alert ends. */
  private diskOk(free: number): void {
    if (this.shortBy === null || free - this.shortBy < DISK_RESERVE_BYTES) return;
    this.shortBy = null;
    if (this.recheck) clearInterval(this.recheck);
    this.recheck = null;
    this.deps.log.info({ free }, "room on the disk for footage again");
    this.diskListener(null);
  }

  private async create(req: Request, upload: Upload): Promise<{ metadata: Record<string, string> }> {
    const user = userOf(req);
    const name = cleanName(upload.metadata?.["filename"]);
    if (name === null) throw refusal(400, `a file name of 1 to ${MAX_NAME_CHARS} characters is needed (metadata "filename")`);
    if (upload.sizeIsDeferred || upload.size === undefined) throw refusal(400, "the file's size must be given when the upload starts (Upload-Length)");
    if (upload.size === 0) throw refusal(400, `${name} is empty`);
    const over = await this.deps.catalogue.limitReached(user.name, LIMITS);
    if (over) throw overLimit(over);
    const free = await this.freeBytes();
    if (free - upload.size < DISK_RESERVE_BYTES) {
      // One file too big for what is left is its uploader's problem; a disk down to its reserve is everyone's (the alert).
      if (free < DISK_RESERVE_BYTES) this.diskShort(0, `${free} bytes free, ${DISK_RESERVE_BYTES} kept in reserve`);
      else this.deps.log.warn({ free, size: upload.size }, "footage upload refused: not enough disk");
      throw refusal(507, `not enough room on the server for ${name} (${upload.size} bytes; ${Math.max(0, free - DISK_RESERVE_BYTES)} free for footage)`);
    }
    this.diskOk(free);
    // Counted again as the row is written, under a lock: starts racing this one (here or on another server sharing
    // the database) passed the check above too, and only as many as the bounds allow may be recorded.
    const hit = await this.deps.catalogue.startUpload(upload.id, user.name, name, upload.size, this.deps.now(), LIMITS);
    if (hit) throw overLimit(hit);
    this.deps.audit.record({ actor: user.name, address: user.address, action: "footage_upload_started", target: `upload:${upload.id}`, result: "ok",
      detail: { name, size: upload.size } });
    // Whatever the browser said, the owner is who is signed in.
    return { metadata: { ...(upload.metadata as Record<string, string>), filename: name, owner: user.name } };
  }
}
