import { alertMigrations } from "../alerts";
import { auditMigrations } from "../audit";
import { authMigrations } from "../auth";
import { flightMigrations, seriesMigrations } from "../flights";
import type { Migration } from "./migrate";

/**
 * Every schema step of the application database, in order. Versions are global: a capability adding a table
 * appends its migration here with the next number (never renumber or edit an applied one; add a new step).
 */
export const MIGRATIONS: readonly Migration[] = [
  ...authMigrations, // 1 users, 2 sessions, 3 login_attempts
  ...auditMigrations, // 4 audit_log
  ...alertMigrations, // 5 alerts
  ...flightMigrations, // 6 flights, flight_notes
  ...seriesMigrations, // 7 telemetry series, one table per kind
];
