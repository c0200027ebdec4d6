/**
 * What happens to an upload after its last byte: its SHA-256 (worker thread) and ffprobe's reading (child process)
 * at once; refused with the reason if it is not a video; recognised if that hash is stored already; otherwise taken
 * into the evidence store write-once, catalogued, audited, and given a poster and a thumbnail strip. One upload at a
 * time: hashing a 10 GB file is one core's work for a while, and the live server needs the other.
 */
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { AuditInput } from "../audit";
import type { FootageSummary } from "../protocol";
import type { FootageCatalogue, UploadRecord } from "./catalogue";
import type { EvidenceStore } from "./evidence-store";
import { sha256OfFile } from "./hash";
import { makeThumbnails, probeFile } from "./probe";

export interface IngestDeps {
  catalogue: FootageCatalogue;
  evidence: EvidenceStore;
  /** Where posters and strips go (<dataDir>/derived/footage): rebuildable from the originals. */
  derivedDir: string;
  audit: { record(input: AuditInput): void };
  log: Logger;
  now: () => number;
  /** Removes what the upload left in the upload area (its bytes and its tus record). */
  discard(uploadId: string): Promise<void>;
  /** Told of each original stored (to queue a browser copy of one a browser cannot play); must return at once. */
  onStored?(footage: FootageSummary): void;
}

export class FootageIngest {
  private chain: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private queued = 0;

  constructor(private readonly deps: IngestDeps) {}

  /** Uploads waiting or being processed now. */
  backlog(): number {
    return this.queued;
  }

  /** Queues an upload whose bytes are all in `file`; resolves when it has been dealt with. */
  enqueue(uploadId: string, file: string): Promise<void> {
    this.queued++;
    const next = this.chain.then(() => this.process(uploadId, file)).catch((err: unknown) => {
      this.deps.log.error({ err, upload: uploadId }, "footage upload not processed: it stays in the upload area and is tried again at start");
    }).finally(() => {
      this.queued--;
    });
    this.chain = next;
    return next;
  }

