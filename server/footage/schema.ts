/**
 * Footage tables (migration 15). `footage` rows are the stored originals, one per SHA-256, never deleted here (the
 * retention queue will be the only way out, with its reason in the custody log). `footage_uploads` follows each
 * resumable upload from its first byte to what it became: stored, a duplicate of stored footage, or refused.
 */
import type { Migration } from "../storage";

export const footageMigrations: Migration[] = [{
  version: 15,
  name: "footage",
  up(db) {
    db.exec(`
      CREATE TABLE footage (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
        size_bytes INTEGER NOT NULL,
        original_name TEXT NOT NULL,
        sidecar_name TEXT,
        uploaded_by TEXT NOT NULL,
        uploaded_at INTEGER NOT NULL,
        probe TEXT NOT NULL
      );
      CREATE TRIGGER footage_fixed BEFORE UPDATE OF sha256, size_bytes, original_name, uploaded_by, uploaded_at ON footage
        BEGIN SELECT RAISE(ABORT, 'what footage is, and who brought it, cannot be changed'); END;
      CREATE TRIGGER footage_no_delete BEFORE DELETE ON footage
        BEGIN SELECT RAISE(ABORT, 'footage is evidence: it leaves only through retention'); END;
      CREATE TABLE footage_uploads (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        original_name TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('uploading', 'processing', 'stored', 'duplicate', 'refused')),
        sha256 TEXT,
        footage_id INTEGER REFERENCES footage (id),
        message TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX footage_uploads_owner ON footage_uploads (owner, state);
    `);
  },
}, {
  version: 16,
  name: "footage_sidecars_and_sync",
  up(db) {
    db.exec(`
      CREATE TABLE footage_sidecars (
        footage_id INTEGER PRIMARY KEY REFERENCES footage (id),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        name TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        frames INTEGER NOT NULL,
        added_by TEXT NOT NULL,
        added_at INTEGER NOT NULL
      );
      CREATE TRIGGER footage_sidecars_no_update BEFORE UPDATE ON footage_sidecars
        BEGIN SELECT RAISE(ABORT, 'a sidecar cannot be changed'); END;
      CREATE TRIGGER footage_sidecars_no_delete BEFORE DELETE ON footage_sidecars
        BEGIN SELECT RAISE(ABORT, 'a sidecar is evidence: it leaves only through retention'); END;
      CREATE TABLE footage_sync (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        footage_id INTEGER NOT NULL REFERENCES footage (id),
        flight_id INTEGER NOT NULL REFERENCES flights (id),
        starts_at INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('srt', 'camera_messages', 'creation_time', 'manual')),
        detail TEXT NOT NULL,
        set_by TEXT NOT NULL,
        set_at INTEGER NOT NULL,
        reason TEXT
      );
      CREATE INDEX footage_sync_footage ON footage_sync (footage_id, flight_id, id);
      CREATE INDEX footage_sync_flight ON footage_sync (flight_id, id);
      CREATE TRIGGER footage_sync_no_update BEFORE UPDATE ON footage_sync
        BEGIN SELECT RAISE(ABORT, 'a sync offset cannot be changed: set a new one'); END;
      CREATE TRIGGER footage_sync_no_delete BEFORE DELETE ON footage_sync
        BEGIN SELECT RAISE(ABORT, 'a sync offset cannot be deleted: set a new one'); END;
    `);
  },
}];

/**
 * Derivatives (migration 18): files made from an original by ffmpeg, each a write-once file in the evidence store
 * under its own SHA-256. A row records what made it (argv as run, ffmpeg's version), from which original, for whom
 * and why; rows are never changed or deleted (a new derivative is a new row).
 */
export const footageDerivativeMigrations: Migration[] = [{
  version: 18,
  name: "footage_derivatives",
  up(db) {
    db.exec(`
      CREATE TABLE footage_derivatives (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        footage_id INTEGER NOT NULL REFERENCES footage (id),
        kind TEXT NOT NULL CHECK (kind IN ('clip', 'browser', 'redaction')),
        from_s REAL,
        to_s REAL,
        parent_sha256 TEXT NOT NULL CHECK (length(parent_sha256) = 64),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        size_bytes INTEGER NOT NULL,
        command TEXT NOT NULL,
        ffmpeg_version TEXT NOT NULL,
        probe TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        requested_at INTEGER NOT NULL,
        made_at INTEGER NOT NULL,
        reason TEXT NOT NULL,
        CHECK (kind <> 'clip' OR (from_s >= 0 AND to_s > from_s))
      );
      CREATE INDEX footage_derivatives_footage ON footage_derivatives (footage_id, id);
      CREATE TRIGGER footage_derivatives_no_update BEFORE UPDATE ON footage_derivatives
        BEGIN SELECT RAISE(ABORT, 'a derivative cannot be changed: make a new one'); END;
      CREATE TRIGGER footage_derivatives_no_delete BEFORE DELETE ON footage_derivatives
        BEGIN SELECT RAISE(ABORT, 'a derivative is evidence: it leaves only through retention'); END;
    `);
  },
}];
