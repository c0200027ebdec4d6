import type { Migration } from "../storage";

/** Users, their roles, sessions and failed logins. Times used in arithmetic are epoch ms; shown times are ISO. */
export const authMigrations: readonly Migration[] = [
  {
    version: 1,
    name: "users",
    up(db) {
      db.exec(`
        CREATE TABLE users (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL COLLATE NOCASE UNIQUE,
          password_hash TEXT NOT NULL,
          disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
          created_at TEXT NOT NULL,
          password_changed_at TEXT NOT NULL,
          last_login_at TEXT
        );
        CREATE TABLE user_roles (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          role TEXT NOT NULL CHECK (role IN ('admin', 'pilot', 'observer', 'reviewer')),
          PRIMARY KEY (user_id, role)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 2,
    name: "sessions",
    up(db) {
      db.exec(`
        CREATE TABLE sessions (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          token_hash TEXT NOT NULL UNIQUE,
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          created_at INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          address TEXT NOT NULL,
          user_agent TEXT NOT NULL
        );
        CREATE INDEX sessions_user ON sessions(user_id);
        CREATE INDEX sessions_expires ON sessions(expires_at);
      `);
    },
  },
  {
    version: 3,
    name: "login_attempts",
    up(db) {
      db.exec(`
        CREATE TABLE login_attempts (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          at INTEGER NOT NULL,
          name TEXT NOT NULL,
          address TEXT NOT NULL
        );
        CREATE INDEX login_attempts_name ON login_attempts(name, at);
        CREATE INDEX login_attempts_address ON login_attempts(address, at);
      `);
    },
  },
];

/**
 * Login throttling (version 8, after the series tables): a login attempt is a row from before its password is
 * verified (`pending`), so attempts still being hashed count against the limits; refused attempts are counted
 * per (name, address) and written to the audit log at most once a minute.
 */
export const loginThrottleMigrations: readonly Migration[] = [
  {
    version: 8,
    name: "login_throttle",
    up(db) {
      db.exec(`
        ALTER TABLE login_attempts ADD COLUMN pending INTEGER NOT NULL DEFAULT 0 CHECK (pending IN (0, 1));
        CREATE INDEX login_attempts_pair ON login_attempts(name, address, at);
        CREATE TABLE login_refusals (
          name TEXT NOT NULL,
          address TEXT NOT NULL,
          unaudited INTEGER NOT NULL,
          first_unaudited_at INTEGER,
          last_at INTEGER NOT NULL,
          audited_minute INTEGER NOT NULL,
          PRIMARY KEY (name, address)
        ) WITHOUT ROWID;
        CREATE INDEX login_refusals_due ON login_refusals(unaudited, audited_minute);
      `);
    },
  },
];
