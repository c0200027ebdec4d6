/** The VehicleView the telemetry builders read: one consistent snapshot of a SimVehicle per send. */
import type { SimVehicle } from "./vehicle";
import type { VehicleView } from "./view";

const MAV_STATE = { BOOT: 1, STANDBY: 3, ACTIVE: 4 } as const;
/** base_mode as recorded: booting 89, disarmed 81, armed 217. */
const BASE_MODE = { boot: 89, disarmed: 81, armed: 217 } as const;
/** Hover throttle as recorded (~40 %), more when climbing or tilted. */
const HOVER_THROTTLE = 40;

export function snapshot(v: SimVehicle, now: number): VehicleView {
  const pos = v.position();
  const ready = v.boot.has("ready");
  const exec = v.mission?.executor;
  return {
    timeBootMs: v.timeBootMs(now), unixMs: Date.now(), armed: v.armed, mode: v.mode,
    systemStatus: !ready ? MAV_STATE.BOOT : v.armed ? MAV_STATE.ACTIVE : MAV_STATE.STANDBY,
    baseMode: v.armed ? BASE_MODE.armed : ready ? BASE_MODE.disarmed : BASE_MODE.boot,
    lat: pos.lat, lon: pos.lon, altAmsl: pos.altAmsl, phys: v.phys, home: v.home,
    gpsFix: v.boot.has("gpsFix") && !v.gpsLost, ekfUsingGps: v.boot.has("usingGps") && !v.gpsLost,
    prearmOk: v.boot.has("prearm") && !v.gpsLost, battery: v.battery,
    throttle: throttle(v), nav: navInfo(v),
    mission: exec ? { seq: exec.current, total: exec.total, state: exec.state } : { seq: 0, total: 0, state: 1 },
  };
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
