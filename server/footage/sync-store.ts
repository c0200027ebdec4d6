/** Sidecars and sync offsets (migration 16): both only ever added; the newest offset per flight is the one in force. */
import type { FootageSync, SyncSource } from "../protocol";
import type { Db } from "../storage";

export interface Sidecar {
  footageId: number;
  sha256: string;
  name: string;
  sizeBytes: number;
  frames: number;
  addedBy: string;
  addedAt: number;
}

interface SyncRow { id: number; footage_id: number; flight_id: number; starts_at: number; source: string; detail: string; set_by: string; set_at: number; reason: string | null }
interface SidecarRow { footage_id: number; sha256: string; name: string; size_bytes: number; frames: number; added_by: string; added_at: number }

const syncOf = (r: SyncRow): FootageSync => ({
  id: r.id, footageId: r.footage_id, flightId: r.flight_id, startsAt: r.starts_at, source: r.source as SyncSource, detail: r.detail,
  setBy: r.set_by, setAt: r.set_at, reason: r.reason,
});

/** Offsets kept per footage file: far beyond what reviewers set by hand, a bound on a script that loops. */
export const MAX_SYNCS_PER_FOOTAGE = 1000;

export class FootageSyncStore {
  constructor(private readonly db: Db) {}

  addSidecar(s: Sidecar): void {
    this.db.prepare("INSERT INTO footage_sidecars (footage_id, sha256, name, size_bytes, frames, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
      .run(s.footageId, s.sha256, s.name, s.sizeBytes, s.frames, s.addedBy, s.addedAt);
  }

  sidecar(footageId: number): Sidecar | null {
    const r = this.db.prepare<[number], SidecarRow>("SELECT * FROM footage_sidecars WHERE footage_id = ?").get(footageId);
    return r ? { footageId: r.footage_id, sha256: r.sha256, name: r.name, sizeBytes: r.size_bytes, frames: r.frames, addedBy: r.added_by, addedAt: r.added_at } : null;
  }

  /** Adds an offset; null when the footage already has MAX_SYNCS_PER_FOOTAGE. */
  add(s: Omit<FootageSync, "id">): FootageSync | null {
    return this.db.transaction((): FootageSync | null => {
      const { n } = this.db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM footage_sync WHERE footage_id = ?").get(s.footageId) ?? { n: 0 };
      if (n >= MAX_SYNCS_PER_FOOTAGE) return null;
      const r = this.db.prepare("INSERT INTO footage_sync (footage_id, flight_id, starts_at, source, detail, set_by, set_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .run(s.footageId, s.flightId, s.startsAt, s.source, s.detail, s.setBy, s.setAt, s.reason);
      return { ...s, id: Number(r.lastInsertRowid) };
    }).immediate();
  }

  /** Every offset of a footage file, oldest first. */
  history(footageId: number): FootageSync[] {
    return this.db.prepare<[number], SyncRow>("SELECT * FROM footage_sync WHERE footage_id = ? ORDER BY id").all(footageId).map(syncOf);
  }

  /** The offset in force per flight (the newest) of a footage file. */
  current(footageId: number): FootageSync[] {
    const newest = new Map<number, FootageSync>();
    for (const s of this.history(footageId)) newest.set(s.flightId, s);
    return [...newest.values()];
  }

  /** The footage placed on a flight, with the offset in force for each. */
  ofFlight(flightId: number): FootageSync[] {
    const rows = this.db.prepare<[number], SyncRow>("SELECT * FROM footage_sync WHERE flight_id = ? ORDER BY id").all(flightId);
    const newest = new Map<number, FootageSync>();
    for (const r of rows) newest.set(r.footage_id, syncOf(r));
    return [...newest.values()];
  }
}
