/**
 * How the rules filter noise. Not flags: these are engineering choices, not unit policy (the thresholds are in
 * AlertConfig); tests and a future settings page may override them.
 */
export interface AlertTuning {
  /** A condition must have ended for this long before its alert clears, so a reading on the edge does not flap it. */
  clearAfterMs: number;
  /** Battery clears only this many points above its threshold (the reported % jitters and recovers under less load). */
  batteryClearPercent: number;
  /** ... and this many volts above a volts threshold (a pack's voltage recovers when the load drops). */
  batteryClearVolts: number;
  /** A volts threshold must be undercut this long, as ArduPilot's BATT_LOW_TIMER (10 s): a punch-out sags the pack. */
  batteryVoltsAfterMs: number;
  /**
   * The EKF's position flags lost this long before raising: one report at a transition is not an episode, and
   * ArduPilot's own EKF failsafe waits about a second of bad variance.
   */
  ekfAfterMs: number;
  /**
   * Conditions the vehicle itself judges (FENCE_STATUS breach, GPS fix, EKF flags, battery charge_state) clear after
   * this long: the vehicle has already filtered them, so a long hold would only make the pilot wait for the all-clear.
   */
  vehicleClearMs: number;
  /** A failsafe text, health bit or breach seen this long before the vehicle changed mode is taken as its cause. */
  causeBeforeMs: number;
  /** ... or this long after (the text and the mode change arrive in either order). */
  causeAfterMs: number;
  /** A mode change within this long of a command from here that asked for that mode was commanded by us. */
  commandedModeMs: number;
  /** Timeline events per vehicle per minute; beyond it they are logged, not kept (a vehicle flapping modes). */
  eventsPerMinute: number;
  /** Altitude clears this many metres below the limit. */
  altitudeClearM: number;
  /** Distance from home clears this many metres inside the radius. */
  vlosClearM: number;
  /** A geofence breach clears this many metres inside the fence (GPS noise at the edge). */
  fenceClearM: number;
  /** A STATUSTEXT repeated within this window is the same episode (counted), not a new alert. */
  textRepeatMs: number;
  /** A repeated STATUSTEXT's count is written and sent at most this often. */
  textUpdateMs: number;
  /** New STATUSTEXT alerts per vehicle per minute; beyond it they are logged, not raised. */
  textAlertsPerMinute: number;
  /** Active STATUSTEXT alerts per vehicle; the condition rules are one alert each, so bounded already. */
  maxActivePerVehicle: number;
  /** Alerts needing attention sent on connect (active or unacknowledged) at most, and the other newest ones. */
  recentAttention: number;
  recentOthers: number;
}

export const DEFAULT_ALERT_TUNING: AlertTuning = {
  clearAfterMs: 3000,
  batteryClearPercent: 3,
  batteryClearVolts: 0.3,
  batteryVoltsAfterMs: 10_000,
  ekfAfterMs: 1000,
  vehicleClearMs: 1000,
  causeBeforeMs: 5000,
  causeAfterMs: 3000,
  commandedModeMs: 15_000,
  eventsPerMinute: 60,
  altitudeClearM: 5,
  vlosClearM: 25,
  fenceClearM: 5,
  textRepeatMs: 60_000,
  textUpdateMs: 5000,
  textAlertsPerMinute: 10,
  maxActivePerVehicle: 50,
  recentAttention: 200,
  recentOthers: 50,
};
