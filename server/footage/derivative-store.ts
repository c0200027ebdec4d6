/** The derivative rows (migration 18): append-only, one per file made. */
import type { DerivativeKind, FootageDerivative, FootageProbe } from "../protocol";
import type { Db } from "../storage";

interface DerivativeRow {
  id: number; footage_id: number; kind: DerivativeKind; from_s: number | null; to_s: number | null; parent_sha256: string;
  sha256: string; size_bytes: number; command: string; ffmpeg_version: string; probe: string; requested_by: string;
  requested_at: number; made_at: number; reason: string;
}

const derivativeOf = (r: DerivativeRow): FootageDerivative => ({
  id: r.id, footageId: r.footage_id, kind: r.kind, fromS: r.from_s, toS: r.to_s, parentSha256: r.parent_sha256, sha256: r.sha256,
  sizeBytes: r.size_bytes, command: JSON.parse(r.command) as string[], ffmpegVersion: r.ffmpeg_version,
  probe: JSON.parse(r.probe) as FootageProbe, requestedBy: r.requested_by, requestedAt: r.requested_at, madeAt: r.made_at, reason: r.reason,
});

export class FootageDerivativeStore {
  constructor(private readonly db: Db) {}

  add(d: Omit<FootageDerivative, "id">): FootageDerivative {
    const r = this.db.prepare(`INSERT INTO footage_derivatives (footage_id, kind, from_s, to_s, parent_sha256, sha256, size_bytes, command,
      ffmpeg_version, probe, requested_by, requested_at, made_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      d.footageId, d.kind, d.fromS, d.toS, d.parentSha256, d.sha256, d.sizeBytes, JSON.stringify(d.command), d.ffmpegVersion,
      JSON.stringify(d.probe), d.requestedBy, d.requestedAt, d.madeAt, d.reason);
    return { ...d, id: Number(r.lastInsertRowid) };
  }

  get(id: number): FootageDerivative | null {
    const r = this.db.prepare<[number], DerivativeRow>("SELECT * FROM footage_derivatives WHERE id = ?").get(id);
    return r ? derivativeOf(r) : null;
  }

  /** The derivatives of one footage file, oldest first. */
  of(footageId: number): FootageDerivative[] {
    return this.db.prepare<[number], DerivativeRow>("SELECT * FROM footage_derivatives WHERE footage_id = ? ORDER BY id").all(footageId).map(derivativeOf);
  }

  /** The newest browser copy of a footage file, or null. */
  browserCopy(footageId: number): number | null {
    const r = this.db.prepare<[number], { id: number }>("SELECT max(id) AS id FROM footage_derivatives WHERE footage_id = ? AND kind = 'browser'").get(footageId);
    return r?.id ?? null;
  }
}
