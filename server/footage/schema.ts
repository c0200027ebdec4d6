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
}];
