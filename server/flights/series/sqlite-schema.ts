import type { Migration } from "../../storage";
import type { SeriesKind } from "../../protocol";

/**
 * Telemetry series in the application database: one table per kind with a REAL column per field, so a mean per
 * bucket is a plain AVG. The key (vehicle, time) makes a rewrite of the same sample (a rebuild from the .tlog)
 * replace it rather than double it, as InfluxDB does; it is also the (vehicle, kind, time) index. No foreign key
 * to flights: series are derived data, rebuilt from the .tlog, and must not stand in the way of the catalogue.
 * The SQL is written out, not generated from SERIES_FIELDS: an applied migration must never change.
 */
export const seriesMigrations: readonly Migration[] = [{
  // Versions are global across capabilities: see storage/migrations.ts.
  version: 7,
  name: "telemetry series",
  up(db) {
    const table = (name: string, columns: string) => `
      CREATE TABLE ${name} (
        vehicle_key TEXT NOT NULL,
        flight_id INTEGER,
        time INTEGER NOT NULL,
        ${columns},
        PRIMARY KEY (vehicle_key, time)
      ) WITHOUT ROWID;
      CREATE INDEX ${name}_flight ON ${name} (flight_id, time);`;
    db.exec([
      table("series_position", "lat REAL, lon REAL, alt_amsl REAL, alt_relative REAL, heading REAL, ground_speed REAL, climb REAL"),
      table("series_attitude", "roll REAL, pitch REAL, yaw REAL"),
      table("series_battery", "voltage REAL, current REAL, remaining REAL"),
      table("series_gps", "fix REAL, satellites REAL, hdop REAL"),
      table("series_status", "armed REAL, custom_mode REAL, heartbeat_age_ms REAL"),
    ].join("\n"));
  },
  // Written out in full, like the SQLite tables above.
  postgres: `
    CREATE TABLE series_position (
      vehicle_key TEXT NOT NULL,
      flight_id BIGINT,
      time BIGINT NOT NULL,
      lat DOUBLE PRECISION, lon DOUBLE PRECISION, alt_amsl DOUBLE PRECISION, alt_relative DOUBLE PRECISION,
      heading DOUBLE PRECISION, ground_speed DOUBLE PRECISION, climb DOUBLE PRECISION,
      PRIMARY KEY (vehicle_key, time)
    );
    CREATE INDEX series_position_flight ON series_position (flight_id, time);
    CREATE TABLE series_attitude (
      vehicle_key TEXT NOT NULL,
      flight_id BIGINT,
      time BIGINT NOT NULL,
      roll DOUBLE PRECISION, pitch DOUBLE PRECISION, yaw DOUBLE PRECISION,
      PRIMARY KEY (vehicle_key, time)
    );
    CREATE INDEX series_attitude_flight ON series_attitude (flight_id, time);
    CREATE TABLE series_battery (
      vehicle_key TEXT NOT NULL,
      flight_id BIGINT,
      time BIGINT NOT NULL,
      voltage DOUBLE PRECISION, current DOUBLE PRECISION, remaining DOUBLE PRECISION,
      PRIMARY KEY (vehicle_key, time)
    );
    CREATE INDEX series_battery_flight ON series_battery (flight_id, time);
    CREATE TABLE series_gps (
      vehicle_key TEXT NOT NULL,
      flight_id BIGINT,
      time BIGINT NOT NULL,
      fix DOUBLE PRECISION, satellites DOUBLE PRECISION, hdop DOUBLE PRECISION,
      PRIMARY KEY (vehicle_key, time)
    );
    CREATE INDEX series_gps_flight ON series_gps (flight_id, time);
    CREATE TABLE series_status (
      vehicle_key TEXT NOT NULL,
      flight_id BIGINT,
      time BIGINT NOT NULL,
      armed DOUBLE PRECISION, custom_mode DOUBLE PRECISION, heartbeat_age_ms DOUBLE PRECISION,
      PRIMARY KEY (vehicle_key, time)
    );
    CREATE INDEX series_status_flight ON series_status (flight_id, time);
  `,
}];

export const SERIES_TABLES: Record<SeriesKind, string> = {
  position: "series_position",
  attitude: "series_attitude",
  battery: "series_battery",
  gps: "series_gps",
  status: "series_status",
};

/** altAmsl -> alt_amsl: the column of a field. */
export function columnOf(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
