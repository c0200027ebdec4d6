import type { Db } from "../storage";

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

interface Row {
  name: string;
  address: string;
  unaudited: number;
  first_unaudited_at: number | null;
  last_at: number;
  audited_minute: number;
}

/**
 * Counts refused logins so that hammering the login cannot write an audit entry per request: at most one entry
 * a minute per (name, address). The first refusal of a quiet minute is written at once, so an attack shows in
 * the log when it starts; the ones after it in the same minute are counted here and written, with their count,
 * by the next refusal in a later minute or by `due()` (housekeeping), whichever comes first. Kept in SQLite so a
 * restart neither loses the counts nor lets one minute have two entries.
 */
export class RefusalTally {
  constructor(private readonly db: Db) {}

  /** Counts one refusal; returns what to audit now (it and the ones counted before it), or null to wait. */
  note(name: string, address: string, now: number): RefusalCount | null {
    const minute = Math.floor(now / MINUTE_MS);
    return this.db.transaction((): RefusalCount | null => {
      const row = this.db.prepare<[string, string], Row>("SELECT * FROM login_refusals WHERE name = ? AND address = ?").get(name, address);
      if (row && row.audited_minute >= minute) {
        this.db.prepare<[number, number, string, string]>(`UPDATE login_refusals
          SET unaudited = unaudited + 1, first_unaudited_at = coalesce(first_unaudited_at, ?), last_at = ?
          WHERE name = ? AND address = ?`).run(now, now, name, address);
        return null;
      }
      this.db.prepare<[string, string, number, number]>(`INSERT INTO login_refusals
        (name, address, unaudited, first_unaudited_at, last_at, audited_minute) VALUES (?, ?, 0, NULL, ?, ?)
        ON CONFLICT (name, address) DO UPDATE SET unaudited = 0, first_unaudited_at = NULL,
          last_at = excluded.last_at, audited_minute = excluded.audited_minute`).run(name, address, now, minute);
      return { name, address, count: (row?.unaudited ?? 0) + 1, since: row?.first_unaudited_at ?? now, until: now };
    }).immediate();
  }

  /** Counts left from minutes that have ended, to audit now; each key's entry then belongs to this minute. */
  due(now: number): RefusalCount[] {
    const minute = Math.floor(now / MINUTE_MS);
    return this.db.transaction((): RefusalCount[] => {
      const rows = this.db.prepare<[number], Row>("SELECT * FROM login_refusals WHERE unaudited > 0 AND audited_minute < ?").all(minute);
      const done = this.db.prepare<[number, string, string]>(`UPDATE login_refusals
        SET unaudited = 0, first_unaudited_at = NULL, audited_minute = ? WHERE name = ? AND address = ?`);
      for (const r of rows) done.run(minute, r.name, r.address);
      return rows.map((r) => ({ name: r.name, address: r.address, count: r.unaudited, since: r.first_unaudited_at ?? r.last_at, until: r.last_at }));
    }).immediate();
  }

  /** Forgets keys with nothing left to audit whose entry is from an earlier minute (their next refusal is written at once anyway). */
  purge(now: number): number {
    return this.db.prepare<[number]>("DELETE FROM login_refusals WHERE unaudited = 0 AND audited_minute < ?").run(Math.floor(now / MINUTE_MS)).changes;
  }
}
