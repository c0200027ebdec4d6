import type { Db, Migration } from "../storage";

/**
 * The flight catalogue. A closed flight's file, size and hash can never change (a trigger refuses it): they are
 * the evidence's fingerprint. Times are epoch ms. AUTOINCREMENT: a flight id is never reused.
 */
export const flightMigrations: readonly Migration[] = [{
  // Versions are global across capabilities: see storage/migrations.ts.
  version: 6,
  name: "flights",
  up(db) {
    db.exec(`
      CREATE TABLE flights (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        vehicle_key TEXT NOT NULL,
        sysid INTEGER NOT NULL,
        compid INTEGER NOT NULL,
        vehicle_type TEXT NOT NULL,
        vehicle_name TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        armed_at INTEGER,
        disarmed_at INTEGER,
        distance_m REAL NOT NULL DEFAULT 0,
        max_alt_rel_m REAL,
        max_dist_home_m REAL,
        takeoff_lat REAL, takeoff_lon REAL,
        landing_lat REAL, landing_lon REAL,
        min_lat REAL, min_lon REAL, max_lat REAL, max_lon REAL,
        pilot TEXT,
        tlog_path TEXT NOT NULL UNIQUE,
        size_bytes INTEGER,
        sha256 TEXT,
        status TEXT NOT NULL CHECK (status IN ('recording', 'closed', 'imported')),
        packets INTEGER NOT NULL DEFAULT 0,
        previous_id INTEGER REFERENCES flights (id),
        source TEXT NOT NULL
      );
      CREATE INDEX flights_vehicle_time ON flights (vehicle_key, started_at);
      CREATE INDEX flights_time ON flights (started_at);
      CREATE TRIGGER flights_sealed BEFORE UPDATE ON flights
        WHEN OLD.sha256 IS NOT NULL AND (NEW.sha256 IS NOT OLD.sha256 OR NEW.size_bytes IS NOT OLD.size_bytes
          OR NEW.tlog_path IS NOT OLD.tlog_path)
        BEGIN SELECT RAISE(ABORT, 'a closed flight''s file, size and hash cannot change'); END;
      CREATE TRIGGER flights_no_delete BEFORE DELETE ON flights WHEN OLD.sha256 IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a closed flight cannot be deleted'); END;
      CREATE TABLE flight_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        flight_id INTEGER NOT NULL REFERENCES flights (id),
        author TEXT NOT NULL,
        time INTEGER NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX flight_notes_flight ON flight_notes (flight_id);
    `);
  },
}];

const OLD_STATUS_CHECK = "CHECK (status IN ('recording', 'closed', 'imported'))";
const NEW_STATUS_CHECK = "CHECK (status IN ('recording', 'closed', 'interrupted', 'imported'))";

/**
 * SQLite cannot change a CHECK constraint in place: the table is rebuilt from its own CREATE statement (so any
 * column added since is kept), with the same rows, ids, AUTOINCREMENT counter, indexes and triggers. Migrations
 * run in a transaction, where foreign keys cannot be switched off: the rows of tables that refer to flights are
 * set aside and put back around the rebuild, so no reference is ever left dangling at commit.
 */
function allowInterrupted(db: Db): void {
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'flights'").get() as { sql: string } | undefined;
  if (!table?.sql.includes(OLD_STATUS_CHECK)) throw new Error("flights: the status constraint is not the one this migration replaces");
  const extras = (db.prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = 'flights' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
    .all() as { sql: string }[]).map((r) => r.sql);
  const children = (db.prepare(`SELECT DISTINCT m.name FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
    WHERE m.type = 'table' AND m.name <> 'flights' AND lower(f."table") = 'flights'`).all() as { name: string }[]).map((r) => r.name);
  const seq = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'flights'").get() as { seq: number } | undefined)?.seq ?? 0;
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  db.pragma("defer_foreign_keys = ON");
  db.exec("CREATE TEMP TABLE flights_v10 AS SELECT * FROM flights");
  children.forEach((c, i) => db.exec(`CREATE TEMP TABLE child_v10_${i} AS SELECT * FROM ${quoted(c)}; DELETE FROM ${quoted(c)};`));
  db.exec("DROP TABLE flights");
  db.exec(table.sql.replace(OLD_STATUS_CHECK, NEW_STATUS_CHECK));
  db.exec("INSERT INTO flights SELECT * FROM temp.flights_v10 ORDER BY id; DROP TABLE temp.flights_v10;");
  children.forEach((c, i) => db.exec(`INSERT INTO ${quoted(c)} SELECT * FROM temp.child_v10_${i}; DROP TABLE temp.child_v10_${i};`));
  for (const sql of extras) db.exec(sql);
  // A flight id is never reused, even that of a row that no longer exists.
  db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'flights'").run(seq);
}

/**
 * "interrupted": a flight sealed by the recovery after a crash, not by its disarm. flight_integrity: the last
 * comparison of each sealed file with its seal, derived and rebuildable (delete a row and the file is read again);
 * `audited` is the failure last written to the audit log, so one alteration is reported once, not per request.
 */
export const flightIntegrityMigrations: readonly Migration[] = [{
  // Versions are global across capabilities: see storage/migrations.ts.
  version: 10,
  name: "flights_interrupted_integrity",
  up(db) {
    allowInterrupted(db);
    db.exec(`
      CREATE INDEX flights_previous ON flights (previous_id);
      CREATE TABLE flight_integrity (
        flight_id INTEGER PRIMARY KEY REFERENCES flights (id),
        state TEXT NOT NULL CHECK (state IN ('verified', 'altered', 'missing')),
        checked_at INTEGER NOT NULL,
        hashed_at INTEGER,
        size_bytes INTEGER,
        mtime_ms REAL,
        ctime_ms REAL,
        actual_sha256 TEXT,
        audited TEXT
      );
    `);
  },
}];

/**
 * flight_messages: the vehicle's STATUSTEXT messages of each flight, derived from its .tlog like the statistics
 * (a rebuild fills them for flights recorded before). packets_in / packets_out: the record's packets from the
 * vehicle and to it, NULL for flights counted before they were told apart (a rebuild counts them).
 */
export const flightMessageMigrations: readonly Migration[] = [{
  // Versions are global across capabilities: see storage/migrations.ts.
  version: 12,
  name: "flight_messages_packet_directions",
  up(db) {
    db.exec(`
      ALTER TABLE flights ADD COLUMN packets_in INTEGER;
      ALTER TABLE flights ADD COLUMN packets_out INTEGER;
      ALTER TABLE flights ADD COLUMN messages_dropped INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE flight_messages (
        flight_id INTEGER NOT NULL REFERENCES flights (id),
        seq INTEGER NOT NULL,
        time INTEGER NOT NULL,
        severity TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (flight_id, seq)
      ) WITHOUT ROWID;
    `);
  },
}];
