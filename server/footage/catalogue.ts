/**
 * The footage rows and the uploads' progress (migration 15), on SQLite or PostgreSQL.
 *
 * Several servers may share one PostgreSQL: the bounds on unfinished uploads are checked and the upload's row
 * written under one advisory lock (on SQLite, BEGIN IMMEDIATE already makes writers take turns), and an original
 * catalogued by another server first (footage.sha256 is unique) comes back as the footage it already is, as when
 * its row was seen before.
 */
import type { Kysely, Selectable } from "kysely";
import type { FootagePage, FootageProbe, FootageSummary, FootageUploadStatus, UploadState } from "../protocol";
import { isUniqueViolation } from "../storage";
import type { AppSql } from "../storage";
import { FootageDerivativeStore } from "./derivative-store";
import type { FootageTables } from "./tables";

type FootageRow = Selectable<FootageTables["footage"]>;
type UploadRow = Selectable<FootageTables["footage_uploads"]>;

/** Taken by every start of an upload: "at most N unfinished" spans rows, and no one row can hold it. */
const UPLOADS_LOCK = "dmc:footage-uploads";

const UNFINISHED: UploadState[] = ["uploading", "processing"];

const footageOf = (r: FootageRow): FootageSummary => ({
  id: r.id, sha256: r.sha256, sizeBytes: r.size_bytes, originalName: r.original_name, sidecarName: r.sidecar_name,
  uploadedBy: r.uploaded_by, uploadedAt: r.uploaded_at, probe: JSON.parse(r.probe) as FootageProbe,
  deleted: r.deleted_at === null ? null : { at: r.deleted_at, request: r.deletion_request ?? 0 },
});

export interface UploadRecord extends FootageUploadStatus {
  owner: string;
  sha256: string | null;
}

const uploadOf = (r: UploadRow): UploadRecord => ({
  id: r.id, owner: r.owner, state: r.state, originalName: r.original_name, sizeBytes: r.size_bytes, footageId: r.footage_id,
  message: r.message, updatedAt: r.updated_at, sha256: r.sha256,
});

/** Unfinished uploads allowed: one user's, and everyone's together. */
export interface UploadLimits {
  perUser: number;
  total: number;
}

/** A bound an upload's start would pass: the user's own, or the server's; with the unfinished uploads counted. */
export interface UploadLimitHit {
  limit: "user" | "server";
  unfinished: number;
}

/** What adding an original did: stored it, or found it stored already (by this server or another) under its hash. */
export interface AddedFootage {
  footage: FootageSummary;
  duplicate: boolean;
}

export interface UploadChange {
  state: UploadState;
  sha256?: string;
  footageId?: number;
  message?: string;
}

export class FootageCatalogue {
  private readonly db: Kysely<FootageTables>;
  private readonly derivatives: FootageDerivativeStore;

  constructor(private readonly sql: AppSql) {
    this.db = sql.kysely<FootageTables>();
    this.derivatives = new FootageDerivativeStore(sql);
  }

  /** One footage file with its derivatives and what a player should load (the original, or its browser copy). */
  async get(id: number): Promise<FootageSummary | null> {
    const r = await this.db.selectFrom("footage").selectAll().where("id", "=", id).executeTakeFirst();
    if (!r) return null;
    const f = footageOf(r);
    const derivatives = await this.derivatives.of(id);
    // The newest browser copy (rows come oldest first).
    const copy = derivatives.filter((d) => d.kind === "browser").at(-1)?.id ?? null;
    const playback: FootageSummary["playback"] = f.probe.browserPlayable ? { source: "original" } : copy === null ? { source: "none" } : { source: "browser", derivativeId: copy };
    return { ...f, playback, derivatives };
  }

  async bySha256(sha256: string): Promise<FootageSummary | null> {
    const r = await this.db.selectFrom("footage").selectAll().where("sha256", "=", sha256).executeTakeFirst();
    return r ? footageOf(r) : null;
  }

  async list(offset = 0, limit = 50): Promise<FootagePage> {
    const { n } = await this.db.selectFrom("footage").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const rows = await this.db.selectFrom("footage").selectAll().orderBy("uploaded_at", "desc").orderBy("id", "desc").limit(limit).offset(offset).execute();
    return { footage: rows.map(footageOf), total: Number(n), offset, limit };
  }

  /**
   * The bound an upload's start would pass now, or null (a check before the disk is looked at; `startUpload`
   * checks again as it writes the row).
   */
  async limitReached(owner: string, limits: UploadLimits): Promise<UploadLimitHit | null> {
    return limitHit(this.db, owner, limits);
  }

