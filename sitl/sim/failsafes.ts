/**
 * The failsafes a police drone will hit: battery and EKF (GPS loss), as ArduCopter acts on them.
 * - Battery: voltage under BATT_LOW_VOLT for 10 s (BATT_LOW_TIMER) -> "Battery 1 is low ..." (CRITICAL) and
 *   BATT_FS_LOW_ACT (1 LAND, 2 RTL, 3/4 SmartRTL -> RTL here, 0 nothing). Landed: it only warns.
 * - EKF: without GPS the position variance grows; after ~1 s in a mode that needs position, "EKF variance"
 *   (CRITICAL) and LAND (FS_EKF_ACTION 1; 2 = ALT_HOLD). It stays in that mode after GPS returns, like the real one.
 * - After landing in LAND/RTL (or AUTO's final land/RTL) it disarms after ~2 s on the ground, as recorded; armed
 *   on the ground in other modes without taking off, DISARM_DELAY (10 s) disarms.
 */
import { MODE, NEEDS_POSITION } from "./modes";
import type { SimVehicle } from "./vehicle";
import { SEVERITY } from "./vehicle";

const BATT_LOW_TIMER_MS = 10_000;
const EKF_FAILSAFE_DELAY_MS = 1000;
const LANDED_DISARM_MS = 2000;

export class FailsafeState {
  lowVoltageSince: number | null = null;
  battery = false;
  ekf = false;
  gpsLostAt: number | null = null;
  gpsBackAt = Infinity;

  reset(): void {
    this.lowVoltageSince = null;
    this.battery = false;
    this.ekf = false;
    this.gpsLostAt = null;
    this.gpsBackAt = Infinity;
  }
}

export function checkFailsafes(v: SimVehicle, now: number): void {
  checkGps(v, now);
  checkBattery(v, now);
  checkLanded(v, now);
}

function checkGps(v: SimVehicle, now: number): void {
  const fs = v.failsafe;
  if (v.gpsLost && now >= fs.gpsBackAt) {
    v.gpsLost = false;
    fs.gpsLostAt = null;
    fs.gpsBackAt = Infinity;
    fs.ekf = false;
    v.statusText(SEVERITY.INFO, "EKF3 IMU0 is using GPS");
  }
  if (!v.gpsLost || fs.ekf || fs.gpsLostAt === null || now - fs.gpsLostAt < EKF_FAILSAFE_DELAY_MS) return;
  fs.ekf = true;
  v.statusText(SEVERITY.CRITICAL, "EKF variance");
  if (v.armed && !v.phys.landed && NEEDS_POSITION.has(v.mode)) {
    const action = v.params.get("FS_EKF_ACTION", 1);
    v.setMode(action === 2 ? MODE.ALT_HOLD : MODE.LAND);
    v.statusText(SEVERITY.CRITICAL, "EKF Failsafe: changed to LAND Mode");
  }
}

function checkBattery(v: SimVehicle, now: number): void {
  const fs = v.failsafe;
  const low = v.params.get("BATT_LOW_VOLT", 10.5);
  if (fs.battery || !(low > 0) || v.battery.voltage >= low) {
    if (!fs.battery) fs.lowVoltageSince = null;
    return;
  }
  fs.lowVoltageSince ??= now;
  if (now - fs.lowVoltageSince < BATT_LOW_TIMER_MS) return;
  fs.battery = true;
  v.statusText(SEVERITY.CRITICAL,
    `Battery 1 is low ${v.battery.voltage.toFixed(2)}V used ${Math.round(v.battery.consumedMah)} mAh`);
  if (!v.armed || v.phys.landed) return;
  const action = v.params.get("BATT_FS_LOW_ACT", 2);
  if (action === 1 || (action >= 2 && !v.home)) v.setMode(MODE.LAND);
  else if (action >= 2 && action <= 4 && v.mode !== MODE.LAND) v.setMode(MODE.RTL);
}

function checkLanded(v: SimVehicle, now: number): void {
  if (!v.armed || !v.phys.landed || v.landedSince === null) return;
  const onGround = now - v.landedSince;
  const landing = v.flight.landing(v.mode) || (v.mode === MODE.AUTO && v.autoLanding());
  if (landing ? onGround >= LANDED_DISARM_MS : onGround >= v.params.get("DISARM_DELAY", 10) * 1000) {
    v.actions.doDisarm();
  }
}
