import { createHash } from "node:crypto";

export const AUDIT_ACTIONS = [
  "login", "login_failed", "logout",
  "user_created", "user_disabled", "user_enabled", "roles_changed", "password_reset",
  "control_taken", "control_released", "control_overridden",
  "command", "command_refused", "command_result",
  "mission_upload", "mission_upload_refused", "mission_clear", "mission_clear_refused",
  "alert_acknowledged",
  "vehicle_source_changed", "vehicle_source_conflict",
  "flight_exported", "flight_note_added", "flight_imported",
  "flight_integrity_failed", "flight_verified", "flight_messages_read", "flight_report_printed",
  "audit_checkpoint_exported",
  "replay_opened", "bookmark_added",
  "incident_created", "incident_edited", "incident_closed", "incident_reopened", "incident_linked", "incident_unlinked",
  "footage_upload_started", "footage_stored", "footage_duplicate", "footage_refused", "footage_viewed", "footage_downloaded",
  "footage_sidecar_added", "footage_sync_set", "footage_exported", "incident_exported", "custody_exported",
  "bundle_downloaded", "custody_report_printed",
  "retention_deletion_requested", "retention_deletion_cancelled", "retention_deletion_blocked", "footage_deleted",
  "evidence_integrity_failed", "evidence_integrity_checked", "flight_deleted",
  "footage_derivative_requested", "footage_derivative_made", "footage_derivative_failed",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What a caller appends: who (user name, "system" or "cli:<os user>"), from where, what, on what, outcome. */
export interface AuditInput {
  actor: string;
  /** Client address, or "" when there is none (CLI, the server itself). */
  address: string;
  action: AuditAction;
  /** What the action was about: a user name, a vehicle id, ... ("" when nothing). */
  target: string;
  /** "ok", or the refusal/failure code (e.g. "bad_credentials", "rate_limited"). */
  result: string;
  detail?: { [key: string]: JsonValue };
}

/** A stored entry. `detail` is canonical JSON text, exactly as hashed. */
export interface AuditEntry {
  id: number;
  time: string;
  actor: string;
  address: string;
  action: string;
  target: string;
  result: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted, so equal details give equal text (and hashes) whatever the key order. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return "null";
  return JSON.stringify(value);
}

/**
 * SHA-256 (hex) over every field of the entry but the hash itself, as a JSON array in a fixed order. The id is
 * included so that renumbering rows is detected too.
 */
export function entryHash(e: Omit<AuditEntry, "hash">): string {
  const fields = [e.id, e.time, e.actor, e.address, e.action, e.target, e.result, e.detail, e.prev_hash];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}
