/**
 * One span of simulated time: what the vehicle is asked to do (idle, its mode's flight, or AUTO's mission target),
 * physics and battery stepped, then the failsafes checked, in slices so a late tick does not overshoot.
 */
import { stepBattery } from "./battery";
import { checkFailsafes } from "./failsafes";
import type { NavTarget } from "./mission-port";
import { MODE } from "./modes";
import { stepPhysics } from "./physics";
import type { Demand } from "./physics";
import type { SimVehicle } from "./vehicle";

/** Longest physics step: a late tick is simulated in slices so fast flight does not overshoot. */
const MAX_STEP_MS = 50;

/** Simulates from `from` to `to` (ms on the vehicle's clock). */
export function simulateSpan(v: SimVehicle, from: number, to: number): void {
  let t = from;
  while (to - t > 0) {
    const step = Math.min(MAX_STEP_MS, to - t);
    t += step;
    simulate(v, t, step / 1000);
  }
}

function simulate(v: SimVehicle, now: number, dt: number): void {
  const d = demand(v, now);
  const wasLanded = v.phys.landed;
  stepPhysics(v.phys, d, dt);
  if (v.phys.landed && (!wasLanded || v.landedSince === null)) v.landedSince = now;
  if (!v.phys.landed) v.landedSince = null;
  stepBattery(v.battery, {
    armed: v.armed, landed: v.phys.landed, groundSpeed: Math.hypot(v.phys.vn, v.phys.ve),
    climb: v.phys.vu,
  }, v.params.get("BATT_CAPACITY", 5000), dt);
  checkFailsafes(v, now, dt * 1000);
}

function demand(v: SimVehicle, now: number): Demand {
  if (!v.armed) return { kind: "idle" };
  if (v.mode === MODE.AUTO && v.mission) return autoDemand(v, now);
  return v.flight.demand(v.mode, v.phys, v.flightParams(), now);
}

function autoDemand(v: SimVehicle, now: number): Demand {
  const pos = v.position();
  const target: NavTarget = v.mission!.executor.step({
    lat: pos.lat, lon: pos.lon, altRelative: v.phys.up, groundSpeed: Math.hypot(v.phys.vn, v.phys.ve),
    landed: v.phys.landed, armed: v.armed,
  }, now);
  return v.actions.autoTarget(target, now);
}
