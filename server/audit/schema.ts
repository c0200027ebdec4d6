import type { Migration } from "../storage";

/**
 * The audit log. Triggers make it append-only for the application; someone with the file can drop them,
 * which is what the hash chain is for.
 */
export const auditMigrations: readonly Migration[] = [{
  // Versions are global across capabilities: see storage/migrations.ts.
  version: 4,
  name: "audit_log",
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        address TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        result TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
}];

/**
 * Signed checkpoints of the chain's head (see checkpoint.ts). No foreign key to audit_log: a checkpoint must
 * outlive the rows it vouches for, or deleting them would delete the evidence of it.
 */
export const auditCheckpointMigrations: readonly Migration[] = [{
  version: 9,
  name: "audit_checkpoints",
  up(db) {
    db.exec(`
      CREATE TABLE audit_checkpoints (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        entry_id INTEGER NOT NULL,
        entry_hash TEXT NOT NULL,
        entries INTEGER NOT NULL,
        time TEXT NOT NULL,
        key_fingerprint TEXT NOT NULL,
        signature TEXT NOT NULL
      );
      CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
      CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
    `);
  },
}];
