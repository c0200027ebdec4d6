/**
 * The failsafes and checks a police drone meets, each as ArduCopter 4.7 runs it (see each file): battery
 * (battery-failsafe.ts), GPS/EKF (ekf.ts), GCS link (gcs-failsafe.ts) and geofence (fence.ts). Radio failsafe is
 * not simulated: the simulator has no RC transmitter (RC_CHANNELS is constant).
 * After landing in LAND/RTL (or AUTO's final land/RTL) the vehicle disarms ~2 s after touching down, as recorded;
 * armed on the ground in other modes without taking off, DISARM_DELAY (10 s) disarms.
 */
import { BatteryFailsafe } from "./battery-failsafe";
import { GpsEkf } from "./ekf";
import { FenceMonitor } from "./fence";
import { GcsFailsafe } from "./gcs-failsafe";
import { MODE } from "./modes";
import type { SimVehicle } from "./vehicle";

const LANDED_DISARM_MS = 2000;

export class FailsafeState {
  readonly battery = new BatteryFailsafe();
  readonly ekf = new GpsEkf();
  readonly gcs = new GcsFailsafe();
  readonly fence = new FenceMonitor();

  /** Copter::any_failsafe_triggered: what makes HEARTBEAT system_status CRITICAL (not the fence). */
  get any(): boolean {
    return this.battery.triggered || this.ekf.failsafe || this.gcs.active;
  }

  /** A reboot: nothing survives but the fence list and the parameters. */
  reset(): void {
    this.battery.reset();
    this.ekf.reset();
    this.gcs.reset();
    this.fence.reset();
  }
}

export function checkFailsafes(v: SimVehicle, now: number, dtMs: number): void {
  const fs = v.failsafe;
  fs.ekf.step(v, now, dtMs);
  fs.battery.check(v, now);
  fs.gcs.check(v, now);
  fs.fence.check(v, now);
  checkLanded(v, now);
}

function checkLanded(v: SimVehicle, now: number): void {
  if (!v.armed || !v.phys.landed || v.landedSince === null) return;
  const onGround = now - v.landedSince;
  const landing = v.flight.landing(v.mode) || (v.mode === MODE.AUTO && v.autoLanding());
  if (landing ? onGround >= LANDED_DISARM_MS : onGround >= v.params.get("DISARM_DELAY", 10) * 1000) {
    v.actions.doDisarm();
  }
}
