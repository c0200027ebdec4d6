import { alertIdMigrations, alertMigrations, alertServerMigrations, vehicleEventMigrations } from "./alerts";
import { auditCheckpointMigrations, auditHeadMigrations, auditMigrations } from "./audit";
import { authMigrations, loginThrottleMigrations } from "./auth";
import { flightIntegrityMigrations, flightMessageMigrations, flightMigrations, seriesMigrations } from "./flights";
import { bookmarkMigrations } from "./replay";
import { incidentMigrations } from "./incidents";
import { footageDerivativeMigrations, footageMigrations, footageSyncSourceMigrations } from "./footage";
import { flightRetentionMigrations, retentionMigrations } from "./retention";
import type { Migration } from "./storage";

/**
 * Every schema step of the application database, in order. Versions are global: a capability adding a table
 * appends its migration here with the next number (never renumber or edit an applied one; add a new step).
 * It lives above the capabilities, not in storage/: storage runs a list it is handed and knows none of them.
 */
export const MIGRATIONS: readonly Migration[] = [
  ...authMigrations, // 1 users, 2 sessions, 3 login_attempts
  ...auditMigrations, // 4 audit_log
  ...alertMigrations, // 5 alerts
  ...flightMigrations, // 6 flights, flight_notes
  ...seriesMigrations, // 7 telemetry series, one table per kind
  ...loginThrottleMigrations, // 8 login_attempts.pending, login_refusals
  ...auditCheckpointMigrations, // 9 audit_checkpoints
  ...flightIntegrityMigrations, // 10 flights.status "interrupted" (table rebuilt), flight_integrity
  ...vehicleEventMigrations, // 11 vehicle_events
  ...flightMessageMigrations, // 12 flight_messages, flights.packets_in / packets_out / messages_dropped
  ...bookmarkMigrations, // 13 flight_bookmarks
  ...incidentMigrations, // 14 incidents, incident_history, incident_links
  ...footageMigrations, // 15 footage, footage_uploads; 16 footage_sidecars, footage_sync
  ...retentionMigrations, // 17 deletion_requests, footage tombstones
  ...footageDerivativeMigrations, // 18 footage_derivatives
  ...footageSyncSourceMigrations, // 19 footage_sync.source 'camera' (table rebuilt)
  ...flightRetentionMigrations, // 20 deletion_requests for flights (table rebuilt), flight_tombstones, footage_integrity, evidence_sweeps
  ...auditHeadMigrations, // 21 audit_head
  ...alertIdMigrations, // 22 alert_ids
  ...alertServerMigrations, // 23 alerts.raised_by, flights.recorded_by
];
