/**
 * GPS and EKF through a GPS outage, as ArduCopter 4.7 SITL reported one (gps_loss_ekf, times after the fix was
 * lost): GPS_RAW_INT fix_type 1 with 3 satellites at once (time_usec frozen at the last fix, the SYS_STATUS GPS bit
 * stays healthy); the EKF dead-reckons and keeps its position flags for ~7 s, then EKF_STATUS_REPORT drops to 0x25;
 * after 1 s without a position (ekf_check, 10 checks at 10 Hz) "EKF variance" and the EKF failsafe
 * (ekf_check.cpp); at ~15 s "EKF3 IMU1/IMU0 stopped aiding" and flags 0xa7 (constant position mode). When the GPS
 * returns the EKF uses it again ~0.4 s later ("EKF3 IMU1/IMU0 is using GPS", flags 0x33f) and the failsafe clears
 * after 1 s of good checks ("EKF Failsafe Cleared", only said when the failsafe had acted). SmartRTL's path
 * recorder gives up after 15 s without a position while armed ("SmartRTL deactivated: bad position", WARNING).
 */
import { MODE, NEEDS_POSITION } from "./modes";
import { tryMode } from "./failsafe-action";
import type { SimVehicle } from "./vehicle";
import { SEVERITY } from "./severity";

/** EKF_STATUS_REPORT flags as recorded: before the origin, with origin but no GPS yet, using GPS, no position. */
export const EKF_FLAGS = {
  uninitialised: 0x400, origin: 0xa7, usingGps: 0x33f, noPosition: 0x25, constPos: 0xa7,
} as const;

const DEAD_RECKONING_MS = 7000;
const STOP_AIDING_MS = 15_000;
const REACQUIRE_MS = 400;
/** AP_SmartRTL's SMARTRTL_TIMEOUT. */
const SMART_RTL_TIMEOUT_MS = 15_000;
/** EKF_CHECK_ITERATIONS_MAX (10) checks at 10 Hz. */
const EKF_CHECK_MS = 1000;
/** EKF_CHECK_WARNING_TIME: "EKF variance" at most every 30 s. */
const WARN_INTERVAL_MS = 30_000;

export class GpsEkf {
  /** The GPS has no fix (the fault). */
  gpsLost = false;
  /** The EKF has no horizontal position (dead reckoning ran out). */
  positionLost = false;
  /** The EKF failsafe is on (failsafe.ekf): HEARTBEAT system_status CRITICAL. */
  failsafe = false;
  /** time_usec of the last fix, frozen while the fix is lost. */
  lastFixUs = 0;
  private lostAt = 0;
  private backAt = Infinity;
  private regainedAt: number | null = null;
  private stoppedAiding = false;
  private positionLostAt = 0;
  /** SmartRTL gave up for this flight (it starts again at the next arming). */
  private smartRtlOff = false;
  private failMs = 0;
  private everPassed = false;
  private actionTaken = false;
  private lastWarnAt = -Infinity;

  reset(): void {
    Object.assign(this, new GpsEkf());
  }

  lose(now: number, durationMs: number): void {
    if (!this.gpsLost) this.lostAt = now;
    this.gpsLost = true;
    this.regainedAt = null;
    this.backAt = now + durationMs;
  }

  restore(now: number): void {
    if (this.gpsLost) this.backAt = now;
  }

  /** A horizontal position estimate (what RTL, GUIDED, LOITER... need): from GPS, or dead reckoning for a while. */
  hasPosition(v: SimVehicle): boolean {
    // From the EKF origin on, as the recordings show modes that need a position accepted (before "using GPS").
    return v.home !== null && !this.positionLost;
  }

  /** EKF_STATUS_REPORT flags once the EKF is using GPS. */
  flags(): number {
    if (!this.positionLost) return EKF_FLAGS.usingGps;
    return this.stoppedAiding ? EKF_FLAGS.constPos : EKF_FLAGS.noPosition;
  }

  /** One simulation step: the outage timeline, then ekf_check. */
  step(v: SimVehicle, now: number, dtMs: number): void {
    this.timeline(v, now);
    if (!v.home || v.params.get("FS_EKF_THRESH", 0.8) <= 0) return;
    const passed = this.hasPosition(v);
    this.everPassed ||= passed;
    if (!this.everPassed) return;
    if (!passed) {
      if (this.failsafe) return;
      this.failMs = Math.min(EKF_CHECK_MS, this.failMs + dtMs);
      if (this.failMs >= EKF_CHECK_MS) this.trigger(v, now);
    } else if (this.failMs > 0) {
      this.failMs = Math.max(0, this.failMs - dtMs);
      if (this.failsafe && this.failMs === 0) this.clear(v);
    }
  }

  private timeline(v: SimVehicle, now: number): void {
    if (!v.armed) this.smartRtlOff = false;
    else if (this.positionLost && !this.smartRtlOff && now - this.positionLostAt >= SMART_RTL_TIMEOUT_MS) {
      this.smartRtlOff = true;
      v.statusText(SEVERITY.WARNING, "SmartRTL deactivated: bad position");
    }
    if (this.gpsLost && now >= this.backAt) {
      this.gpsLost = false;
      this.backAt = Infinity;
      this.regainedAt = now;
    }
    if (!this.gpsLost) this.lastFixUs = v.timeBootMs(now) * 1000;
    if (this.regainedAt !== null && now - this.regainedAt >= REACQUIRE_MS) {
      this.regainedAt = null;
      if (this.positionLost || this.stoppedAiding) {
        v.statusText(SEVERITY.INFO, "EKF3 IMU1 is using GPS");
        v.statusText(SEVERITY.INFO, "EKF3 IMU0 is using GPS");
      }
      this.positionLost = false;
      this.stoppedAiding = false;
    }
    if (!this.gpsLost || !v.home) return;
    if (!this.positionLost && now - this.lostAt >= DEAD_RECKONING_MS) {
      this.positionLost = true;
      this.positionLostAt = now;
    }
    if (!this.stoppedAiding && now - this.lostAt >= STOP_AIDING_MS) {
      this.stoppedAiding = true;
      v.statusText(SEVERITY.WARNING, "EKF3 IMU1 stopped aiding");
      v.statusText(SEVERITY.WARNING, "EKF3 IMU0 stopped aiding");
    }
  }

  /** failsafe_ekf_event. */
  private trigger(v: SimVehicle, now: number): void {
    if (now - this.lastWarnAt > WARN_INTERVAL_MS) {
      v.statusText(SEVERITY.CRITICAL, "EKF variance");
      this.lastWarnAt = now;
    }
    this.failsafe = true;
    if (!v.armed) return;
    if (v.mode === MODE.LAND) {
      v.landWithoutGps();
      return;
    }
    const action = v.params.get("FS_EKF_ACTION", 1);
    // FS_EKF_ACTION 3 lands even from a mode that flies without a position.
    if (!NEEDS_POSITION.has(v.mode) && action !== 3) return;
    if (action !== 2 || !tryMode(v, MODE.ALT_HOLD)) v.setMode(MODE.LAND);
    this.actionTaken = true;
    // 4.7 names the mode in mixed case ("Land", recorded); "AltHold" follows the same naming (not recorded).
    v.statusText(SEVERITY.CRITICAL, `EKF Failsafe: changed to ${v.mode === MODE.LAND ? "Land" : "AltHold"} Mode`);
  }

  /** failsafe_ekf_off_event. */
  private clear(v: SimVehicle): void {
    this.failsafe = false;
    if (!this.actionTaken) return;
    this.actionTaken = false;
    v.statusText(SEVERITY.CRITICAL, "EKF Failsafe Cleared");
  }
}
