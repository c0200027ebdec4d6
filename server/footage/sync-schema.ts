/**
 * Migration 19: the sync source found from the camera's messages in a flight's .tlog is "camera". Migration 16's
 * CHECK named it 'camera_messages' before anything set one; the table is rebuilt (SQLite cannot change a CHECK)
 * keeping every row, its id and the id sequence, and with its indexes and write-once triggers as before.
 */
import type { Migration } from "../storage";

const OLD_CHECK = "CHECK (source IN ('srt', 'camera_messages', 'creation_time', 'manual'))";

export const footageSyncSourceMigrations: Migration[] = [{
  version: 19,
  name: "footage_sync_source_camera",
  up(db) {
    const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'footage_sync'").get() as { sql: string } | undefined;
    if (!table?.sql.includes(OLD_CHECK)) throw new Error("footage_sync: the source constraint is not the one this migration replaces");
    const seq = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'footage_sync'").get() as { seq: number } | undefined)?.seq ?? 0;
    db.exec(`
      CREATE TEMP TABLE footage_sync_v19 AS SELECT * FROM footage_sync;
      DROP TABLE footage_sync;
      CREATE TABLE footage_sync (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        footage_id INTEGER NOT NULL REFERENCES footage (id),
        flight_id INTEGER NOT NULL REFERENCES flights (id),
        starts_at INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('srt', 'camera', 'creation_time', 'manual')),
        detail TEXT NOT NULL,
        set_by TEXT NOT NULL,
        set_at INTEGER NOT NULL,
        reason TEXT
      );
      INSERT INTO footage_sync (id, footage_id, flight_id, starts_at, source, detail, set_by, set_at, reason)
        SELECT id, footage_id, flight_id, starts_at, CASE source WHEN 'camera_messages' THEN 'camera' ELSE source END, detail, set_by, set_at, reason
        FROM temp.footage_sync_v19 ORDER BY id;
      DROP TABLE temp.footage_sync_v19;
      CREATE INDEX footage_sync_footage ON footage_sync (footage_id, flight_id, id);
      CREATE INDEX footage_sync_flight ON footage_sync (flight_id, id);
      CREATE TRIGGER footage_sync_no_update BEFORE UPDATE ON footage_sync
        BEGIN SELECT RAISE(ABORT, 'a sync offset cannot be changed: set a new one'); END;
      CREATE TRIGGER footage_sync_no_delete BEFORE DELETE ON footage_sync
        BEGIN SELECT RAISE(ABORT, 'a sync offset cannot be deleted: set a new one'); END;
    `);
    // An offset's id is never reused, even that of a row no longer there.
    db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'footage_sync'").run(seq);
  },
  postgres: `
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'footage_sync'::regclass AND conname = 'footage_sync_source'
            AND pg_get_constraintdef(oid) LIKE '%''camera_messages''%') THEN
          RAISE EXCEPTION 'footage_sync: the source constraint is not the one this migration replaces';
        END IF;
      END $$;
      ALTER TABLE footage_sync DROP CONSTRAINT footage_sync_source;
      ALTER TABLE footage_sync DISABLE TRIGGER footage_sync_no_update;
      UPDATE footage_sync SET source = 'camera' WHERE source = 'camera_messages';
      ALTER TABLE footage_sync ENABLE TRIGGER footage_sync_no_update;
      ALTER TABLE footage_sync ADD CONSTRAINT footage_sync_source CHECK (source IN ('srt', 'camera', 'creation_time', 'manual'));
    `,
}];
