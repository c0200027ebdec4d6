import type { Severity, VehicleKey } from "./vehicle";

/** The server-side alert rules; one episode of a rule per vehicle is one alert. */
export type AlertRule =
  | "link_lost" | "battery_low" | "battery_critical" | "gps_lost" | "ekf_unhealthy" | "statustext"
  | "altitude_limit" | "vlos_distance" | "geofence_breach"
  /**
   * The vehicle switched itself into RTL, SMART_RTL, LAND or BRAKE (a failsafe, its fence, the pilot's transmitter):
   * the text names the old and new mode and the likely cause. Lasts until the pilot has the vehicle back.
   */
  | "vehicle_mode_change"
  /** The vehicle answered a command with a refusal (COMMAND_ACK DENIED, FAILED, UNSUPPORTED...). */
  | "command_refused"
  /** Kept so alerts stored by earlier versions still read back; no longer raised (see vehicle_mode_change). */
  | "failsafe"
  /** The ground station itself: flight recording failing (disk full, unwritable), telemetry series store down. */
  | "recording_failed" | "series_failed"
  /** The ground station's disk too full to take more footage (uploads refused with 507 until room is made). */
  | "storage_low"
  /** A stored evidence original or sidecar no longer has its SHA-256, or is missing (integrity sweep). */
  | "evidence_integrity"
  /** Packets in a vehicle's name from a second source (kept apart); unknown vehicles refused on a link. */
  | "source_conflict" | "unknown_vehicles";

/** The key of the ground station's own alerts (no vehicle has system id 0). */
export const GROUND_STATION_KEY = "0:0" as const;

/**
 * Why an alert ended: its condition ended (with hysteresis), a worse alert of the same kind took over (battery
 * low -> critical), or the server restarted while it was active (episodes are not carried across a restart: the
 * rules see the vehicle afresh and raise a new alert if the condition still holds).
 */
export type AlertClearReason = "ended" | "superseded" | "restart";

/**
 * One alert: raised once when its condition starts, updated (not repeated) while it lasts, cleared when the
 * condition has ended (with hysteresis), acknowledged by a pilot. Kept in history after both.
 */
export interface Alert {
  id: number;
  key: VehicleKey;
  rule: AlertRule;
  severity: Severity;
  /** In words, with the episode's worst value, e.g. "Battery low: 24 % (below 30 %)". */
  text: string;
  /** How many times the condition was reported in this episode (a repeated STATUSTEXT); 1 for the other rules. */
  count: number;
  raisedAt: number;
  /** Last change of text, count or severity (not of clearing or acknowledgement). */
  updatedAt: number;
  /** When the condition ended, or null while it lasts. */
  clearedAt: number | null;
  clearReason: AlertClearReason | null;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
}

export interface AlertAckRequest {
  id: number;
}

/** Active (not cleared) or not yet acknowledged: what a screen must keep showing. */
export function alertNeedsAttention(alert: Alert): boolean {
  return alert.clearedAt === null || alert.acknowledgedAt === null;
}

/**
 * Something that happened to a vehicle, for its timeline: not a problem to acknowledge, but part of the record
 * (a mode change nobody here commanded, arming, the end of a mission).
 */
export type VehicleEvent =
  | { key: VehicleKey; time: number; kind: "mode_change"; from: string; to: string;
      /** True when this ground station commanded the new mode shortly before. */
      commanded: boolean }
  | { key: VehicleKey; time: number; kind: "armed" | "disarmed" | "mission_complete" };
