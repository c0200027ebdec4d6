import type { Kysely } from "kysely";
import type { AppSql } from "../storage";
import type { AuthTables } from "./tables";

/** Logins and their refusals are counted under this lock, on every server (PostgreSQL). */
export const LOGIN_LOCK = "dmc:logins";

/** Logins refused before their password was looked at, for one (name, address), to write as one audit entry. */
export interface RefusalCount {
  name: string;
  address: string;
  count: number;
  /** Epoch ms of the first and the last refusal counted. */
  since: number;
  until: number;
}

const MINUTE_MS = 60_000;

/**
 * Counts refused logins so that hammering the login cannot write an audit entry per request: at most one entry
 * a minute per (name, address). The first refusal of a quiet minute is written at once, so an attack shows in
 * the log when it starts; the ones after it in the same minute are counted here and written, with their count,
 * by the next refusal in a later minute or by `due()` (housekeeping), whichever comes first. Kept in the database
 * so a restart neither loses the counts nor lets one minute have two entries; several servers share one tally
 * (each change holds the login lock, see LoginAttempts).
 */
export class RefusalTally {
  private readonly db: Kysely<AuthTables>;

  constructor(private readonly sql: AppSql) {
    this.db = sql.kysely<AuthTables>();
  }

  /** Counts one refusal; returns what to audit now (it and the ones counted before it), or null to wait. */
  async note(name: string, address: string, now: number): Promise<RefusalCount | null> {
    const minute = Math.floor(now / MINUTE_MS);
    return this.sql.exclusive(this.db, LOGIN_LOCK, async (tx): Promise<RefusalCount | null> => {
      const row = await tx.selectFrom("login_refusals").selectAll().where("name", "=", name).where("address", "=", address).executeTakeFirst();
      if (row && row.audited_minute >= minute) {
        await tx.updateTable("login_refusals")
          .set((eb) => ({ unaudited: eb("unaudited", "+", 1), first_unaudited_at: eb.fn.coalesce("first_unaudited_at", eb.val(now)), last_at: now }))
          .where("name", "=", name).where("address", "=", address).execute();
        return null;
      }
      await tx.insertInto("login_refusals")
        .values({ name, address, unaudited: 0, first_unaudited_at: null, last_at: now, audited_minute: minute })
        .onConflict((oc) => oc.columns(["name", "address"]).doUpdateSet({ unaudited: 0, first_unaudited_at: null, last_at: now, audited_minute: minute }))
        .execute();
      return { name, address, count: (row?.unaudited ?? 0) + 1, since: row?.first_unaudited_at ?? now, until: now };
    });
  }

  /** Counts left from minutes that have ended, to audit now; each key's entry then belongs to this minute. */
  async due(now: number): Promise<RefusalCount[]> {
    const minute = Math.floor(now / MINUTE_MS);
    return this.sql.exclusive(this.db, LOGIN_LOCK, async (tx): Promise<RefusalCount[]> => {
      const rows = await tx.selectFrom("login_refusals").selectAll().where("unaudited", ">", 0).where("audited_minute", "<", minute).execute();
      for (const r of rows) {
        await tx.updateTable("login_refusals").set({ unaudited: 0, first_unaudited_at: null, audited_minute: minute })
          .where("name", "=", r.name).where("address", "=", r.address).execute();
      }
      return rows.map((r) => ({ name: r.name, address: r.address, count: r.unaudited, since: r.first_unaudited_at ?? r.last_at, until: r.last_at }));
    });
  }

  /** Forgets keys with nothing left to audit whose entry is from an earlier minute (their next refusal is written at once anyway). */
  async purge(now: number): Promise<number> {
    const r = await this.db.deleteFrom("login_refusals").where("unaudited", "=", 0).where("audited_minute", "<", Math.floor(now / MINUTE_MS)).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
