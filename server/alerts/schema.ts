import type { Migration } from "../storage";

/**
 * Alert history. Times are epoch ms (compared and sorted); AUTOINCREMENT so an id is never reused, even after
 * the newest rows are gone: clients hold ids across a server restart and acknowledge by id.
 */
export const alertMigrations: readonly Migration[] = [{
  // Versions are global across capabilities: see storage/migrations.ts.
  version: 5,
  name: "alerts",
  up(db) {
    db.exec(`
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        vehicle TEXT NOT NULL,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        text TEXT NOT NULL,
        count INTEGER NOT NULL DEFAULT 1,
        raised_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        cleared_at INTEGER,
        clear_reason TEXT CHECK (clear_reason IN ('ended', 'superseded', 'restart')),
        acknowledged_by TEXT,
        acknowledged_at INTEGER
      );
      -- The snapshot on connect reads the alerts still needing attention: keep that scan small however long the history.
      CREATE INDEX alerts_attention ON alerts (id) WHERE cleared_at IS NULL OR acknowledged_at IS NULL;
    `);
  },
}];

/** The vehicle timeline (see events.ts); its own list, as its version comes after other capabilities' steps. */
export const vehicleEventMigrations: readonly Migration[] = [{
  version: 11,
  name: "vehicle_events",
  up(db) {
    // The vehicle timeline: mode changes (commanded here or not), arming, mission complete. detail is the event's
    // JSON without key and time; rows are pruned to the newest 100,000.
    db.exec(`
      CREATE TABLE vehicle_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        vehicle TEXT NOT NULL,
        time INTEGER NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX vehicle_events_by_vehicle ON vehicle_events (vehicle, id);
    `);
  },
}];
