import type { Migration } from "../storage";

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
