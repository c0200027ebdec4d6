/** The VehicleView the telemetry builders read: one consistent snapshot of a SimVehicle per send. */
import { EKF_FLAGS } from "./ekf";
import { sensorBits, systemStatus } from "./sensors";
import type { SimVehicle } from "./vehicle";
import type { VehicleView } from "./view";
/** base_mode as recorded: booting 89, disarmed 81, armed 217. */
const BASE_MODE = { boot: 89, disarmed: 81, armed: 217 } as const;
/** Hover throttle as recorded (~40 %), more when climbing or tilted. */
const HOVER_THROTTLE = 40;

export function snapshot(v: SimVehicle, now: number): VehicleView {
  const pos = v.position();
  const ready = v.boot.has("ready");
  const exec = v.mission?.executor;
  const ekf = v.failsafe.ekf;
  const gpsLost = v.boot.has("gpsFix") && v.gpsLost;
  // Pre-arm checks are not re-run while armed: the bit keeps the value it had at arming.
  const prearmOk = v.boot.has("prearm") && (v.armed || !v.gpsLost);
  return {
    timeBootMs: v.timeBootMs(now), unixMs: Date.now(), armed: v.armed, mode: v.mode,
    systemStatus: systemStatus(v, ready),
    baseMode: v.armed ? BASE_MODE.armed : ready ? BASE_MODE.disarmed : BASE_MODE.boot,
    lat: pos.lat, lon: pos.lon, altAmsl: pos.altAmsl, phys: v.phys, home: v.home,
    gpsFix: v.boot.has("gpsFix") && !v.gpsLost, gpsLost, lastFixUs: ekf.lastFixUs,
    ekfUsingGps: v.boot.has("usingGps") && ekf.hasPosition(v), ekfFlags: ekfFlags(v),
    prearmOk, sensors: sensorBits(v, prearmOk), battery: v.battery, chargeState: v.failsafe.battery.chargeState,
    fenceStatus: v.failsafe.fence.statusFields(v),
    throttle: throttle(v), nav: navInfo(v),
    mission: exec ? { seq: exec.current, total: exec.total, state: exec.state } : { seq: 0, total: 0, state: 1 },
  };
}

/** EKF_STATUS_REPORT flags: uninitialised until the EKF starts, 0xa7 until it uses GPS (as recorded), then the EKF's. */
function ekfFlags(v: SimVehicle): number {
  if (!v.boot.has("ekfInit")) return EKF_FLAGS.uninitialised;
  return v.boot.has("usingGps") ? v.failsafe.ekf.flags() : EKF_FLAGS.origin;
}

function navInfo(v: SimVehicle): VehicleView["nav"] {
  const t = v.flight.target;
  if (!t || !v.armed) return { bearing: 0, distance: 0, altError: 0 };
  const dn = t.north - v.phys.north;
  const de = t.east - v.phys.east;
  const bearing = ((Math.atan2(de, dn) * 180) / Math.PI + 360) % 360;
  return { bearing, distance: Math.hypot(dn, de), altError: t.up - v.phys.up };
}

function throttle(v: SimVehicle): number {
  if (!v.armed || v.phys.landed) return 0;
  const tilt = Math.hypot(v.phys.roll, v.phys.pitch);
  return Math.min(100, HOVER_THROTTLE + 8 * v.phys.vu + 10 * tilt);
}
