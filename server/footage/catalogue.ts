/** The footage rows and the uploads' progress (migration 15). */
import type { FootagePage, FootageProbe, FootageSummary, FootageUploadStatus, UploadState } from "../protocol";
import type { Db } from "../storage";
import { FootageDerivativeStore } from "./derivative-store";

interface FootageRow {
  id: number; sha256: string; size_bytes: number; original_name: string; sidecar_name: string | null; uploaded_by: string;
  uploaded_at: number; probe: string; deleted_at?: number | null; deletion_request?: number | null;
}

interface UploadRow {
  id: string; owner: string; original_name: string; size_bytes: number; state: UploadState; sha256: string | null;
  footage_id: number | null; message: string | null; created_at: number; updated_at: number;
}

const footageOf = (r: FootageRow): FootageSummary => ({
  id: r.id, sha256: r.sha256, sizeBytes: r.size_bytes, originalName: r.original_name, sidecarName: r.sidecar_name,
  uploadedBy: r.uploaded_by, uploadedAt: r.uploaded_at, probe: JSON.parse(r.probe) as FootageProbe,
  deleted: r.deleted_at === null || r.deleted_at === undefined ? null : { at: r.deleted_at, request: r.deletion_request ?? 0 },
});

export interface UploadRecord extends FootageUploadStatus {
  owner: string;
  sha256: string | null;
}

const uploadOf = (r: UploadRow): UploadRecord => ({
  id: r.id, owner: r.owner, state: r.state, originalName: r.original_name, sizeBytes: r.size_bytes, footageId: r.footage_id,
  message: r.message, updatedAt: r.updated_at, sha256: r.sha256,
});

export class FootageCatalogue {
  private readonly derivatives: FootageDerivativeStore;

  constructor(private readonly db: Db) {
    this.derivatives = new FootageDerivativeStore(db);
  }

  /** One footage file with its derivatives and what a player should load (the original, or its browser copy). */
  get(id: number): FootageSummary | null {
    const r = this.db.prepare<[number], FootageRow>("SELECT * FROM footage WHERE id = ?").get(id);
    if (!r) return null;
    const f = footageOf(r);
    const copy = f.probe.browserPlayable ? null : this.derivatives.browserCopy(id);
    const playback: FootageSummary["playback"] = f.probe.browserPlayable ? { source: "original" } : copy === null ? { source: "none" } : { source: "browser", derivativeId: copy };
    return { ...f, playback, derivatives: this.derivatives.of(id) };
  }

  bySha256(sha256: string): FootageSummary | null {
    const r = this.db.prepare<[string], FootageRow>("SELECT * FROM footage WHERE sha256 = ?").get(sha256);
    return r ? footageOf(r) : null;
  }

  list(offset = 0, limit = 50): FootagePage {
    const { n } = this.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM footage").get() ?? { n: 0 };
    const rows = this.db.prepare<[number, number], FootageRow>("SELECT * FROM footage ORDER BY uploaded_at DESC, id DESC LIMIT ? OFFSET ?").all(limit, offset);
    return { footage: rows.map(footageOf), total: n, offset, limit };
  }

  startUpload(id: string, owner: string, originalName: string, sizeBytes: number, now: number): void {
    this.db.prepare(`INSERT INTO footage_uploads (id, owner, original_name, size_bytes, state, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'uploading', ?, ?)`).run(id, owner, originalName, sizeBytes, now, now);
  }

  upload(id: string): UploadRecord | null {
    const r = this.db.prepare<[string], UploadRow>("SELECT * FROM footage_uploads WHERE id = ?").get(id);
    return r ? uploadOf(r) : null;
  }

  /** The uploads that became (or were recognised as) this footage: their ids are in its custody log. */
  uploadsOf(footageId: number): string[] {
    return this.db.prepare<[number], { id: string }>("SELECT id FROM footage_uploads WHERE footage_id = ? ORDER BY created_at").all(footageId).map((r) => r.id);
  }

  /** Uploads of a user not finished yet (bytes still coming, or being processed). */
  unfinished(owner?: string): UploadRecord[] {
    const rows = owner === undefined
      ? this.db.prepare<[], UploadRow>("SELECT * FROM footage_uploads WHERE state IN ('uploading', 'processing')").all()
      : this.db.prepare<[string], UploadRow>("SELECT * FROM footage_uploads WHERE owner = ? AND state IN ('uploading', 'processing')").all(owner);
    return rows.map(uploadOf);
  }

  setUpload(id: string, change: { state: UploadState; sha256?: string; footageId?: number; message?: string }, now: number): void {
    this.db.prepare(`UPDATE footage_uploads SET state = ?, sha256 = coalesce(?, sha256), footage_id = coalesce(?, footage_id),
      message = ?, updated_at = ? WHERE id = ?`).run(change.state, change.sha256 ?? null, change.footageId ?? null, change.message ?? null, now, id);
  }

  /** The stored original's row and the upload's "stored", in one transaction. */
  /** Every footage row (deleted ones too): what retention looks at. */
  all(): FootageSummary[] {
    return this.db.prepare<[], FootageRow>("SELECT * FROM footage ORDER BY id").all().map(footageOf);
  }

  /** The tombstone of footage whose bytes retention removed. */
  markDeleted(id: number, request: number, at: number): void {
    this.db.prepare("UPDATE footage SET deleted_at = ?, deletion_request = ? WHERE id = ?").run(at, request, id);
  }

  addFootage(uploadId: string, f: Omit<FootageSummary, "id" | "deleted">): FootageSummary {
    return this.db.transaction((): FootageSummary => {
      const r = this.db.prepare(`INSERT INTO footage (sha256, size_bytes, original_name, sidecar_name, uploaded_by, uploaded_at, probe)
        VALUES (?, ?, ?, ?, ?, ?, ?)`).run(f.sha256, f.sizeBytes, f.originalName, f.sidecarName, f.uploadedBy, f.uploadedAt, JSON.stringify(f.probe));
      const id = Number(r.lastInsertRowid);
      this.setUpload(uploadId, { state: "stored", footageId: id }, f.uploadedAt);
      return { ...f, id, deleted: null };
    }).immediate();
  }
}
