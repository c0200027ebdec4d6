/**
 * Retention (migration 17): footage rows get a tombstone (deleted_at/by, the request that deleted it): the row, its
 * hash and its custody log outlive the bytes. Deletions go through deletion_requests: queued with a reason and a
 * recovery window, then done, cancelled or blocked (a legal hold); a request's facts never change, only its outcome
 * is written, once.
 */
import type { Migration } from "../storage";

export const retentionMigrations: Migration[] = [{
  version: 17,
  name: "retention",
  up(db) {
    db.exec(`
      ALTER TABLE footage ADD COLUMN deleted_at INTEGER;
      ALTER TABLE footage ADD COLUMN deletion_request INTEGER;
      CREATE TABLE deletion_requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('footage')),
        item_id INTEGER NOT NULL,
        reason TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'cancelled', 'done', 'blocked')),
        decided_by TEXT,
        decided_at INTEGER,
        outcome TEXT
      );
      CREATE UNIQUE INDEX deletion_requests_pending ON deletion_requests (kind, item_id) WHERE state = 'pending';
      CREATE TRIGGER deletion_requests_outcome_once BEFORE UPDATE ON deletion_requests
        WHEN OLD.state <> 'pending' OR NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.item_id IS NOT OLD.item_id
          OR NEW.reason IS NOT OLD.reason OR NEW.requested_by IS NOT OLD.requested_by OR NEW.requested_at IS NOT OLD.requested_at
          OR NEW.due_at IS NOT OLD.due_at
        BEGIN SELECT RAISE(ABORT, 'a deletion request is decided once, and its facts never change'); END;
      CREATE TRIGGER deletion_requests_no_delete BEFORE DELETE ON deletion_requests
        BEGIN SELECT RAISE(ABORT, 'deletion requests are kept'); END;
      CREATE TRIGGER footage_tombstone_once BEFORE UPDATE OF deleted_at, deletion_request ON footage
        WHEN OLD.deleted_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'footage deleted under retention stays deleted'); END;
    `);
  },
}];

const DELETION_REQUESTS = `CREATE TABLE deletion_requests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('footage', 'flight')),
        item_id INTEGER NOT NULL,
        reason TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'cancelled', 'done', 'blocked')),
        decided_by TEXT,
        decided_at INTEGER,
        outcome TEXT
      )`;

/**
 * Migration 20: flights join retention. SQLite cannot change a CHECK in place, so deletion_requests is rebuilt with
 * its rows, ids and AUTOINCREMENT counter (its triggers, which refuse deletes, are dropped first and made again).
 * A deleted flight keeps its row and seal; flight_tombstones says who asked, when and why. footage_integrity holds
 * the last re-hash of each footage file's original and sidecar; evidence_sweeps the outcome of each sweep.
 */
export const flightRetentionMigrations: Migration[] = [{
  version: 20,
  name: "flight retention, evidence integrity",
  up(db) {
    const seq = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'deletion_requests'").get() as { seq: number } | undefined)?.seq ?? 0;
    db.exec(`
      CREATE TEMP TABLE deletion_requests_v20 AS SELECT * FROM deletion_requests;
      DROP TRIGGER deletion_requests_outcome_once;
      DROP TRIGGER deletion_requests_no_delete;
      DROP TABLE deletion_requests;
      ${DELETION_REQUESTS};
      INSERT INTO deletion_requests SELECT * FROM temp.deletion_requests_v20 ORDER BY id;
      DROP TABLE temp.deletion_requests_v20;
      CREATE UNIQUE INDEX deletion_requests_pending ON deletion_requests (kind, item_id) WHERE state = 'pending';
      CREATE TRIGGER deletion_requests_outcome_once BEFORE UPDATE ON deletion_requests
        WHEN OLD.state <> 'pending' OR NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.item_id IS NOT OLD.item_id
          OR NEW.reason IS NOT OLD.reason OR NEW.requested_by IS NOT OLD.requested_by OR NEW.requested_at IS NOT OLD.requested_at
          OR NEW.due_at IS NOT OLD.due_at
        BEGIN SELECT RAISE(ABORT, 'a deletion request is decided once, and its facts never change'); END;
      CREATE TRIGGER deletion_requests_no_delete BEFORE DELETE ON deletion_requests
        BEGIN SELECT RAISE(ABORT, 'deletion requests are kept'); END;

      CREATE TABLE flight_tombstones (
        flight_id INTEGER PRIMARY KEY REFERENCES flights (id),
        deleted_at INTEGER NOT NULL,
        requested_by TEXT NOT NULL,
        reason TEXT NOT NULL,
        request INTEGER NOT NULL
      );
      CREATE TRIGGER flight_tombstones_kept BEFORE UPDATE ON flight_tombstones
        BEGIN SELECT RAISE(ABORT, 'a flight deleted under retention stays deleted'); END;
      CREATE TRIGGER flight_tombstones_no_delete BEFORE DELETE ON flight_tombstones
        BEGIN SELECT RAISE(ABORT, 'a flight deleted under retention stays deleted'); END;

      CREATE TABLE footage_integrity (
        footage_id INTEGER PRIMARY KEY REFERENCES footage (id),
        state TEXT NOT NULL CHECK (state IN ('ok', 'altered', 'missing')),
        checked_at INTEGER NOT NULL,
        problem TEXT,
        audited TEXT
      );
      CREATE TABLE evidence_sweeps (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER NOT NULL,
        started_by TEXT NOT NULL,
        result TEXT NOT NULL
      );
    `);
    db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'deletion_requests'").run(seq);
  },
}];
