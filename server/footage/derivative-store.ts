/** The derivative rows (migration 18): append-only, one per file made; on SQLite or PostgreSQL. */
import type { Kysely, Selectable } from "kysely";
import type { FootageDerivative, FootageProbe } from "../protocol";
import type { AppSql } from "../storage";
import type { FootageTables } from "./tables";

type DerivativeRow = Selectable<FootageTables["footage_derivatives"]>;

const derivativeOf = (r: DerivativeRow): FootageDerivative => ({
  id: r.id, footageId: r.footage_id, kind: r.kind, fromS: r.from_s, toS: r.to_s, parentSha256: r.parent_sha256, sha256: r.sha256,
  sizeBytes: r.size_bytes, command: JSON.parse(r.command) as string[], ffmpegVersion: r.ffmpeg_version,
  probe: JSON.parse(r.probe) as FootageProbe, requestedBy: r.requested_by, requestedAt: r.requested_at, madeAt: r.made_at, reason: r.reason,
});

/**
 * Rows are only ever added, one statement each: nothing here can race. Two servers may each make a browser copy of
 * the same footage (each queue checks its own jobs); both are kept, as evidence copies, and the newest is played.
 */
export class FootageDerivativeStore {
  private readonly db: Kysely<FootageTables>;

  constructor(sql: AppSql) {
    this.db = sql.kysely<FootageTables>();
  }

  async add(d: Omit<FootageDerivative, "id">): Promise<FootageDerivative> {
    const { id } = await this.db.insertInto("footage_derivatives").values({
      footage_id: d.footageId, kind: d.kind, from_s: d.fromS, to_s: d.toS, parent_sha256: d.parentSha256, sha256: d.sha256,
      size_bytes: d.sizeBytes, command: JSON.stringify(d.command), ffmpeg_version: d.ffmpegVersion, probe: JSON.stringify(d.probe),
      requested_by: d.requestedBy, requested_at: d.requestedAt, made_at: d.madeAt, reason: d.reason,
    }).returning("id").executeTakeFirstOrThrow();
    return { ...d, id };
  }

  async get(id: number): Promise<FootageDerivative | null> {
    const r = await this.db.selectFrom("footage_derivatives").selectAll().where("id", "=", id).executeTakeFirst();
    return r ? derivativeOf(r) : null;
  }

  /** The derivatives of one footage file, oldest first. */
  async of(footageId: number): Promise<FootageDerivative[]> {
    const rows = await this.db.selectFrom("footage_derivatives").selectAll().where("footage_id", "=", footageId).orderBy("id").execute();
    return rows.map(derivativeOf);
  }

  /** The newest browser copy of a footage file, or null. */
  async browserCopy(footageId: number): Promise<number | null> {
    const r = await this.db.selectFrom("footage_derivatives").select("id")
      .where("footage_id", "=", footageId).where("kind", "=", "browser").orderBy("id", "desc").limit(1).executeTakeFirst();
    return r?.id ?? null;
  }
}