  /**
   * Records an upload's start. With `limits`: only if the owner's unfinished uploads, and everyone's, stay within
   * them, counted and written under one lock, so that starts racing on several servers cannot all pass the count.
   * Returns the bound passed, or null when the upload was recorded.
   */
  async startUpload(id: string, owner: string, originalName: string, sizeBytes: number, now: number, limits?: UploadLimits): Promise<UploadLimitHit | null> {
    const row = { id, owner, original_name: originalName, size_bytes: sizeBytes, state: "uploading" as const, created_at: now, updated_at: now };
    if (!limits) {
      await this.db.insertInto("footage_uploads").values(row).execute();
      return null;
    }
    return this.sql.exclusive(this.db, UPLOADS_LOCK, async (tx) => {
      const hit = await limitHit(tx, owner, limits);
      if (hit) return hit;
      await tx.insertInto("footage_uploads").values(row).execute();
      return null;
    });
  }

  async upload(id: string): Promise<UploadRecord | null> {
    const r = await this.db.selectFrom("footage_uploads").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? uploadOf(r) : null;
  }

  /** The uploads that became (or were recognised as) this footage: their ids are in its custody log. */
  async uploadsOf(footageId: number): Promise<string[]> {
    const rows = await this.db.selectFrom("footage_uploads").select("id").where("footage_id", "=", footageId).orderBy("created_at").orderBy("id").execute();
    return rows.map((r) => r.id);
  }

  /** Uploads of a user not finished yet (bytes still coming, or being processed). */
  async unfinished(owner?: string): Promise<UploadRecord[]> {
    const rows = await this.db.selectFrom("footage_uploads").selectAll().where("state", "in", UNFINISHED)
      .$if(owner !== undefined, (b) => b.where("owner", "=", owner!)).execute();
    return rows.map(uploadOf);
  }

  async setUpload(id: string, change: UploadChange, now: number): Promise<void> {
    await setUploadIn(this.db, id, change, now);
  }

  /** Every footage row (deleted ones too): what retention looks at. */
  async all(): Promise<FootageSummary[]> {
    return (await this.db.selectFrom("footage").selectAll().orderBy("id").execute()).map(footageOf);
  }

  /** The tombstone of footage whose bytes retention removed. */
  async markDeleted(id: number, request: number, at: number): Promise<void> {
    await this.db.updateTable("footage").set({ deleted_at: at, deletion_request: request }).where("id", "=", id).execute();
  }

  /**
   * The stored original's row and the upload's "stored", in one transaction. An original already catalogued under
   * the same SHA-256 (seen here, or inserted by another server a moment before) is not stored twice: the footage
   * it already is comes back with `duplicate`, and the upload's row is left to the caller.
   */
  async addFootage(uploadId: string, f: Omit<FootageSummary, "id" | "deleted">): Promise<AddedFootage> {
    try {
      return await this.db.transaction().execute(async (tx): Promise<AddedFootage> => {
        const seen = await tx.selectFrom("footage").selectAll().where("sha256", "=", f.sha256).executeTakeFirst();
        if (seen) return { footage: footageOf(seen), duplicate: true };
        const { id } = await tx.insertInto("footage").values({
          sha256: f.sha256, size_bytes: f.sizeBytes, original_name: f.originalName, sidecar_name: f.sidecarName, uploaded_by: f.uploadedBy,
          uploaded_at: f.uploadedAt, probe: JSON.stringify(f.probe),
        }).returning("id").executeTakeFirstOrThrow();
        await setUploadIn(tx, uploadId, { state: "stored", footageId: id }, f.uploadedAt);
        return { footage: { ...f, id, deleted: null }, duplicate: false };
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Another server's insert of the same hash committed while this one waited on it.
      const other = await this.bySha256(f.sha256);
      if (!other) throw err;
      return { footage: other, duplicate: true };
    }
  }
}

async function limitHit(db: Kysely<FootageTables>, owner: string, limits: UploadLimits): Promise<UploadLimitHit | null> {
  const count = async (of?: string) => Number((await db.selectFrom("footage_uploads").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("state", "in", UNFINISHED).$if(of !== undefined, (b) => b.where("owner", "=", of!)).executeTakeFirstOrThrow()).n);
  const mine = await count(owner);
  if (mine >= limits.perUser) return { limit: "user", unfinished: mine };
  const all = await count();
  return all >= limits.total ? { limit: "server", unfinished: all } : null;
}

async function setUploadIn(db: Kysely<FootageTables>, id: string, change: UploadChange, now: number): Promise<void> {
  // An absent sha256 or footage id keeps what the row has.
  await db.updateTable("footage_uploads").set({
    state: change.state, message: change.message ?? null, updated_at: now,
    ...(change.sha256 !== undefined ? { sha256: change.sha256 } : {}),
    ...(change.footageId !== undefined ? { footage_id: change.footageId } : {}),
  }).where("id", "=", id).execute();
}
