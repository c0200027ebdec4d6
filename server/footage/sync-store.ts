/**
 * Sidecars and sync offsets (migration 16), on SQLite or PostgreSQL: both only ever added; the newest offset per
 * flight is the one in force.
 *
 * Several servers may share one PostgreSQL: an offset is counted against the bound with its footage's row locked
 * (SELECT ... FOR UPDATE; SQLite's BEGIN IMMEDIATE already serialises writers), and a footage file has one sidecar
 * (its primary key), so a second one racing in is refused as when the first was seen before.
 */
import type { Kysely, Selectable } from "kysely";
import type { FootageSync, SyncSource } from "../protocol";
import { isUniqueViolation } from "../storage";
import type { AppSql } from "../storage";
import type { FootageTables } from "./tables";

export interface Sidecar {
  footageId: number;
  sha256: string;
  name: string;
  sizeBytes: number;
  frames: number;
  addedBy: string;
  addedAt: number;
}

type SyncRow = Selectable<FootageTables["footage_sync"]>;

const syncOf = (r: SyncRow): FootageSync => ({
  id: r.id, footageId: r.footage_id, flightId: r.flight_id, startsAt: r.starts_at, source: r.source as SyncSource, detail: r.detail,
  setBy: r.set_by, setAt: r.set_at, reason: r.reason,
});

/** Offsets kept per footage file: far beyond what reviewers set by hand, a bound on a script that loops. */
export const MAX_SYNCS_PER_FOOTAGE = 1000;

export class FootageSyncStore {
  private readonly db: Kysely<FootageTables>;

  constructor(private readonly sql: AppSql) {
    this.db = sql.kysely<FootageTables>();
  }

  /** Stores the sidecar of a footage file; false when it has one already (however recently added). */
  async addSidecar(s: Sidecar): Promise<boolean> {
    try {
      await this.db.insertInto("footage_sidecars").values({
        footage_id: s.footageId, sha256: s.sha256, name: s.name, size_bytes: s.sizeBytes, frames: s.frames, added_by: s.addedBy, added_at: s.addedAt,
      }).execute();
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  async sidecar(footageId: number): Promise<Sidecar | null> {
    const r = await this.db.selectFrom("footage_sidecars").selectAll().where("footage_id", "=", footageId).executeTakeFirst();
    return r ? { footageId: r.footage_id, sha256: r.sha256, name: r.name, sizeBytes: r.size_bytes, frames: r.frames, addedBy: r.added_by, addedAt: r.added_at } : null;
  }

  /** Adds an offset; null when the footage already has MAX_SYNCS_PER_FOOTAGE. */
  async add(s: Omit<FootageSync, "id">): Promise<FootageSync | null> {
    return this.db.transaction().execute(async (tx): Promise<FootageSync | null> => {
      // Writers of offsets to one footage file take turns on its row, so the count below is the one the insert sees.
      await tx.selectFrom("footage").select("id").where("id", "=", s.footageId)
        .$if(this.sql.engine === "postgres", (b) => b.forUpdate()).executeTakeFirst();
      const { n } = await tx.selectFrom("footage_sync").select((eb) => eb.fn.countAll<number>().as("n")).where("footage_id", "=", s.footageId).executeTakeFirstOrThrow();
      if (Number(n) >= MAX_SYNCS_PER_FOOTAGE) return null;
      const { id } = await tx.insertInto("footage_sync").values({
        footage_id: s.footageId, flight_id: s.flightId, starts_at: s.startsAt, source: s.source, detail: s.detail, set_by: s.setBy, set_at: s.setAt, reason: s.reason,
      }).returning("id").executeTakeFirstOrThrow();
      return { ...s, id };
    });
  }

  /** Every offset of a footage file, oldest first. */
  async history(footageId: number): Promise<FootageSync[]> {
    return (await this.db.selectFrom("footage_sync").selectAll().where("footage_id", "=", footageId).orderBy("id").execute()).map(syncOf);
  }

  /** The offset in force per flight (the newest) of a footage file. */
  async current(footageId: number): Promise<FootageSync[]> {
    const newest = new Map<number, FootageSync>();
    for (const s of await this.history(footageId)) newest.set(s.flightId, s);
    return [...newest.values()];
  }

  /** The footage placed on a flight, with the offset in force for each. */
  async ofFlight(flightId: number): Promise<FootageSync[]> {
    const rows = await this.db.selectFrom("footage_sync").selectAll().where("flight_id", "=", flightId).orderBy("id").execute();
    const newest = new Map<number, FootageSync>();
    for (const r of rows) newest.set(r.footage_id, syncOf(r));
    return [...newest.values()];
  }
}