  /**
   * At start: uploads that were complete but not processed when the server stopped are queued now (returns once
   * they are queued, not processed).
   */
  async recover(file: (uploadId: string) => string): Promise<void> {
    for (const u of await this.deps.catalogue.unfinished()) {
      if (u.state === "processing") void this.enqueue(u.id, file(u.id));
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.chain;
  }

  private async process(uploadId: string, file: string): Promise<void> {
    const { catalogue, log, now } = this.deps;
    const upload = await catalogue.upload(uploadId);
    if (!upload || (upload.state !== "uploading" && upload.state !== "processing")) return;
    await catalogue.setUpload(uploadId, { state: "processing" }, now());
    if (!fs.existsSync(file)) {
      // Taken in before a crash (the link made, the row not): the hash names it in the store.
      if (upload.sha256 !== null && (await this.deps.evidence.size(upload.sha256)) !== null) return this.adopted(uploadId, upload.sha256, file);
      return this.refuse(uploadId, "the uploaded bytes are gone from the upload area", upload.owner);
    }
    const [probe, hash] = await Promise.all([probeFile(file), sha256OfFile(file, this.abort.signal)]);
    if (!probe.ok) return this.refuse(uploadId, probe.reason, upload.owner, hash.sha256);
    if (hash.sizeBytes !== upload.sizeBytes) {
      return this.refuse(uploadId, `${hash.sizeBytes} bytes arrived of the ${upload.sizeBytes} announced`, upload.owner, hash.sha256);
    }
    await catalogue.setUpload(uploadId, { state: "processing", sha256: hash.sha256 }, now());
    const existing = await catalogue.bySha256(hash.sha256);
    if (existing) return this.duplicate(upload, existing, hash.sha256);
    await this.deps.evidence.adopt(file, hash.sha256);
    // The bytes are in the evidence store now (taken in, or there already): the upload area is emptied before the
    // upload can read "stored", so that nothing of it is left once it does. A crash from here on is met at restart by
    // the hash recorded above (see the start of this function).
    await this.deps.discard(uploadId).catch((err: unknown) => log.warn({ err, upload: uploadId }, "the upload area could not be emptied"));
    // Made before the upload reads "stored": the page shows the poster as soon as it is told.
    await this.thumbnails(hash.sha256, probe.probe.durationS);
    const added = await catalogue.addFootage(uploadId, {
      sha256: hash.sha256, sizeBytes: hash.sizeBytes, originalName: upload.originalName, sidecarName: null, uploadedBy: upload.owner,
      uploadedAt: now(), probe: probe.probe,
    });
    // Catalogued meanwhile from another upload of the same bytes (on another server sharing the database): the
    // same outcome as when it is seen above. The original in the evidence store is that footage's, and stays.
    if (added.duplicate) return this.duplicate(upload, added.footage, hash.sha256);
    const footage = added.footage;
    this.audit(upload.owner, "footage_stored", `footage:${footage.id}`, {
      sha256: footage.sha256, size: footage.sizeBytes, name: footage.originalName, upload: uploadId,
      codec: probe.probe.video.codec, durationS: probe.probe.durationS,
    });
    log.info({ footage: footage.id, sha256: footage.sha256, bytes: footage.sizeBytes }, "footage stored");
    this.stored(footage);
  }

  /** An upload whose bytes are stored already as `existing`: not stored twice, the upload says which it is. */
  private async duplicate(upload: UploadRecord, existing: FootageSummary, sha256: string): Promise<void> {
    await this.deps.discard(upload.id);
    const message = `already stored as footage ${existing.id} ("${existing.originalName}", uploaded by ${existing.uploadedBy})`;
    await this.deps.catalogue.setUpload(upload.id, { state: "duplicate", footageId: existing.id, message }, this.deps.now());
    this.audit(upload.owner, "footage_duplicate", `footage:${existing.id}`, { upload: upload.id, sha256, name: upload.originalName });
    this.deps.log.info({ upload: upload.id, footage: existing.id }, "footage upload is a copy of stored footage: not stored twice");
  }

  /** The hook runs after the upload reads "stored"; whatever it does, it cannot hold up or undo the ingest. */
  private stored(footage: FootageSummary): void {
    try {
      this.deps.onStored?.(footage);
    } catch (err) {
      this.deps.log.warn({ err, footage: footage.id }, "what follows a stored original could not start");
    }
  }

  /** The original was taken in but not catalogued (a crash between the two): catalogued now from a fresh probe. */
  private async adopted(uploadId: string, sha256: string, _file: string): Promise<void> {
    const original = await this.deps.evidence.locate(sha256);
    const upload = (await this.deps.catalogue.upload(uploadId))!;
    const probe = original === null ? null : await probeFile(original);
    if (!probe?.ok) return this.refuse(uploadId, "the stored original could not be read again", upload.owner, sha256);
    await this.thumbnails(sha256, probe.probe.durationS);
    const added = await this.deps.catalogue.addFootage(uploadId, {
      sha256, sizeBytes: upload.sizeBytes, originalName: upload.originalName, sidecarName: null, uploadedBy: upload.owner,
      uploadedAt: this.deps.now(), probe: probe.probe,
    });
    if (added.duplicate) return this.duplicate(upload, added.footage, sha256);
    const footage = added.footage;
    this.audit(upload.owner, "footage_stored", `footage:${footage.id}`, { sha256, size: upload.sizeBytes, name: upload.originalName, upload: uploadId, recovered: true });
    this.stored(footage);
  }

  private async refuse(uploadId: string, reason: string, owner: string, sha256?: string): Promise<void> {
    await this.deps.discard(uploadId).catch(() => undefined);
    await this.deps.catalogue.setUpload(uploadId, { state: "refused", message: reason, ...(sha256 ? { sha256 } : {}) }, this.deps.now());
    this.audit(owner, "footage_refused", `upload:${uploadId}`, { reason, ...(sha256 ? { sha256 } : {}) });
    this.deps.log.info({ upload: uploadId, reason }, "footage upload refused");
  }

  /** Poster and strip; a failure is logged (the page shows none) and does not touch the stored original. */
  async thumbnails(sha256: string, durationS: number): Promise<void> {
    const original = await this.deps.evidence.locate(sha256);
    if (original === null) return;
    const dir = path.join(this.deps.derivedDir, sha256);
    try {
      await fs.promises.mkdir(dir, { recursive: true });
      await makeThumbnails(original, durationS, path.join(dir, "poster.jpg"), path.join(dir, "strip.jpg"));
    } catch (err) {
      this.deps.log.warn({ err, sha256 }, "footage thumbnails not made");
    }
  }

  private audit(actor: string, action: AuditInput["action"], target: string, detail: NonNullable<AuditInput["detail"]>): void {
    this.deps.audit.record({ actor, address: "", action, target, result: "ok", detail });
  }
}
